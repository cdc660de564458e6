/**
 * Channel names and their parsing and validation.
 */
package dev.agenthub.contracts.channel;
