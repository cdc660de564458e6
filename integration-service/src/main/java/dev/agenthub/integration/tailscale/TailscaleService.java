package dev.agenthub.integration.tailscale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.event.TailscaleStatus;
import dev.agenthub.integration.tailscale.TailscaleProperties.CredentialKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hub's rules over the Tailscale API: which keys containers get (ephemeral,
 * pre-authorized, single-use by default, tagged), which devices belong to a workspace,
 * and offboarding them.
 */
public class TailscaleService {

	private static final Logger logger = LoggerFactory.getLogger(TailscaleService.class);

	/** Tailscale's longest auth key lifetime (90 days). */
	static final long MAX_EXPIRY_SECONDS = 90L * 24 * 3600;

	/** Devices deleted in parallel while offboarding. */
	private static final int DELETE_CONCURRENCY = 4;

	private final TailscaleProperties properties;

	private final TailscaleApi api;

	private final Broker broker;

	private final TailscaleMetrics metrics;

	/**
	 * @param properties the configuration
	 * @param api the API client, {@code null} when not configured
	 * @param broker where offboarding announces devices going away, or {@code null}
	 * @param metrics the meters
	 */
	TailscaleService(TailscaleProperties properties, TailscaleApi api, Broker broker, TailscaleMetrics metrics) {
		this.properties = properties;
		this.api = api;
		this.broker = broker;
		this.metrics = metrics;
	}

	/**
	 * Whether the Tailscale steps (keys, host names, tags, offboarding) accept a
	 * workspace id: 1-128 letters, digits, {@code .}, {@code _}, {@code :} or {@code -},
	 * a letter or digit first. For callers that check an id before any step with an
	 * outside effect.
	 */
	public static boolean acceptsWorkspaceId(String workspaceId) {
		return TailscaleNames.isWorkspace(workspaceId);
	}

	/** What the status endpoint shows: never a secret. */
	public Map<String, Object> status() {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("configured", this.properties.configured());
		status.put("tailnet", this.properties.tailnet());
		status.put("credential", this.properties.credentialKind().wire());
		status.put("apiUrl", this.properties.apiUrl().toString());
		status.put("defaultTags", this.properties.defaultTags());
		status.put("workspaceTags", this.properties.workspaceTags());
		return status;
	}

	/** Creates an ephemeral, pre-authorized auth key for a workspace's container. */
	public Mono<AuthKey> createAuthKey(AuthKeyRequest request) {
		return api().flatMap((api) -> {
			String workspace = TailscaleNames.validateWorkspace(request.workspaceId());
			List<String> tags = tagsFor(request, workspace);
			long expiry = expiry(request.expirySeconds());
			boolean reusable = Boolean.TRUE.equals(request.reusable());
			ObjectNode create = HubJson.object();
			ObjectNode devices = create.putObject("capabilities").putObject("devices");
			ObjectNode capabilities = devices.putObject("create");
			capabilities.put("reusable", reusable);
			capabilities.put("ephemeral", true);
			capabilities.put("preauthorized", true);
			ArrayNode tagArray = capabilities.putArray("tags");
			tags.forEach(tagArray::add);
			create.put("expirySeconds", expiry);
			create.put("description", TailscaleNames.description(workspace, request.repository()));
			return api.createKey(create).map((key) -> {
				String secret = DeviceView.text(key, "key");
				if (secret == null || secret.isEmpty()) {
					throw new TailscaleApiException("create auth key", 502, "the answer carries no key", null);
				}
				logger.info("Created Tailscale auth key {} for workspace {} (tags {})", DeviceView.text(key, "id"),
						workspace, tags);
				JsonNode granted = key.path("capabilities").path("devices").path("create").get("tags");
				return new AuthKey(DeviceView.text(key, "id"), secret, DeviceView.text(key, "expires"),
						(granted != null) ? DeviceView.strings(granted) : tags, hostname(workspace), true, reusable);
			}).doOnSuccess((key) -> this.metrics.keyCreated(true)).doOnError((ex) -> this.metrics.keyCreated(false));
		}).onErrorMap(TailscaleErrors::translate);
	}

	/** Whether a key is still usable: {@code invalid} once revoked or expired. */
	public Mono<Map<String, Object>> authKey(String keyId) {
		return api().flatMap((api) -> api.getKey(keyId)).map((key) -> {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("id", DeviceView.text(key, "id"));
			view.put("expiresAt", DeviceView.text(key, "expires"));
			view.put("invalid", key.path("invalid").asBoolean(false));
			view.put("tags", DeviceView.strings(key.path("capabilities").path("devices").path("create").get("tags")));
			return view;
		}).onErrorMap(TailscaleErrors::translate);
	}

	/** Revokes a key; one Tailscale no longer knows counts as revoked. */
	public Mono<Boolean> deleteAuthKey(String keyId) {
		return api().flatMap((api) -> api.deleteKey(keyId)).onErrorMap(TailscaleErrors::translate);
	}

	/** The tailnet's devices, filtered by Tailscale (exact tag, ephemeral flag). */
	public Flux<DeviceView> devices(String tag, Boolean ephemeral) {
		Map<String, String> filters = new LinkedHashMap<>();
		if (tag != null && !tag.isBlank()) {
			filters.put("tags", TailscaleNames.validateTags(List.of(tag)).get(0));
		}
		if (ephemeral != null) {
			filters.put("isEphemeral", ephemeral.toString());
		}
		return api().flatMapMany((api) -> api.listDevices(filters))
			.map(DeviceView::of)
			.onErrorMap(TailscaleErrors::translate);
	}

	/** Deletes a device; one Tailscale no longer knows counts as deleted. */
	public Mono<Boolean> deleteDevice(String deviceId) {
		return api().flatMap((api) -> api.deleteDevice(deviceId)).onErrorMap(TailscaleErrors::translate);
	}

	/**
	 * Deletes exactly the workspace's ephemeral devices: those carrying its own tag
	 * {@code tag:ws-<label>}, or named exactly {@code <prefix><label>} — never by a name
	 * prefix, which would reach {@code acme-prod}'s devices when offboarding {@code acme}
	 * ({@link TailscaleNames#label} keeps labels of distinct workspaces distinct). A
	 * second device Tailscale renamed {@code <prefix><label>-1} is found only by its tag:
	 * enable {@code hub.tailscale.workspace-tags} for exact offboarding of every device.
	 * Each deleted device is announced on {@code workspace:<id>} as
	 * {@code tailscale:status} offline.
	 */
	public Mono<Offboarding> offboard(String workspaceId) {
		String workspace = TailscaleNames.validateWorkspace(workspaceId);
		String tag = TailscaleNames.workspaceTag(workspace);
		String hostname = hostname(workspace);
		return api().flatMap((api) -> api.listDevices(Map.of("isEphemeral", "true"))
			.map(DeviceView::of)
			.filter((device) -> device.tags().contains(tag) || hostname.equals(device.hostname()))
			.flatMap((device) -> api.deleteDevice(device.id())
				.then(announce(workspace, device))
				.thenReturn(new Outcome(device.id(), null))
				.onErrorResume((ex) -> Mono.just(new Outcome(device.id(), ex))), DELETE_CONCURRENCY)
			.collectList()
			.map((outcomes) -> {
				List<String> deleted = new ArrayList<>();
				List<String> failed = new ArrayList<>();
				for (Outcome outcome : outcomes) {
					if (outcome.failure() == null) {
						deleted.add(outcome.deviceId());
					}
					else {
						failed.add(outcome.deviceId());
						logger.warn("Could not delete Tailscale device {} of workspace {}: {}", outcome.deviceId(),
								workspace, TailscaleErrors.translate(outcome.failure()).getMessage());
					}
				}
				this.metrics.offboarded(deleted.size());
				return new Offboarding(workspace, deleted, failed);
			})).onErrorMap(TailscaleErrors::translate);
	}

	private Mono<Void> announce(String workspace, DeviceView device) {
		if (this.broker == null) {
			return Mono.empty();
		}
		JsonNode data = HubJson.tree(new TailscaleStatus(null, device.hostname(), false));
		return this.broker.publish("workspace:" + workspace, "tailscale:status", data)
			.then()
			// The device is gone either way; a missed announcement must not fail
			// offboarding.
			.onErrorResume((ex) -> {
				logger.warn("Could not announce removal of device {}: {}", device.id(), ex.toString());
				return Mono.empty();
			});
	}

	private List<String> tagsFor(AuthKeyRequest request, String workspace) {
		List<String> tags = new ArrayList<>(
				TailscaleNames.validateTags((request.tags() != null && !request.tags().isEmpty()) ? request.tags()
						: this.properties.defaultTags()));
		if (this.properties.workspaceTags()) {
			String tag = TailscaleNames.workspaceTag(workspace);
			if (!tags.contains(tag)) {
				tags.add(tag);
			}
		}
		if (tags.isEmpty() && this.properties.credentialKind() == CredentialKind.OAUTH_CLIENT) {
			throw ContractViolation.badRequest("tags are required for keys created with an OAuth client:"
					+ " name them in the request or configure hub.tailscale.default-tags (e.g. tag:workspace)");
		}
		return tags;
	}

	private long expiry(Long requested) {
		long seconds = (requested != null) ? requested : this.properties.defaultExpiry().toSeconds();
		if (seconds < 1 || seconds > MAX_EXPIRY_SECONDS) {
			throw ContractViolation
				.badRequest("expirySeconds must be between 1 and " + MAX_EXPIRY_SECONDS + " (90 days), was " + seconds);
		}
		return seconds;
	}

	private String hostname(String workspace) {
		return this.properties.hostnamePrefix() + TailscaleNames.label(workspace);
	}

	private Mono<TailscaleApi> api() {
		if (this.api == null) {
			// Its own code: callers (agent-service's offboarding) tell a hub without
			// Tailscale apart from Tailscale failing.
			return Mono.error(new ContractViolation(ErrorCode.NOT_CONFIGURED,
					"Tailscale is not configured: set HUB_TAILSCALE_API_KEY, or HUB_TAILSCALE_OAUTH_CLIENT_ID and"
							+ " HUB_TAILSCALE_OAUTH_CLIENT_SECRET"));
		}
		return Mono.just(this.api);
	}

	/**
	 * The result of offboarding a workspace.
	 *
	 * @param workspaceId the workspace
	 * @param deleted ids of the devices deleted (or already gone)
	 * @param failed ids of the devices that could not be deleted (retry the call)
	 */
	public record Offboarding(String workspaceId, List<String> deleted, List<String> failed) {

	}

	private record Outcome(String deviceId, Throwable failure) {

	}

}
