/**
 * The CDP shim release registry: SemVer releases of the fake {@code chromium} executable,
 * uploaded by admins or services, downloaded by containers with plain {@code curl}. Bytes
 * live behind {@link dev.agenthub.integration.shim.ReleaseStore} (database chunks or a
 * directory) and are streamed in both directions.
 */
package dev.agenthub.integration.shim;
