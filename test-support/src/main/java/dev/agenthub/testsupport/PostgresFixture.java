package dev.agenthub.testsupport;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for tests: {@code HUB_TEST_POSTGRES_URL} (a JDBC URL), else
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}, else a Testcontainers
 * PostgreSQL where Docker exists; with none of them, tests fail saying how to start one.
 * Each call of {@link #newDatabase()} creates a fresh database, so modules whose tests
 * run at the same time never see each other's rows.
 */
public final class PostgresFixture {

	private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

	private static volatile String adminUrl;

	private PostgresFixture() {
	}

	/**
	 * A new empty database, dropped when the JVM exits.
	 * @return its coordinates
	 */
	public static Database newDatabase() {
		String admin = adminUrl();
		String name = "hub_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		execute(admin, "CREATE DATABASE " + name);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
			}
			catch (RuntimeException ex) {
				// Best effort: a leftover test database is harmless.
			}
		}));
		return Database.of(admin, name);
	}

	private static synchronized String adminUrl() {
		if (adminUrl == null) {
			adminUrl = locate();
		}
		return adminUrl;
	}

	private static String locate() {
		String configured = System.getenv("HUB_TEST_POSTGRES_URL");
		String candidate = (configured != null && !configured.isBlank()) ? configured : DEFAULT_URL;
		if (reachable(candidate)) {
			return candidate;
		}
		if (configured == null && RedisFixture.dockerAvailable()) {
			PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16-alpine");
			postgres.start();
			return postgres.getJdbcUrl() + "&user=" + postgres.getUsername() + "&password=" + postgres.getPassword();
		}
		throw new IllegalStateException("No PostgreSQL for the integration tests at " + candidate
				+ ". Start one with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
				+ " (or set HUB_TEST_POSTGRES_URL, or run Docker for Testcontainers)");
	}

	private static boolean reachable(String url) {
		try (Connection connection = DriverManager.getConnection(url)) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static void execute(String url, String sql) {
		try (Connection connection = DriverManager.getConnection(url);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run '" + sql + "': " + ex.getMessage(), ex);
		}
	}

	/**
	 * A test database.
	 *
	 * @param jdbcUrl its JDBC URL (credentials included as parameters)
	 * @param r2dbcUrl its R2DBC URL
	 * @param username the user
	 * @param password the password, possibly empty
	 */
	public record Database(String jdbcUrl, String r2dbcUrl, String username, String password) {

		static Database of(String adminJdbcUrl, String name) {
			URI uri = URI.create(adminJdbcUrl.substring("jdbc:".length()));
			String user = param(uri.getQuery(), "user", "postgres");
			String password = param(uri.getQuery(), "password", "");
			String hostPort = uri.getHost() + ":" + ((uri.getPort() > 0) ? uri.getPort() : 5432);
			String jdbc = "jdbc:postgresql://" + hostPort + "/" + name + "?user=" + user
					+ (password.isEmpty() ? "" : "&password=" + password);
			return new Database(jdbc, "r2dbc:postgresql://" + hostPort + "/" + name, user, password);
		}

		/**
		 * Runs {@code action} while {@code table} is renamed away, so that whatever uses
		 * it fails in the database as on an outage, then renames it back.
		 */
		public void withoutTable(String table, Runnable action) throws SQLException {
			try (Connection jdbc = DriverManager.getConnection(this.jdbcUrl);
					Statement statement = jdbc.createStatement()) {
				statement.execute("ALTER TABLE " + table + " RENAME TO " + table + "_away");
				try {
					action.run();
				}
				finally {
					statement.execute("ALTER TABLE " + table + "_away RENAME TO " + table);
				}
			}
		}

		private static String param(String query, String key, String fallback) {
			if (query != null) {
				for (String pair : query.split("&")) {
					int eq = pair.indexOf('=');
					if (eq > 0 && pair.substring(0, eq).equals(key)) {
						return pair.substring(eq + 1);
					}
				}
			}
			return fallback;
		}

	}

}
