/**
 * Logging that stays readable when a dependency fails for every connection at once.
 */
package dev.agenthub.support.logging;
