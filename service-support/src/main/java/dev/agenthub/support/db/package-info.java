/**
 * A service's database: PostgreSQL when configured, else embedded H2; Flyway migrations.
 */
package dev.agenthub.support.db;
