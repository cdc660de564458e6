package dev.agenthub.support.db;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which database a service uses ({@code hub.database.*}).
 *
 * @param name the service's database name: its H2 file, its Flyway history table
 * ({@code flyway_<name>_history}) and migrations folder ({@code db/migration/<name>}), so
 * services may share one PostgreSQL database
 * @param dataDir where embedded H2 files live ({@code HUB_DATABASE_DATA_DIR})
 * @param poolSize the most connections
 */
@ConfigurationProperties("hub.database")
public record HubDatabaseProperties(String name, @DefaultValue(".hub-data") String dataDir,
		@DefaultValue("10") int poolSize) {

}
