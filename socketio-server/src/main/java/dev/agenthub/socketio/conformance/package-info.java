/**
 * The conformance profile: the server the official Engine.IO and Socket.IO protocol test
 * suites expect, runnable with {@code ConformanceServer.main}.
 */
@NullMarked
package dev.agenthub.socketio.conformance;

import org.jspecify.annotations.NullMarked;
