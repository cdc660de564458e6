package dev.agenthub.shim;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --remote-debugging-pipe} without Node: a shell hands the shim two FIFOs as file
 * descriptors 3 and 4, the test speaks NUL-delimited CDP on them.
 */
@Timeout(120)
class PipeModeIntegrationTests {

	private static final Duration IO = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private RemoteChromium remote;

	private Path dir;

	private Process shim;

	private OutputStream toBrowser;

	private InputStream fromBrowser;

	@BeforeEach
	void start() throws Exception {
		this.remote = RemoteChromium.start();
		this.dir = Files.createTempDirectory("cdp-shim-pipe-");
		Path in = this.dir.resolve("in.fifo");
		Path out = this.dir.resolve("out.fifo");
		assertThat(new ProcessBuilder("mkfifo", in.toString(), out.toString()).start().waitFor()).isZero();
		ProcessBuilder builder = new ProcessBuilder("sh", "-c",
				"exec \"$0\" --remote-debugging-pipe --headless --no-sandbox 3<\"$1\" 4>\"$2\"",
				ShimExecutable.path().toString(), in.toString(), out.toString())
			.redirectError(this.dir.resolve("stderr").toFile())
			.redirectOutput(this.dir.resolve("stdout").toFile());
		builder.environment().put("CDP_HOST", "127.0.0.1");
		builder.environment().put("CDP_PORT", Integer.toString(this.remote.port()));
		this.shim = builder.start();
		// The shell opens fd 3 first, then fd 4; opening the FIFOs in the same order
		// never
		// deadlocks. Bounded, in case the shell never gets there.
		this.toBrowser = CompletableFuture.supplyAsync(() -> open(() -> new FileOutputStream(in.toFile())))
			.get(IO.toSeconds(), TimeUnit.SECONDS);
		this.fromBrowser = CompletableFuture.supplyAsync(() -> open(() -> new FileInputStream(out.toFile())))
			.get(IO.toSeconds(), TimeUnit.SECONDS);
	}

	@AfterEach
	void stop() throws Exception {
		this.shim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		this.remote.close();
		RemoteChromium.deleteTree(this.dir);
	}

	@Test
	void shouldBridgeThePipeAndExitWhenTheRemoteGoesAway() throws Exception {
		send("{\"id\":1,\"method\":\"Browser.getVersion\"}");
		JsonNode version = JSON.readTree(receive());
		assertThat(version.get("id").asInt()).isEqualTo(1);
		assertThat(version.at("/result/product").asString()).matches("(Headless)?Chrome/[0-9.]+");
		send("{\"id\":2,\"method\":\"Target.createTarget\",\"params\":{\"url\":\"about:blank\"}}");
		assertThat(JSON.readTree(receiveAnswer(2)).at("/result/targetId").asString()).isNotEmpty();
		this.remote.kill();
		assertThat(this.shim.waitFor(40, TimeUnit.SECONDS)).isTrue();
		assertThat(this.shim.exitValue()).isEqualTo(3);
		assertThat(Files.readString(this.dir.resolve("stderr"))).contains("chromium (CDP shim): ");
	}

	@Test
	void shouldExitQuietlyWhenTheClientClosesThePipe() throws Exception {
		send("{\"id\":1,\"method\":\"Browser.getVersion\"}");
		assertThat(JSON.readTree(receive()).get("id").asInt()).isEqualTo(1);
		this.toBrowser.close();
		assertThat(this.shim.waitFor(IO.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(this.shim.exitValue()).isZero();
		assertThat(this.remote.awaitExit(Duration.ofMillis(500))).as("the remote Chrome keeps running").isFalse();
	}

	private void send(String message) throws IOException {
		this.toBrowser.write(message.getBytes(StandardCharsets.UTF_8));
		this.toBrowser.write(0);
		this.toBrowser.flush();
	}

	private String receiveAnswer(int id) throws IOException {
		while (true) {
			String message = receive();
			if (message.startsWith("{\"id\":" + id + ",")) {
				return message;
			}
		}
	}

	private String receive() throws IOException {
		ByteArrayOutputStream message = new ByteArrayOutputStream();
		int b;
		while ((b = this.fromBrowser.read()) > 0) {
			message.write(b);
		}
		assertThat(b).as("the pipe ended before a message was complete").isZero();
		return message.toString(StandardCharsets.UTF_8);
	}

	private static <T> T open(IoSupplier<T> opener) {
		try {
			return opener.get();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@FunctionalInterface
	private interface IoSupplier<T> {

		T get() throws IOException;

	}

}
