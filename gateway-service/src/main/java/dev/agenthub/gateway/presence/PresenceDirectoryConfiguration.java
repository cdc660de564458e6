package dev.agenthub.gateway.presence;

import java.time.Duration;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.contracts.auth.Role;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.engine.HubEngineProperties;
import dev.agenthub.support.logging.ThrottledWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link PresenceDirectory} (Redis on the Redis engines, else memory) and the session
 * listener that fills it when a person's connection authenticates.
 */
@Configuration(proxyBeanMethods = false)
class PresenceDirectoryConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(PresenceDirectoryConfiguration.class);

	/** Most users the memory directory keeps. */
	static final int MEMORY_CAPACITY = 100_000;

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnExpression("'${hub.engine:memory}'.startsWith('redis')")
	PresenceDirectory redisPresenceDirectory(RedisEngine redis, HubEngineProperties engine) {
		return new RedisPresenceDirectory(redis, engine.keyPrefix());
	}

	@Bean
	@ConditionalOnMissingBean
	PresenceDirectory inMemoryPresenceDirectory() {
		return new InMemoryPresenceDirectory(MEMORY_CAPACITY);
	}

	@Bean
	GatewaySession.SessionListener presenceDirectoryRecorder(PresenceDirectory directory) {
		ThrottledWarning notUpdated = new ThrottledWarning(logger, Duration.ofSeconds(10));
		return new GatewaySession.SessionListener() {

			@Override
			public void authenticated(GatewaySession session) {
				remember(session);
			}

			@Override
			public void refreshed(GatewaySession session) {
				// a narrower or wider token: its people are those of its workspaces now
				remember(session);
			}

			private void remember(GatewaySession session) {
				HubPrincipal principal = session.principal();
				if (principal != null && (principal.has(Role.USER) || principal.isAdmin())) {
					// an admin is of every workspace, as its announcements go to everyone
					directory.remember(principal.subject(), PresenceVisibility.workspacesOf(principal))
						.subscribe(null, (ex) -> notUpdated.warn("Presence directory not updated for {}: {}",
								principal.subject(), ex.toString()));
				}
			}

		};
	}

}
