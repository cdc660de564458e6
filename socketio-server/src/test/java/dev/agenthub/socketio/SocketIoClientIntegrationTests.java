package dev.agenthub.socketio;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.agenthub.socketio.conformance.PathRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official {@code socket.io-client} (npm, in {@code src/test/node}) against the
 * server: auth, connect errors, acks both ways, binary, each transport, upgrade and
 * connection state recovery. Runs {@code npm ci} first when node_modules is missing.
 */
class SocketIoClientIntegrationTests {

	private static final File NODE_DIR = new File("src/test/node");

	private static SocketIoServer io;

	private static DisposableServer server;

	@BeforeAll
	static void start() throws Exception {
		installClient();
		io = new SocketIoServer(SocketIoConfig.defaults().withHeartbeat(Duration.ofMillis(400), Duration.ofSeconds(5)),
				Map.of("/", new TestNamespaces.Main(), "/private", new TestNamespaces.Private(), "/recover",
						new TestNamespaces.Recovering()),
				SocketIoMetrics.NOOP);
		PathRouter router = new PathRouter().route("/socket.io/", io.webHandler());
		server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.webHandler(router).build()))
			.bindNow(Duration.ofSeconds(10));
	}

	@AfterAll
	static void stop() {
		if (io != null) {
			io.shutdown().block(Duration.ofSeconds(5));
		}
		if (server != null) {
			server.disposeNow(Duration.ofSeconds(5));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "connect-auth", "connect-error", "emit-ack", "binary", "polling-only", "websocket-only",
			"upgrade", "heartbeat", "server-disconnect", "recovery" })
	void officialClientScenarioPasses(String scenario) throws Exception {
		Result result = run(List.of("node", "scenarios.mjs", "http://127.0.0.1:" + server.port(), scenario),
				Duration.ofSeconds(30));
		assertThat(result.output()).as("node scenario output").contains("PASS " + scenario);
		assertThat(result.exitCode()).isZero();
	}

	private static void installClient() throws Exception {
		if (new File(NODE_DIR, "node_modules/socket.io-client").isDirectory()) {
			return;
		}
		Result result = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(3));
		assertThat(result.exitCode()).as("npm ci failed:%n%s", result.output()).isZero();
	}

	private record Result(int exitCode, String output) {
	}

	private static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
		File log = File.createTempFile("socketio-node", ".log");
		try {
			Process process = new ProcessBuilder(command).directory(NODE_DIR)
				.redirectErrorStream(true)
				.redirectOutput(log)
				.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				return new Result(-1, "timed out: " + read(log));
			}
			return new Result(process.exitValue(), read(log));
		}
		finally {
			log.delete();
		}
	}

	private static String read(File file) throws IOException {
		return java.nio.file.Files.readString(file.toPath(), StandardCharsets.UTF_8);
	}

}
