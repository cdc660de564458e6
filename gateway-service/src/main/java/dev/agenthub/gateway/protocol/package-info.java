/**
 * Client messages of the raw JSON protocol, one handler bean per feature.
 */
package dev.agenthub.gateway.protocol;
