/**
 * Reading the durable log: channel history by offset.
 */
package dev.agenthub.broadcast.history;
