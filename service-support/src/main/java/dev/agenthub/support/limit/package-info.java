/**
 * Bounds on what one key (a user, an agent, a workspace) may hold of a node's shared
 * capacity.
 */
package dev.agenthub.support.limit;
