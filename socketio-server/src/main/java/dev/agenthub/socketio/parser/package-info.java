/**
 * The Socket.IO v5 packet format: decoding with the reference parser's validation,
 * encoding with binary attachments, placeholder reconstruction.
 */
@NullMarked
package dev.agenthub.socketio.parser;

import org.jspecify.annotations.NullMarked;
