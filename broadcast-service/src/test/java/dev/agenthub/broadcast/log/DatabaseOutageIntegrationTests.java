package dev.agenthub.broadcast.log;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import dev.agenthub.broadcast.BroadcastServiceApplication;
import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.HubEvent;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.TcpProxy;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL dies and comes back (every connection to it cut, new ones refused, then let
 * through again) while events are published: publishing goes on (the engine, not the
 * database, takes them), reading the durable log answers 503 {@code unavailable}
 * meanwhile, and once the database is back the log writer writes every event published
 * while it was gone — in order, none lost, none twice.
 */
class DatabaseOutageIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(60);

	private final List<AutoCloseable> open = new ArrayList<>();

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable closeable : this.open) {
			closeable.close();
		}
	}

	@Test
	void eventsPublishedWhileTheDatabaseIsGoneAreLoggedOnceItIsBack() throws Exception {
		PostgresFixture.Database database = PostgresFixture.newDatabase();
		URI direct = URI.create(database.r2dbcUrl().substring("r2dbc:".length()));
		TcpProxy proxy = TcpProxy.to(direct.getHost(), direct.getPort());
		this.open.add(proxy);
		String viaProxy = "postgresql://127.0.0.1:" + proxy.port() + direct.getPath();
		Map<String, String> postgres = new HashMap<>(HubTestProperties.postgres(database));
		postgres.put("hub.postgres.url", viaProxy);
		List<String> args = new ArrayList<>(HubTestProperties.asArgs(HubTestProperties.redisEngine(), postgres));
		args.addAll(List.of("--server.port=0", "--spring.main.banner-mode=off"));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BroadcastServiceApplication.class)
			.run(args.toArray(String[]::new));
		this.open.add(context::close);
		Broker broker = context.getBean(Broker.class);
		EventLogRepository repository = context.getBean(EventLogRepository.class);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		String channel = "workspace:db-outage-" + System.nanoTime();

		String epoch = publish(broker, channel, 1, 10);
		await().atMost(WAIT).until(() -> logged(repository, channel, epoch).size() == 10);

		proxy.cut();
		assertThat(publish(broker, channel, 11, 30)).as("publishing goes on").isEqualTo(epoch);
		HttpResponse<String> read = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/channels/" + channel + "/events?epoch="
						+ epoch + "&since=0&limit=100"))
				.header("Authorization", "Bearer " + TestTokens.admin("db-outage-reader"))
				.timeout(WAIT)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(read.statusCode()).isEqualTo(503);
		assertThat(read.body()).contains("\"code\":\"unavailable\"");

		proxy.restore();
		await().atMost(WAIT).until(() -> logged(repository, channel, epoch).size() >= 30);
		assertThat(logged(repository, channel, epoch)).extracting(HubEvent::offset)
			.containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
	}

	/** Publishes events {@code from..to}; the channel's epoch. */
	private static String publish(Broker broker, String channel, int from, int to) {
		String epoch = null;
		for (int i = from; i <= to; i++) {
			epoch = broker.publish(channel, "tab:output", HubJson.parse("{\"tabId\":\"t\",\"data\":\"" + i + "\"}"))
				.block(Duration.ofSeconds(5))
				.event()
				.epoch();
		}
		return epoch;
	}

	private static List<HubEvent> logged(EventLogRepository repository, String channel, String epoch) {
		try {
			return repository.findAfter(channel, epoch, 0, 100).collectList().block(Duration.ofSeconds(5));
		}
		catch (RuntimeException ex) {
			return List.of();
		}
	}

}
