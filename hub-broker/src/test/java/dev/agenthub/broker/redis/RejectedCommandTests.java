package dev.agenthub.broker.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only a command Lettuce refused to send counts as not published (safe to try again); a
 * timeout or a connection lost with the command on the wire may have been applied.
 */
class RejectedCommandTests {

	@Test
	void onlyACommandRejectedWhileDisconnectedWasNotSent() {
		assertThat(RedisBroker.rejected(new RedisException("Currently not connected. Commands are rejected.")))
			.isTrue();
		assertThat(RedisBroker.rejected(new RedisException("Connection disconnected"))).isFalse();
		assertThat(RedisBroker.rejected(new RedisCommandTimeoutException("Command timed out after 5 second(s)")))
			.isFalse();
		assertThat(RedisBroker.rejected(new RedisConnectionException("Connection closed prematurely"))).isFalse();
		assertThat(RedisBroker.rejected(new IllegalStateException("Commands are rejected"))).isFalse();
	}

}
