package dev.agenthub.broker.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only a command Lettuce refused to send (disconnected, or its queue full) counts as not
 * published (safe to try again); a timeout or a connection lost with the command on the
 * wire may have been applied.
 */
class RejectedCommandTests {

	@Test
	void onlyACommandRejectedWhileDisconnectedOrWithAFullQueueWasNotSent() {
		assertThat(RedisBroker.rejected(new RedisException("Currently not connected. Commands are rejected.")))
			.isTrue();
		assertThat(RedisBroker.rejected(new RedisException(
				"Request queue size exceeded: 100. Commands are not accepted until the queue size drops.")))
			.isTrue();
		assertThat(RedisBroker.rejected(new RedisException(
				"Internal stack size exceeded: 100. Commands are not accepted until the stack size drops.")))
			.isTrue();
		assertThat(RedisBroker.rejected(new RedisException("Connection disconnected"))).isFalse();
		assertThat(RedisBroker.rejected(new RedisCommandTimeoutException("Command timed out after 5 second(s)")))
			.isFalse();
		assertThat(RedisBroker.rejected(new RedisConnectionException("Connection closed prematurely"))).isFalse();
		assertThat(RedisBroker.rejected(new IllegalStateException("Commands are rejected"))).isFalse();
	}

}
