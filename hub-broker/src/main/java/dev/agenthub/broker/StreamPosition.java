package dev.agenthub.broker;

/**
 * Where a channel's stream stands: its epoch and the offset of its latest event (0 when
 * none was published in this epoch).
 *
 * @param epoch the channel's epoch
 * @param offset the latest offset
 */
public record StreamPosition(String epoch, long offset) {

}
