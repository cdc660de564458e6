/**
 * The REST API: agents, commands, tasks and channel owners.
 */
package dev.agenthub.agent.web;
