package dev.agenthub.support.engine;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Redis the hub uses with {@code hub.engine=redis} ({@code hub.redis.*}).
 *
 * @param url the Redis URL ({@code HUB_REDIS_URL}), e.g. {@code redis://127.0.0.1:6379}
 * @param timeout command timeout
 */
@ConfigurationProperties("hub.redis")
public record RedisProperties(@DefaultValue("redis://127.0.0.1:6379") String url,
		@DefaultValue("5s") Duration timeout) {

}
