package dev.agenthub.support.db;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The PostgreSQL services use when configured ({@code hub.postgres.*}).
 *
 * @param url {@code HUB_POSTGRES_URL}, e.g. {@code postgresql://127.0.0.1:5432/hub}
 * ({@code jdbc:} and {@code r2dbc:} prefixes are accepted); empty for embedded H2
 * @param user {@code HUB_POSTGRES_USER}
 * @param password {@code HUB_POSTGRES_PASSWORD}
 */
@ConfigurationProperties("hub.postgres")
public record PostgresProperties(String url, @DefaultValue("postgres") String user, @DefaultValue("") String password) {

	/** Whether PostgreSQL is configured (else embedded H2). */
	public boolean configured() {
		return this.url != null && !this.url.isBlank();
	}

	/** The URL without a driver prefix: {@code postgresql://host:port/db}. */
	String location() {
		String location = this.url;
		for (String prefix : new String[] { "jdbc:", "r2dbc:" }) {
			if (location.startsWith(prefix)) {
				location = location.substring(prefix.length());
			}
		}
		return location.startsWith("postgres://") ? "postgresql://" + location.substring("postgres://".length())
				: location;
	}

}
