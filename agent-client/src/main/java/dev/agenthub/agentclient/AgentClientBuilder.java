package dev.agenthub.agentclient;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import reactor.netty.http.client.HttpClient;

/**
 * Builds an {@link AgentClient}. Only {@code workspaceId} and {@code version} are
 * required (and a {@code token} for a real hub).
 */
public final class AgentClientBuilder {

	private URI uri = AgentClientConfig.DEFAULT_URI;

	private String token;

	private boolean tokenInQuery;

	private String workspaceId;

	private String agentId;

	private String version;

	private List<String> capabilities = List.of("commands", "tabs", "git", "stats");

	private Duration backoffInitial = Duration.ofSeconds(1);

	private Duration backoffMax = Duration.ofSeconds(30);

	private Duration backoffResetAfter = Duration.ofSeconds(10);

	private Duration defaultHeartbeatInterval = Duration.ofSeconds(10);

	private int outboundMaxMessages = 4096;

	private long outboundMaxBytes = 1024 * 1024;

	private Duration coalesceLinger = Duration.ofMillis(5);

	private int coalesceMaxChars = 8192;

	private int maxFramePayload = 64 * 1024;

	private Duration connectTimeout = Duration.ofSeconds(10);

	private Duration stopTimeout = Duration.ofSeconds(5);

	private int recentTaskIds = 1024;

	private int maxMessagesPerSecond = 80;

	private int messageBurst = 160;

	private Duration registerTimeout = Duration.ofSeconds(10);

	private Duration readIdleTimeout;

	private AgentHandler handler = new AgentHandler() {
	};

	private HeartbeatContributor heartbeat = (data) -> {
	};

	private HttpClient httpClient;

	AgentClientBuilder() {
	}

	public AgentClientBuilder uri(URI uri) {
		this.uri = uri;
		return this;
	}

	public AgentClientBuilder uri(String uri) {
		return uri(URI.create(uri));
	}

	public AgentClientBuilder token(String token) {
		this.token = token;
		return this;
	}

	public AgentClientBuilder tokenInQuery(boolean tokenInQuery) {
		this.tokenInQuery = tokenInQuery;
		return this;
	}

	public AgentClientBuilder workspaceId(String workspaceId) {
		this.workspaceId = workspaceId;
		return this;
	}

	public AgentClientBuilder agentId(String agentId) {
		this.agentId = agentId;
		return this;
	}

	public AgentClientBuilder version(String version) {
		this.version = version;
		return this;
	}

	public AgentClientBuilder capabilities(List<String> capabilities) {
		this.capabilities = capabilities;
		return this;
	}

	public AgentClientBuilder backoff(Duration initial, Duration max, Duration resetAfter) {
		this.backoffInitial = initial;
		this.backoffMax = max;
		this.backoffResetAfter = resetAfter;
		return this;
	}

	public AgentClientBuilder defaultHeartbeatInterval(Duration interval) {
		this.defaultHeartbeatInterval = interval;
		return this;
	}

	public AgentClientBuilder outboundLimits(int maxMessages, long maxBytes) {
		this.outboundMaxMessages = maxMessages;
		this.outboundMaxBytes = maxBytes;
		return this;
	}

	public AgentClientBuilder coalescing(Duration linger, int maxChars) {
		this.coalesceLinger = linger;
		this.coalesceMaxChars = maxChars;
		return this;
	}

	public AgentClientBuilder maxFramePayload(int bytes) {
		this.maxFramePayload = bytes;
		return this;
	}

	public AgentClientBuilder connectTimeout(Duration timeout) {
		this.connectTimeout = timeout;
		return this;
	}

	public AgentClientBuilder stopTimeout(Duration timeout) {
		this.stopTimeout = timeout;
		return this;
	}

	public AgentClientBuilder recentTaskIds(int count) {
		this.recentTaskIds = count;
		return this;
	}

	/**
	 * Limits outbound frames per connection (heartbeats and pongs count but never wait),
	 * to stay under the server's rate limit; output waiting for a slot keeps coalescing.
	 * @param perSecond sustained rate; 0 disables the limit
	 * @param burst frames that may leave at once
	 * @return this builder
	 */
	public AgentClientBuilder rateLimit(int perSecond, int burst) {
		this.maxMessagesPerSecond = perSecond;
		this.messageBurst = burst;
		return this;
	}

	/**
	 * How long the server may take to answer {@code register}.
	 * @param timeout the timeout (default 10 s)
	 * @return this builder
	 */
	public AgentClientBuilder registerTimeout(Duration timeout) {
		this.registerTimeout = timeout;
		return this;
	}

	/**
	 * Drops a connection that received nothing for this long (the hub pings every 30 s,
	 * so e.g. 75 s detects a silently dead peer); {@code null} disables the check
	 * (default).
	 * @param timeout the timeout or {@code null}
	 * @return this builder
	 */
	public AgentClientBuilder readIdleTimeout(Duration timeout) {
		this.readIdleTimeout = timeout;
		return this;
	}

	public AgentClientBuilder handler(AgentHandler handler) {
		this.handler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	public AgentClientBuilder heartbeat(HeartbeatContributor heartbeat) {
		this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
		return this;
	}

	/**
	 * Uses this HTTP client (its event loops, TLS, proxy settings) instead of an unpooled
	 * {@link HttpClient#newConnection()} on the shared default event loops. Share one
	 * instance across many simulated agents.
	 * @param httpClient the client
	 * @return this builder
	 */
	public AgentClientBuilder httpClient(HttpClient httpClient) {
		this.httpClient = httpClient;
		return this;
	}

	public AgentClientConfig config() {
		return new AgentClientConfig(this.uri, this.token, this.tokenInQuery, this.workspaceId, this.agentId,
				this.version, this.capabilities, this.backoffInitial, this.backoffMax, this.backoffResetAfter,
				this.defaultHeartbeatInterval, this.outboundMaxMessages, this.outboundMaxBytes, this.coalesceLinger,
				this.coalesceMaxChars, this.maxFramePayload, this.connectTimeout, this.stopTimeout, this.recentTaskIds,
				this.maxMessagesPerSecond, this.messageBurst, this.registerTimeout, this.readIdleTimeout);
	}

	public AgentClient build() {
		HttpClient client = (this.httpClient != null) ? this.httpClient : HttpClient.newConnection();
		return new AgentClient(config(), this.handler, this.heartbeat, client);
	}

}
