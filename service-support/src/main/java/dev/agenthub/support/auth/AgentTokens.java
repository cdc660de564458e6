package dev.agenthub.support.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.agenthub.contracts.auth.Role;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.channel.ChannelKind;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import org.springframework.util.StringUtils;

/**
 * The one place hub services mint agent tokens: {@code roles: ["agent"]}, {@code sub} the
 * agent id, {@code workspace} the one workspace it serves, and an expiry. Tokens are
 * signed with the shared HS256 secret; a hub that verifies with an issuer's JWKS holds no
 * signing key, so there {@link #mint} answers {@code unavailable} (the issuer mints agent
 * tokens then).
 */
public final class AgentTokens {

	private final DevTokens signer;

	private AgentTokens(DevTokens signer) {
		this.signer = signer;
	}

	/** Minting with the configured secret, or none when tokens are verified by JWKS. */
	public static AgentTokens from(HubAuthProperties properties) {
		if (StringUtils.hasText(properties.jwkSetUri())) {
			return new AgentTokens(null);
		}
		return new AgentTokens(new DevTokens(DevSecret.resolve(properties)));
	}

	/** Whether this hub can mint agent tokens. */
	public boolean available() {
		return this.signer != null;
	}

	/**
	 * A fresh agent token.
	 * @param agentId the agent's id ({@code sub}); validated as a channel id
	 * @param workspaceId the workspace it serves; validated as a channel id
	 * @param ttl its lifetime, positive
	 * @return the token and its expiry
	 * @throws ContractViolation {@code bad_request} for an invalid id,
	 * {@code unavailable} when this hub holds no signing key
	 */
	public Minted mint(String agentId, String workspaceId, Duration ttl) {
		Channel.of(ChannelKind.AGENT, agentId);
		Channel.workspace(workspaceId);
		if (ttl == null || ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("an agent token's lifetime must be positive");
		}
		if (this.signer == null) {
			throw new ContractViolation(ErrorCode.UNAVAILABLE,
					"this hub verifies tokens with an issuer's JWKS (hub.auth.jwk-set-uri) and holds no signing key:"
							+ " agent tokens come from that issuer");
		}
		Instant expiresAt = Instant.now().plus(ttl);
		String token = this.signer.mint(agentId, List.of(Role.AGENT.claimValue()), null, workspaceId, ttl);
		return new Minted(token, agentId, workspaceId, expiresAt);
	}

	/**
	 * A minted agent token.
	 *
	 * @param token the compact JWT
	 * @param agentId its {@code sub}
	 * @param workspaceId its {@code workspace}
	 * @param expiresAt when it expires (to within a second)
	 */
	public record Minted(String token, String agentId, String workspaceId, Instant expiresAt) {

		// The token never reaches a log through this record.
		@Override
		public String toString() {
			return "Minted[agentId=" + this.agentId + ", workspaceId=" + this.workspaceId + ", expiresAt="
					+ this.expiresAt + "]";
		}

	}

}
