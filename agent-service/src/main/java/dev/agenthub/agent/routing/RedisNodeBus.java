package dev.agenthub.agent.routing;

import java.util.function.Consumer;

import dev.agenthub.contracts.codec.HubJson;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * {@link NodeBus} over Redis pub/sub: node {@code n} listens on
 * {@code <prefix>agent:node:n}; {@code PUBLISH}'s receiver count tells whether the node
 * is there.
 */
public class RedisNodeBus implements NodeBus, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisNodeBus.class);

	private final StatefulRedisConnection<String, String> connection;

	private final RedisClient client;

	private final String prefix;

	private volatile StatefulRedisPubSubConnection<String, String> pubSub;

	private volatile Disposable receiving;

	public RedisNodeBus(RedisClient client, StatefulRedisConnection<String, String> connection, String keyPrefix) {
		this.client = client;
		this.connection = connection;
		this.prefix = keyPrefix + "agent:node:";
	}

	@Override
	public Mono<Boolean> send(String nodeId, NodeMessage message) {
		return this.connection.reactive()
			.publish(this.prefix + nodeId, HubJson.write(message))
			.map((receivers) -> receivers > 0);
	}

	@Override
	public Mono<Void> listen(String nodeId, Consumer<NodeMessage> listener) {
		StatefulRedisPubSubConnection<String, String> connection = this.client.connectPubSub();
		this.pubSub = connection;
		this.receiving = connection.reactive().observeChannels().subscribe((message) -> {
			try {
				listener.accept(HubJson.mapper().readValue(message.getMessage(), NodeMessage.class));
			}
			catch (RuntimeException ex) {
				logger.warn("Dropped node message: {}", ex.toString());
			}
		});
		return connection.reactive().subscribe(this.prefix + nodeId);
	}

	@Override
	public void close() {
		Disposable receiving = this.receiving;
		if (receiving != null) {
			receiving.dispose();
		}
		StatefulRedisPubSubConnection<String, String> connection = this.pubSub;
		if (connection != null) {
			connection.close();
		}
	}

}
