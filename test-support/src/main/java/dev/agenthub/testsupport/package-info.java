/**
 * Fixtures shared by every module's tests: real PostgreSQL and Redis (localhost, URLs
 * from the environment, or Testcontainers where Docker exists), hub tokens, and a
 * WebSocket test client.
 */
package dev.agenthub.testsupport;
