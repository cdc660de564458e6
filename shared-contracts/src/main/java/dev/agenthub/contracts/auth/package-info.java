/**
 * Token claim names and roles shared by every service that verifies hub tokens.
 */
package dev.agenthub.contracts.auth;
