package dev.agenthub.integration.provision;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.agenthub.contracts.Limits;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.channel.ChannelKind;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.integration.provision.Provisioning.AgentGrant;
import dev.agenthub.integration.provision.Provisioning.ShimGrant;
import dev.agenthub.integration.provision.Provisioning.TailscaleGrant;
import dev.agenthub.integration.shim.Release;
import dev.agenthub.integration.shim.Releases;
import dev.agenthub.integration.tailscale.AuthKey;
import dev.agenthub.integration.tailscale.AuthKeyRequest;
import dev.agenthub.integration.tailscale.TailscaleService;
import dev.agenthub.support.auth.AgentTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Assembles a {@link Provisioning}: the workspace id is checked first against every later
 * step, so that a refusal comes before any effect outside the hub; then the agent id is
 * reserved at agent-service (the workspace's own from then on; asking again is harmless),
 * the shim release read, the agent token minted locally, and the Tailscale key created
 * last.
 */
public class Provisioner {

	private static final Logger logger = LoggerFactory.getLogger(Provisioner.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String AGENT_PREFIX = "agent-";

	/** Random hex digits of the fallback agent id. */
	private static final int SUFFIX_DIGITS = 8;

	/**
	 * The longest workspace id: {@code agent-<workspace>-<suffix>} must stay a channel id
	 * (113).
	 */
	static final int MAX_WORKSPACE_ID = Limits.MAX_ID_LENGTH - AGENT_PREFIX.length() - 1 - SUFFIX_DIGITS;

	/** Auth keys for containers live one hour, as the seed's. */
	static final long KEY_EXPIRY_SECONDS = 3600;

	private final ProvisionProperties properties;

	private final TailscaleService tailscale;

	private final boolean tailscaleConfigured;

	private final AgentTokens agentTokens;

	private final Releases releases;

	private final AgentIdReservations reservations;

	Provisioner(ProvisionProperties properties, TailscaleService tailscale, boolean tailscaleConfigured,
			AgentTokens agentTokens, Releases releases, AgentIdReservations reservations) {
		this.properties = properties;
		this.tailscale = tailscale;
		this.tailscaleConfigured = tailscaleConfigured;
		this.agentTokens = agentTokens;
		this.releases = releases;
		this.reservations = reservations;
	}

	/**
	 * Provisions a workspace's container.
	 * @param workspaceId the workspace (untrusted: validated for every step first)
	 * @param request the optional details
	 * @return the provisioning; errors with {@code bad_request} for a bad id and
	 * {@code unavailable} when Tailscale (configured) fails or agent tokens cannot be
	 * minted
	 */
	public Mono<Provisioning> provision(String workspaceId, ProvisionRequest request) {
		return Mono.defer(() -> {
			String workspace = validWorkspace(workspaceId);
			ProvisionRequest details = (request != null) ? request : ProvisionRequest.NONE;
			if (details.agentId() != null) {
				// checked before anything is asked of anyone
				Channel.of(ChannelKind.AGENT, details.agentId());
			}
			return agentId(workspace, details.agentId()).flatMap((agentId) -> {
				AgentTokens.Minted token = this.agentTokens.mint(agentId, workspace, this.properties.agentTokenTtl());
				return this.releases.latest()
					.map(Optional::of)
					.defaultIfEmpty(Optional.empty())
					.flatMap((shim) -> authKey(workspace, details.repository())
						.map((key) -> assemble(workspace, token, shim.orElse(null), key.orElse(null))));
			});
		});
	}

	/**
	 * Checks the workspace id against every step that takes it, before any step with an
	 * outside effect: it names the {@code workspace:} channel, the Tailscale host and tag
	 * ({@link TailscaleService#acceptsWorkspaceId}: no {@code @}, a letter or digit
	 * first) and the agent id {@code agent-<workspace>[-<suffix>]}, itself a channel id
	 * of at most 128.
	 */
	static String validWorkspace(String workspaceId) {
		if (workspaceId == null || workspaceId.length() > MAX_WORKSPACE_ID || !Channel.isValidId(workspaceId)
				|| !TailscaleService.acceptsWorkspaceId(workspaceId)) {
			throw ContractViolation.badRequest("could not provision workspace " + shown(workspaceId)
					+ ": the workspace id must be 1-" + MAX_WORKSPACE_ID
					+ " letters, digits, '-', '_' or '.', a letter or digit first (it names the workspace's channel,"
					+ " its Tailscale host and its agent id " + AGENT_PREFIX + "<workspace>)");
		}
		return workspaceId;
	}

	/** An untrusted id in a message: cut, so that a huge one is not echoed whole. */
	private static String shown(String id) {
		if (id == null) {
			return "(none)";
		}
		return (id.length() > Limits.MAX_ID_LENGTH) ? id.substring(0, Limits.MAX_ID_LENGTH) + "…" : id;
	}

	/**
	 * The agent id, reserved for the workspace: the one asked for ({@code conflict} when
	 * another workspace has it), else {@code agent-<workspace>}, or, when another
	 * workspace took that predictable id first, one with a random suffix.
	 */
	private Mono<String> agentId(String workspace, String asked) {
		if (asked != null) {
			return this.reservations.reserve(asked, workspace)
				.flatMap((reserved) -> reserved ? Mono.just(asked)
						: Mono.error(new ContractViolation(ErrorCode.CONFLICT, "could not provision workspace "
								+ workspace + ": agent id " + asked + " belongs to another workspace")));
		}
		String usual = AGENT_PREFIX + workspace;
		return this.reservations.reserve(usual, workspace).flatMap((reserved) -> {
			if (reserved) {
				return Mono.just(usual);
			}
			String fresh = usual + "-" + suffix();
			logger.warn("Agent id {} belongs to another workspace; workspace {} gets {}", usual, workspace, fresh);
			return this.reservations.reserve(fresh, workspace)
				.flatMap((again) -> again ? Mono.just(fresh) : Mono.error(new ContractViolation(ErrorCode.UNAVAILABLE,
						"could not provision workspace " + workspace + ": no agent id could be reserved")));
		});
	}

	/** Eight random hex digits: an id nobody can guess ahead. */
	private static String suffix() {
		byte[] bytes = new byte[SUFFIX_DIGITS / 2];
		RANDOM.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	private Mono<Optional<AuthKey>> authKey(String workspace, String repository) {
		if (!this.tailscaleConfigured) {
			return Mono.just(Optional.empty());
		}
		return this.tailscale.createAuthKey(new AuthKeyRequest(workspace, repository, null, KEY_EXPIRY_SECONDS, false))
			.map(Optional::of)
			.onErrorMap(ContractViolation.class, (ex) -> new ContractViolation(ex.code(),
					"could not provision workspace " + workspace + ": " + ex.getMessage()));
	}

	private Provisioning assemble(String workspace, AgentTokens.Minted token, Release shim, AuthKey key) {
		Map<String, String> env = new LinkedHashMap<>();
		List<String> warnings = new ArrayList<>();
		TailscaleGrant tailscaleGrant = null;
		if (key != null) {
			env.put("TAILSCALE_AUTHKEY", key.key());
			env.put("TAILSCALE_HOSTNAME", key.hostname());
			tailscaleGrant = new TailscaleGrant(key.id(), key.expiresAt(), key.tags(), key.hostname(), key.ephemeral(),
					key.reusable());
		}
		else {
			warnings.add("Tailscale is not configured (HUB_TAILSCALE_API_KEY or an OAuth client):"
					+ " no TAILSCALE_AUTHKEY");
		}
		env.put("SESSION_HUB_URL", this.properties.sessionHubUrl());
		env.put("HUB_AGENT_URL", this.properties.agentWebSocketUrl());
		env.put("HUB_AGENT_TOKEN", token.token());
		env.put("HUB_AGENT_WORKSPACE_ID", workspace);
		env.put("HUB_AGENT_ID", token.agentId());
		env.put("CHROME_PATH", this.properties.chromePath());
		env.put("CDP_HOST", this.properties.cdpHost());
		env.put("CDP_PORT", String.valueOf(this.properties.cdpPort()));
		ShimGrant shimGrant = null;
		List<String> install = List.of();
		if (shim != null) {
			String version = shim.version().toString();
			shimGrant = new ShimGrant(version, this.properties.shimUrl(version), shim.sha256(), shim.size());
			env.put("CDP_SHIM_URL", shimGrant.url());
			env.put("CDP_SHIM_SHA256", shimGrant.sha256());
			String path = this.properties.chromePath();
			install = List.of("curl -fSL -o " + path + " '" + shimGrant.url() + "'",
					"echo '" + shimGrant.sha256() + "  " + path + "' | sha256sum -c -", "chmod +x " + path);
		}
		else {
			warnings.add("the CDP shim registry holds no release yet: no CDP_SHIM_URL");
		}
		logger.info("Provisioned workspace {}: agent {} (token until {}), Tailscale key {}, shim {}", workspace,
				token.agentId(), token.expiresAt(), (key != null) ? key.id() : "-",
				(shim != null) ? shim.version() : "-");
		return new Provisioning(workspace, env, tailscaleGrant,
				new AgentGrant(token.agentId(), workspace, token.expiresAt().toString(),
						this.properties.sessionHubUrl(), this.properties.agentWebSocketUrl()),
				shimGrant, install, warnings);
	}

}
