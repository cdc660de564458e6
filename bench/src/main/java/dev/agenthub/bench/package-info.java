/**
 * The hub's benchmark harness: scenarios that drive a running hub over loopback sockets
 * and write down what they measured. Not part of the test run.
 */
package dev.agenthub.bench;
