package dev.agenthub.shim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The shim executable against a real headless Chromium: what a launcher sees (version,
 * DevTools line, {@code DevToolsActivePort}), the relayed endpoints, and every way the
 * process ends.
 */
@Timeout(120)
class ShimProcessIntegrationTests {

	private static final Duration STARTUP = Duration.ofSeconds(30);

	private static final Duration IO = Duration.ofSeconds(20);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static RemoteChromium remote;

	private static ShimProcess shim;

	private static int shimPort;

	private static Path userDataDir;

	private static String devToolsLine;

	@BeforeAll
	static void startRemoteAndShim() throws Exception {
		remote = RemoteChromium.start();
		userDataDir = Files.createTempDirectory("cdp-shim-profile-");
		// The shared shim reaches Chromium by name when this host has a loopback name, so
		// every test here also proves Chrome accepted the Host header the shim sends.
		shim = ShimProcess.start(loopbackName(), remote.port(), "--remote-debugging-port=0",
				"--user-data-dir=" + userDataDir, "--headless=new", "--no-sandbox", "--mute-audio", "about:blank");
		Matcher line = shim.awaitDevToolsLine(STARTUP);
		devToolsLine = line.group(0);
		shimPort = Integer.parseInt(line.group(2));
	}

	@AfterAll
	static void stop() throws Exception {
		if (shim != null) {
			shim.close();
		}
		if (remote != null) {
			remote.close();
		}
		if (userDataDir != null) {
			RemoteChromium.deleteTree(userDataDir);
		}
	}

	@Test
	void shouldAnnounceTheRemoteBrowserLikeChrome() throws IOException {
		assertThat(devToolsLine)
			.isEqualTo("DevTools listening on ws://127.0.0.1:" + shimPort + "/devtools/browser/" + remote.browserId());
		assertThat(shimPort).isNotEqualTo(remote.port());
		assertThat(Files.readAllLines(userDataDir.resolve("DevToolsActivePort"), StandardCharsets.UTF_8))
			.containsExactly(Integer.toString(shimPort), remote.browserPath());
	}

	@Test
	void shouldRelayJsonVersionWithItsOwnAddress() {
		JsonNode version = json(HttpMethod.GET, "/json/version");
		JsonNode direct = JSON
			.readTree(get(HttpClient.create(), "http://127.0.0.1:" + remote.port() + "/json/version"));
		assertThat(version.get("Browser").asString()).isEqualTo(direct.get("Browser").asString());
		assertThat(version.get("webSocketDebuggerUrl").asString())
			.isEqualTo("ws://127.0.0.1:" + shimPort + remote.browserPath());
	}

	@Test
	void shouldRelayTargetEndpointsWithItsOwnAddress() {
		JsonNode created = json(HttpMethod.PUT, "/json/new?about:blank");
		String id = created.get("id").asString();
		assertThat(created.get("webSocketDebuggerUrl").asString())
			.isEqualTo("ws://127.0.0.1:" + shimPort + "/devtools/page/" + id);
		JsonNode target = findTarget(json(HttpMethod.GET, "/json/list"), id);
		assertThat(target).isNotNull();
		assertThat(target.get("devtoolsFrontendUrl").asString())
			.contains("ws=127.0.0.1:" + shimPort + "/devtools/page/" + id);
		assertThat(findTarget(json(HttpMethod.GET, "/json"), id)).isNotNull();
		assertThat(text(HttpMethod.GET, "/json/activate/" + id)).contains("Target activated");
		assertThat(text(HttpMethod.GET, "/json/close/" + id)).contains("Target is closing");
	}

	@Test
	void shouldRelayTheProtocolDescription() {
		JsonNode protocol = json(HttpMethod.GET, "/json/protocol");
		assertThat(protocol.get("domains").size()).isGreaterThan(10);
	}

	@Test
	void shouldRefuseForeignHostHeadersLikeChrome() {
		String answer = HttpClient.create()
			.headers((headers) -> headers.set(HttpHeaderNames.HOST, "attacker.example"))
			.get()
			.uri(shimUrl("/json/version"))
			.responseSingle((response,
					body) -> body.asString().defaultIfEmpty("").map((text) -> response.status().code() + " " + text))
			.block(IO);
		assertThat(answer).isEqualTo("500 Host header is specified and is not an IP address or localhost.");
	}

	@Test
	void shouldRelayTheBrowserWebSocket() throws Exception {
		try (CdpWebSocket browser = CdpWebSocket.connect(wsUrl(remote.browserPath()))) {
			JsonNode targets = JSON.readTree(browser.call(1, "{\"id\":1,\"method\":\"Target.getTargets\"}", IO));
			assertThat(targets.at("/result/targetInfos").isArray()).isTrue();
			JsonNode version = JSON.readTree(browser.call(2, "{\"id\":2,\"method\":\"Browser.getVersion\"}", IO));
			assertThat(version.at("/result/product").asString()).matches("(Headless)?Chrome/[0-9.]+");
		}
	}

	@Test
	void shouldRelayPageWebSocketsWithLargeMessages() throws Exception {
		String id = json(HttpMethod.PUT, "/json/new?about:blank").get("id").asString();
		try (CdpWebSocket page = CdpWebSocket.connect(wsUrl("/devtools/page/" + id))) {
			JsonNode small = JSON.readTree(page.call(1,
					"{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"6 * 7\"}}", IO));
			assertThat(small.at("/result/result/value").asInt()).isEqualTo(42);
			JsonNode large = JSON.readTree(page.call(2,
					"{\"id\":2,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"'x'.repeat(8000000)\"}}",
					IO));
			assertThat(large.at("/result/result/value").asString()).hasSize(8_000_000);
		}
		text(HttpMethod.GET, "/json/close/" + id);
	}

	@Test
	void shouldRefuseWebSocketsFromForeignOriginsLikeChrome() {
		// Reactor Netty's client sends an Origin header of its own.
		String refusal = HttpClient.create()
			.websocket()
			.uri(wsUrl(remote.browserPath()))
			.handle((in, out) -> Mono.just("accepted"))
			.onErrorResume((error) -> Mono.just(error.getMessage()))
			.blockFirst(IO);
		assertThat(refusal).contains("403");
	}

	@Test
	void shouldAnswerUnknownTargetsWithAnHttpError() {
		assertThatThrownBy(() -> CdpWebSocket.connect(wsUrl("/devtools/page/NO-SUCH-TARGET")))
			.satisfies((error) -> assertThat(handshakeFailure(error).getResponse().statusCode()).isBetween(400, 599));
		assertThat(shim.process().isAlive()).isTrue();
	}

	@Test
	void shouldPrintTheRemoteChromeVersion() throws Exception {
		String remoteVersion = JSON
			.readTree(get(HttpClient.create(), "http://127.0.0.1:" + remote.port() + "/json/version"))
			.get("Browser")
			.asString();
		try (ShimProcess version = ShimProcess.start("127.0.0.1", remote.port(), "--version")) {
			assertThat(version.awaitExit(STARTUP)).isZero();
			assertThat(version.stdout().strip()).matches("Chromium \\d+\\.\\d+\\.\\d+\\.\\d+ \\(CDP shim .+\\)")
				.startsWith("Chromium " + remoteVersion.substring(remoteVersion.indexOf('/') + 1) + " ");
			if (ShimExecutable.isReleaseArtifact()) {
				assertThat(version.stdout()).contains("(CDP shim 0.");
			}
		}
	}

	@Test
	void launcherShouldPassOverJavaOlderThan21() throws Exception {
		Path oldJdk = Files.createTempDirectory("cdp-shim-old-jdk-");
		try {
			// A Java 17 first in JAVA_HOME and on PATH, as on Debian, with a new one
			// later.
			Files.createDirectories(oldJdk.resolve("bin"));
			Files.writeString(oldJdk.resolve("release"), "JAVA_VERSION=\"17.0.9\"\n");
			Path oldJava = oldJdk.resolve("bin/java");
			Files.writeString(oldJava, "#!/bin/sh\necho 'openjdk version \"17.0.9\" 2023-10-17' >&2\nexit 0\n");
			Files.setPosixFilePermissions(oldJava, PosixFilePermissions.fromString("rwxr-xr-x"));
			String newJavaBin = Path.of(System.getProperty("java.home"), "bin").toString();
			Map<String, String> env = Map.of("JAVA_HOME", oldJdk.toString(), "CDP_SHIM_JAVA", "", "PATH",
					oldJdk.resolve("bin") + ":" + newJavaBin + ":/usr/local/bin:/usr/bin:/bin");
			try (ShimProcess version = ShimProcess.start(env, "127.0.0.1", remote.port(), "--version")) {
				assertThat(version.awaitExit(STARTUP)).as(version.stderr()).isZero();
				assertThat(version.stdout()).startsWith("Chromium ");
			}
		}
		finally {
			RemoteChromium.deleteTree(oldJdk);
		}
	}

	@Test
	void shouldFailClearlyWhenTheRemoteIsUnreachable() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		try (ShimProcess unreachable = ShimProcess.start("127.0.0.1", closedPort, "--remote-debugging-port=0")) {
			assertThat(unreachable.awaitExit(STARTUP)).isEqualTo(1);
			assertThat(unreachable.stderr()).contains("chromium (CDP shim): cannot reach the remote Chrome at")
				.contains("CDP_PORT=" + closedPort)
				.doesNotContain("DevTools listening");
		}
	}

	@Test
	void shouldRefuseACommandLineWithNothingToRelay() throws Exception {
		try (ShimProcess idle = ShimProcess.start("127.0.0.1", remote.port(), "--headless")) {
			assertThat(idle.awaitExit(STARTUP)).isEqualTo(2);
			assertThat(idle.stderr()).contains("nothing to relay");
		}
	}

	@Test
	void shouldRefusePipeModeWhenNoPipesWerePassed() throws Exception {
		try (ShimProcess pipe = ShimProcess.start("127.0.0.1", remote.port(), "--remote-debugging-pipe")) {
			assertThat(pipe.awaitExit(STARTUP)).isEqualTo(2);
			assertThat(pipe.stderr()).contains("file descriptors 3 and 4");
		}
	}

	@Test
	void shouldExitOnSigterm() throws Exception {
		try (ShimProcess running = ShimProcess.start("127.0.0.1", remote.port(), "--remote-debugging-port=0")) {
			running.awaitDevToolsLine(STARTUP);
			running.process().destroy();
			assertThat(running.awaitExit(IO)).isEqualTo(143);
		}
		assertThat(get(HttpClient.create(), "http://127.0.0.1:" + remote.port() + "/json/version"))
			.as("the remote Chrome is not closed by a SIGTERM to the shim")
			.contains("webSocketDebuggerUrl");
	}

	@Test
	void shouldExitWhenTheRemoteGoesAway() throws Exception {
		try (RemoteChromium doomed = RemoteChromium.start();
				ShimProcess running = ShimProcess.start("127.0.0.1", doomed.port(), "--remote-debugging-port=0")) {
			running.awaitDevToolsLine(STARTUP);
			doomed.kill();
			assertThat(running.awaitExit(Duration.ofSeconds(40))).isEqualTo(3);
			assertThat(running.stderr()).contains("chromium (CDP shim): ").contains("remote");
		}
	}

	@Test
	void shouldExitAfterRelayingBrowserClose() throws Exception {
		try (RemoteChromium closing = RemoteChromium.start();
				ShimProcess running = ShimProcess.start("127.0.0.1", closing.port(), "--remote-debugging-port=0")) {
			Matcher line = running.awaitDevToolsLine(STARTUP);
			try (CdpWebSocket browser = CdpWebSocket.connect(line.group(1))) {
				assertThat(browser.call(1, "{\"id\":1,\"method\":\"Browser.close\"}", IO))
					.isEqualTo("{\"id\":1,\"result\":{}}");
				assertThat(browser.awaitClosed(IO)).isTrue();
			}
			assertThat(running.awaitExit(IO)).isZero();
			assertThat(closing.awaitExit(IO)).as("Browser.close reached the remote Chrome").isTrue();
		}
	}

	private static WebSocketHandshakeException handshakeFailure(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof WebSocketHandshakeException handshake) {
				return handshake;
			}
		}
		return fail("not a handshake failure: %s", error);
	}

	private static String wsUrl(String path) {
		return "ws://127.0.0.1:" + shimPort + path;
	}

	private static JsonNode findTarget(JsonNode list, String id) {
		for (JsonNode target : list) {
			if (target.get("id").asString().equals(id)) {
				return target;
			}
		}
		return null;
	}

	private static JsonNode json(HttpMethod method, String path) {
		return JSON.readTree(text(method, path));
	}

	private static String text(HttpMethod method, String path) {
		return HttpClient.create().request(method).uri(shimUrl(path)).responseSingle((response, body) -> {
			assertThat(response.status().code()).as("%s %s", method, path).isEqualTo(200);
			return body.asString();
		}).block(IO);
	}

	private static String get(HttpClient client, String url) {
		return client.get().uri(url).responseSingle((response, body) -> body.asString()).block(IO);
	}

	private static String shimUrl(String path) {
		return "http://127.0.0.1:" + shimPort + path;
	}

	/**
	 * A name (not an IP literal, not {@code localhost}) for 127.0.0.1 if this host has
	 * one, else {@code localhost}.
	 */
	private static String loopbackName() {
		try {
			String name = InetAddress.getLocalHost().getHostName();
			boolean loopback = InetAddress.getByName(name).getHostAddress().equals("127.0.0.1");
			return (loopback && !name.matches("[0-9.]+")) ? name : "localhost";
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
