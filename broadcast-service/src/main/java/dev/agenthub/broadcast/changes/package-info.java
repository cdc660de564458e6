/**
 * Entity changes (seed 003): {@code POST /api/changes} publishes an event and records the
 * change in a log whose order is its commit order; {@code GET /api/sync?kind=changes}
 * reads it back as {@code changes: [{table, recordId, action, data, timestamp}]}.
 */
package dev.agenthub.broadcast.changes;
