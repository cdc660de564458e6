/**
 * The hub's JSON codec (Jackson 3).
 */
package dev.agenthub.contracts.codec;
