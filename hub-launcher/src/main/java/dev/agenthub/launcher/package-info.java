/**
 * The one-process hub: the four services as sibling application contexts of one parent
 * that holds the shared engine.
 */
package dev.agenthub.launcher;
