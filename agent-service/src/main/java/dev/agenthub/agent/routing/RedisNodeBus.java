package dev.agenthub.agent.routing;

import java.util.function.Consumer;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.broker.redis.RedisEngine;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * {@link NodeBus} over Redis pub/sub: node {@code n} listens on
 * {@code <prefix>agent:node:n}; {@code PUBLISH}'s receiver count tells whether the node
 * is there. On a Redis Cluster sharded pub/sub ({@code SPUBLISH}), so a message touches
 * only the shard of the node's channel.
 */
public class RedisNodeBus implements NodeBus, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisNodeBus.class);

	private final RedisEngine engine;

	private final String prefix;

	private volatile StatefulRedisPubSubConnection<String, String> pubSub;

	private volatile Disposable receiving;

	public RedisNodeBus(RedisEngine engine, String keyPrefix) {
		this.engine = engine;
		this.prefix = keyPrefix + "agent:node:";
	}

	@Override
	public Mono<Boolean> send(String nodeId, NodeMessage message) {
		return this.engine.publish(this.prefix + nodeId, HubJson.write(message)).map((receivers) -> receivers > 0);
	}

	@Override
	public Mono<Void> listen(String nodeId, Consumer<NodeMessage> listener) {
		StatefulRedisPubSubConnection<String, String> connection = this.engine.connectPubSub();
		this.pubSub = connection;
		RedisPubSubAdapter<String, String> adapter = new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				deliver(listener, message);
			}

			@Override
			public void smessage(String channel, String message) {
				deliver(listener, message);
			}
		};
		connection.addListener(adapter);
		this.receiving = () -> connection.removeListener(adapter);
		return this.engine.subscribe(connection, this.prefix + nodeId).doOnNext((subscription) -> {
			Disposable listening = this.receiving;
			this.receiving = () -> {
				subscription.dispose();
				listening.dispose();
			};
		}).then();
	}

	private static void deliver(Consumer<NodeMessage> listener, String message) {
		try {
			listener.accept(HubJson.mapper().readValue(message, NodeMessage.class));
		}
		catch (RuntimeException ex) {
			logger.warn("Dropped node message: {}", ex.toString());
		}
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
