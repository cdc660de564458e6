/**
 * Owners of channels that belong to a workspace without being its own: a repository's, a
 * conversation's, an AI agent's ({@code agent:{id}} named in an agent's events). The
 * gateway asks for them ({@code GET /api/channels/{channel}/owner}) to authorize users.
 */
package dev.agenthub.agent.owners;
