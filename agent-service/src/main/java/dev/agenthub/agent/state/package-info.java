/**
 * Agent state in the database: who serves each workspace, since when, and how it is.
 */
package dev.agenthub.agent.state;
