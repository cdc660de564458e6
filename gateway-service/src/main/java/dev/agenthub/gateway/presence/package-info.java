/**
 * Who is online: per-connection statuses in a
 * {@link dev.agenthub.gateway.presence.PresenceStore} (memory or Redis), aggregated per
 * user, changes broadcast as {@code user_presence}.
 */
package dev.agenthub.gateway.presence;
