package dev.agenthub.integration.shim;

import dev.agenthub.testsupport.PostgresFixture;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.flywaydb.core.Flyway;
import org.springframework.r2dbc.core.DatabaseClient;

/** The database store against a real PostgreSQL, one fresh database per test. */
class DatabaseReleaseStoreIntegrationTests extends ReleaseStoreContractTests {

	private DatabaseClient db;

	@Override
	ReleaseStore createStore() {
		PostgresFixture.Database database = PostgresFixture.newDatabase();
		Flyway.configure()
			.dataSource(database.jdbcUrl(), database.username(), database.password())
			.locations("classpath:db/migration/integration")
			.table("flyway_integration_history")
			.load()
			.migrate();
		ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.parse(database.r2dbcUrl())
			.mutate()
			.option(ConnectionFactoryOptions.USER, database.username());
		if (!database.password().isEmpty()) {
			options.option(ConnectionFactoryOptions.PASSWORD, database.password());
		}
		this.db = DatabaseClient.create(ConnectionFactories.get(options.build()));
		return new DatabaseReleaseStore(this.db, CHUNK);
	}

	@Override
	long leftovers() {
		return leftovers(this.db);
	}

	/** Chunk rows no release names: what a failed or abandoned upload left behind. */
	static long leftovers(DatabaseClient db) {
		return db
			.sql("SELECT count(*) AS n FROM shim_chunk c WHERE NOT EXISTS"
					+ " (SELECT 1 FROM shim_release r WHERE r.upload_id = c.upload_id)")
			.map((row) -> row.get("n", Long.class))
			.one()
			.block(TIMEOUT);
	}

}
