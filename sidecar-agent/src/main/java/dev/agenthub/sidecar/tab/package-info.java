/**
 * Long-lived terminal tabs: processes started by {@code tab:start} (or at boot) whose
 * output streams as {@code tab:output} until they exit or {@code tab:stop} ends them.
 */
package dev.agenthub.sidecar.tab;
