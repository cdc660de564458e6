package dev.agenthub.gateway.subscription;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Outcome;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.gateway.metrics.GatewayMetrics;
import dev.agenthub.gateway.session.GatewaySession;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The node's channels: one {@link ChannelFanout} and one engine subscription per channel
 * any connection here uses, released when its last member leaves. Channels' events are
 * fanned out on {@link FanoutLanes}, not on the engine's I/O thread.
 */
@Component
public class ChannelHub implements DisposableBean {

	private final Broker broker;

	private final ChannelFanout.Resync resync;

	private final Map<String, ChannelFanout> channels = new ConcurrentHashMap<>();

	private final GatewayMetrics metrics;

	private final FanoutLanes lanes;

	public ChannelHub(Broker broker, ResyncNotifier resync, GatewayMetrics metrics, GatewayProperties properties) {
		this.broker = broker;
		int lanes = (properties.fanoutLanes() > 0) ? properties.fanoutLanes()
				: Runtime.getRuntime().availableProcessors();
		this.lanes = new FanoutLanes(lanes, properties.fanoutQueueEvents());
		this.resync = resync;
		this.metrics = metrics;
	}

	/**
	 * Puts a connection on a channel; completes once the engine delivers the channel's
	 * live events to this node.
	 */
	public Mono<Void> join(String channel, GatewaySession session, SubscriptionState state) {
		ChannelFanout fanout;
		synchronized (this.channels) {
			fanout = this.channels.computeIfAbsent(channel, (name) -> {
				ChannelFanout created = new ChannelFanout(name, this.broker, this.resync, this.metrics);
				// the registration's outcome only: a cached subscribe chain stayed in
				// memory for every channel of the node
				created.registration(Outcome.of(this.broker.subscribe(name, this.lanes.listener(name, created))));
				return created;
			});
			fanout.add(session, state);
		}
		return fanout.registration().doOnError((ex) -> leave(channel, session)).then();
	}

	/** Takes a connection off a channel. */
	public void leave(String channel, GatewaySession session) {
		synchronized (this.channels) {
			ChannelFanout fanout = this.channels.get(channel);
			if (fanout != null && fanout.remove(session) && fanout.isEmpty()) {
				this.channels.remove(channel);
				fanout.registration().subscribe(Disposable::dispose, (ex) -> {
					// Never subscribed: nothing to release.
				});
			}
		}
	}

	@Override
	public void destroy() {
		this.lanes.close();
	}

	/** Channels with members on this node. */
	public int channelCount() {
		return this.channels.size();
	}

}
