package dev.agenthub.contracts.event;

/**
 * A typed event payload. Implementations are records that validate themselves in their
 * constructor, throwing {@link dev.agenthub.contracts.error.ContractViolation} naming the
 * offending field, so an invalid payload can never exist.
 */
public interface EventPayload {

}
