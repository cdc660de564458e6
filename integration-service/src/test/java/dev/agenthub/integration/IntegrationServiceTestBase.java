package dev.agenthub.integration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import dev.agenthub.integration.provision.FakeAgentService;
import dev.agenthub.integration.tailscale.FakeTailscale;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The service as it runs in production: releases in a real PostgreSQL, Tailscale with an
 * API access token against a {@link FakeTailscale}. Test classes extending this share one
 * application context (and so one database and one fake).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
public abstract class IntegrationServiceTestBase {

	protected static final PostgresFixture.Database DATABASE = sharedDatabase();

	protected static final FakeTailscale TAILSCALE = FakeTailscale.start(Instant::now);

	/** Where provisioning reserves agent ids. */
	protected static final FakeAgentService AGENT_SERVICE = FakeAgentService.start();

	/** The upload limit the tests run with. */
	protected static final int MAX_SIZE = 256 * 1024;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("hub.postgres.url", () -> DATABASE.r2dbcUrl().substring("r2dbc:".length()));
		registry.add("hub.postgres.user", DATABASE::username);
		registry.add("hub.postgres.password", DATABASE::password);
		registry.add("hub.auth.jwt-secret", () -> TestTokens.SECRET);
		registry.add("hub.shim.max-size", () -> MAX_SIZE + "B");
		registry.add("hub.shim.chunk-size", () -> "4KB");
		registry.add("hub.tailscale.api-url", TAILSCALE::url);
		registry.add("hub.tailscale.api-key", () -> FakeTailscale.API_KEY);
		registry.add("hub.tailscale.retry-backoff", () -> "10ms");
		registry.add("hub.tailscale.max-retry-delay", () -> "2s");
		registry.add("hub.tailscale.request-timeout", () -> "1s");
		registry.add("hub.provision.agent-service-internal-url", AGENT_SERVICE::url);
	}

	/** A database another service already uses, as when services share one PostgreSQL. */
	private static PostgresFixture.Database sharedDatabase() {
		PostgresFixture.Database database = PostgresFixture.newDatabase();
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl());
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE other_service_events (id BIGINT PRIMARY KEY)");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return database;
	}

	@LocalServerPort
	protected int port;

	/**
	 * A client on a connection of its own per request: no pooled keep-alive connection is
	 * carried from one test into the next (a first request once waited 20 s on one).
	 */
	protected WebTestClient client() {
		return TestHttp.client(this.port, Duration.ofSeconds(20));
	}

}
