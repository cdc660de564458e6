package dev.agenthub.bench.client;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.agenthub.bench.BenchOptions;
import dev.agenthub.bench.metrics.HubProcess;
import io.netty.buffer.ByteBuf;

/**
 * What a scenario drives: {@code hub-raw} (the hub's JSON WebSocket protocol),
 * {@code hub-sio} (the hub's Socket.IO namespaces, WebSocket transport) or
 * {@code incumbent} (Socket.IO 4.8 + Redis adapter, {@code bench/incumbent}, WebSocket
 * transport). The same scenario code opens browsers and agents and publishes through it.
 *
 * @param name the target's name
 * @param gatewayUrl raw browser endpoint ({@code ws://host:port/ws})
 * @param browserBase Socket.IO browser base ({@code ws://host:port})
 * @param agentUrl raw agent endpoint
 * @param agentBase Socket.IO agent base
 * @param publishUrl publish API
 * @param agentProtocol {@code raw} or {@code sio} to override the target's protocol for
 * its agents ({@code --agent-protocol}, hub targets only: tells an ingress's share of a
 * latency apart), else {@code null}
 */
public record Target(String name, String gatewayUrl, String browserBase, String agentUrl, String agentBase,
		String publishUrl, String agentProtocol) {

	/** The names {@code --target}/{@code --targets} accept. */
	public static final List<String> NAMES = List.of("hub-raw", "hub-sio", "incumbent");

	/**
	 * The target named by {@code --target} (default {@code hub-raw}), addresses from the
	 * common options ({@code --gateway}, {@code --agent-url}, {@code --publish},
	 * {@code --incumbent}).
	 * @param o options
	 * @return the target
	 */
	public static Target from(BenchOptions o) {
		String name = o.string("target", "hub-raw");
		if ("incumbent".equals(name)) {
			String http = o.string("incumbent", "http://127.0.0.1:13000");
			String ws = "ws" + http.substring(http.indexOf(':'));
			return new Target(name, null, ws, null, ws, http + "/api/publish", null);
		}
		if (!NAMES.contains(name)) {
			throw new IllegalArgumentException("--target must be one of " + NAMES);
		}
		String agentProtocol = o.string("agent-protocol", null);
		if (agentProtocol != null && !List.of("raw", "sio").contains(agentProtocol)) {
			throw new IllegalArgumentException("--agent-protocol must be raw or sio");
		}
		return new Target(name, o.gatewayUrl(), base(o.gatewayUrl()), o.agentUrl(), base(o.agentUrl()), o.publishUrl(),
				agentProtocol);
	}

	private static String base(String url) {
		URI uri = URI.create(url);
		return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
	}

	/**
	 * @return whether this speaks Socket.IO
	 */
	public boolean socketIo() {
		return !"hub-raw".equals(this.name);
	}

	/**
	 * @return whether the server is the hub
	 */
	public boolean hub() {
		return !"incumbent".equals(this.name);
	}

	/**
	 * Opens an authenticated browser.
	 * @param id caller's number for it
	 * @param token user token
	 * @param sourceHost local address or {@code null}
	 * @param events receives every event frame/packet
	 * @return completes when authenticated
	 */
	public CompletableFuture<Browser> browser(int id, String token, String sourceHost, Consumer<ByteBuf> events) {
		if (socketIo()) {
			return SioBrowser.connect(this.browserBase, "{\"token\":\"" + token + "\"}", sourceHost, events)
				.thenApply((b) -> b);
		}
		return BrowserSession.connect(id, this.gatewayUrl, token, sourceHost, (s, f) -> events.accept(f))
			.thenApply((b) -> b);
	}

	/**
	 * Opens a registered agent.
	 * @param token agent token
	 * @param workspace its workspace
	 * @param sourceHost local address or {@code null}
	 * @return completes when registered
	 */
	public CompletableFuture<Agent> agent(String token, String workspace, String sourceHost) {
		boolean sio = (this.agentProtocol != null) ? "sio".equals(this.agentProtocol) : socketIo();
		if (sio) {
			return SioAgent.connect(this.agentBase, token, workspace, sourceHost);
		}
		return AgentSession.connect(this.agentUrl, token, workspace, sourceHost).thenApply((a) -> a);
	}

	/**
	 * The server process to measure: the hub ({@code --hub-pid} or found by gateway port)
	 * or the incumbent ({@code --incumbent-pid} or found by its port).
	 * @param o options
	 * @return the process
	 */
	public HubProcess process(BenchOptions o) {
		if (hub()) {
			return HubProcess.find(Long.parseLong(o.string("hub-pid", "0")), URI.create(o.gatewayUrl()).getPort());
		}
		return HubProcess.findIncumbent(Long.parseLong(o.string("incumbent-pid", "0")),
				URI.create(this.browserBase).getPort());
	}

}
