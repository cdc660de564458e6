/**
 * API error bodies and their one translation point.
 */
package dev.agenthub.support.web;
