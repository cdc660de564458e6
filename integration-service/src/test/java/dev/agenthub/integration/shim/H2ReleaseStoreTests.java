package dev.agenthub.integration.shim;

import java.util.UUID;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.flywaydb.core.Flyway;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The database store on the embedded H2 the single-process default uses, same migrations.
 */
class H2ReleaseStoreTests extends ReleaseStoreContractTests {

	private static final String OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";

	private DatabaseClient db;

	@Override
	ReleaseStore createStore() {
		String name = "shim" + UUID.randomUUID().toString().replace("-", "");
		Flyway.configure()
			.dataSource("jdbc:h2:mem:" + name + OPTIONS, "sa", "")
			.locations("classpath:db/migration/integration")
			.table("flyway_integration_history")
			.load()
			.migrate();
		ConnectionFactoryOptions options = ConnectionFactoryOptions.parse("r2dbc:h2:mem:///" + name + OPTIONS)
			.mutate()
			.option(ConnectionFactoryOptions.USER, "sa")
			.option(ConnectionFactoryOptions.PASSWORD, "")
			.build();
		this.db = DatabaseClient.create(ConnectionFactories.get(options));
		return new DatabaseReleaseStore(this.db, CHUNK);
	}

	@Override
	long leftovers() {
		return DatabaseReleaseStoreIntegrationTests.leftovers(this.db);
	}

}
