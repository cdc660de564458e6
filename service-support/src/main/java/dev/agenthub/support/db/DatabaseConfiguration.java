package dev.agenthub.support.db;

import java.nio.file.Path;
import java.time.Duration;

import io.r2dbc.h2.H2ConnectionConfiguration;
import io.r2dbc.h2.H2ConnectionFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A service's database: PostgreSQL when {@code HUB_POSTGRES_URL} is set, else an embedded
 * H2 file database (PostgreSQL mode) under {@code hub.data-dir}, so the hub runs with no
 * external services. Flyway migrates it (over JDBC) before the R2DBC pool is handed out.
 * Active for services that name their database ({@code hub.database.name}).
 * <p>
 * Migrations write {@code ${json_type}} for JSON columns: {@code jsonb} on PostgreSQL,
 * {@code VARCHAR} on H2; {@code ${json_text_type}} for JSON kept verbatim: {@code json}
 * on PostgreSQL (which, unlike {@code jsonb}, holds a NUL character), {@code VARCHAR} on
 * H2.
 */
@AutoConfiguration(beforeName = { "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
		"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration" })
@ConditionalOnClass({ ConnectionFactory.class, Flyway.class })
@ConditionalOnProperty("hub.database.name")
@EnableConfigurationProperties({ HubDatabaseProperties.class, PostgresProperties.class })
public class DatabaseConfiguration {

	private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";

	/** Migrates over JDBC; not a bean, so that no database initializer waits on it. */
	static void migrate(HubDatabaseProperties properties, PostgresProperties postgres) {
		var configuration = Flyway.configure()
			.table("flyway_" + properties.name() + "_history")
			.locations("classpath:db/migration/" + properties.name())
			// A database shared with other services is not empty: our history starts
			// below
			// V1 there, so V1 still runs (the default baseline version 1 would skip it).
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.placeholders(java.util.Map.of("json_type", postgres.configured() ? "jsonb" : "VARCHAR", "json_text_type",
					postgres.configured() ? "json" : "VARCHAR"));
		if (postgres.configured()) {
			configuration.dataSource("jdbc:" + postgres.location(), postgres.user(), postgres.password());
		}
		else {
			configuration.dataSource("jdbc:h2:file:" + h2File(properties) + H2_OPTIONS, "sa", "");
		}
		configuration.load().migrate();
	}

	@Bean(destroyMethod = "dispose")
	@ConditionalOnMissingBean
	ConnectionPool connectionFactory(HubDatabaseProperties properties, PostgresProperties postgres) {
		migrate(properties, postgres);
		ConnectionFactory factory;
		if (postgres.configured()) {
			factory = ConnectionFactories.get(ConnectionFactoryOptions.parse("r2dbc:" + postgres.location())
				.mutate()
				.option(ConnectionFactoryOptions.USER, postgres.user())
				.option(ConnectionFactoryOptions.PASSWORD, postgres.password())
				.build());
		}
		else {
			factory = new H2ConnectionFactory(H2ConnectionConfiguration.builder()
				.url("file:" + h2File(properties) + H2_OPTIONS)
				.username("sa")
				.build());
		}
		return new ConnectionPool(ConnectionPoolConfiguration.builder(factory)
			.initialSize(1)
			.maxSize(properties.poolSize())
			.maxAcquireTime(Duration.ofSeconds(5))
			.maxCreateConnectionTime(Duration.ofSeconds(5))
			.build());
	}

	private static String h2File(HubDatabaseProperties properties) {
		return Path.of(properties.dataDir()).toAbsolutePath().normalize().resolve(properties.name()).toString();
	}

}
