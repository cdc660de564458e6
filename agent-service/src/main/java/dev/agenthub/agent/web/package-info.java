/**
 * The REST API: agents, commands, tasks, terminal tabs and channel owners.
 */
package dev.agenthub.agent.web;
