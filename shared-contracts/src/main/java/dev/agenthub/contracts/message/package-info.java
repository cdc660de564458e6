/**
 * Control messages of the raw JSON socket protocols, both directions.
 */
package dev.agenthub.contracts.message;
