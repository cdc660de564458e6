/**
 * Hub tokens: verification with Spring Security's reactive JWT support (HS256 secret in
 * development, an issuer's JWKS in production), the principal they describe, and the
 * security filter chain of the REST APIs.
 */
package dev.agenthub.support.auth;
