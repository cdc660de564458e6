package dev.agenthub.gateway.recovery;

/** The token the gateway presents to other hub services. */
@FunctionalInterface
public interface ServiceTokenSource {

	/** A currently valid service token. */
	String token();

}
