/**
 * Owners of {@code repository:} and {@code conversation:} channels: which workspace may
 * read them, recorded once by the first backend publishing on them.
 */
package dev.agenthub.agent.owner;
