/**
 * Git status of the repository directory: parsing
 * {@code git status --porcelain=v2 --branch} and reporting {@code git:status} when it
 * changes.
 */
package dev.agenthub.sidecar.git;
