/**
 * The durable log: the feed consumer that writes every event to the database, and
 * retention.
 */
package dev.agenthub.broadcast.log;
