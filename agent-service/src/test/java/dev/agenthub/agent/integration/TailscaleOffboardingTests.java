package dev.agenthub.agent.integration;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What agent-service does with integration-service's answers to an offboarding: Tailscale
 * not configured is quiet, a real failure is a warning, a partial failure (devices in
 * {@code failed}) is called again a bounded number of times, as integration-service's
 * documentation asks.
 */
@ExtendWith(OutputCaptureExtension.class)
class TailscaleOffboardingTests {

	/** The answers integration-service gives, in order; the last one repeats. */
	final Queue<Answer> answers = new ConcurrentLinkedQueue<>();

	final AtomicInteger requests = new AtomicInteger();

	DisposableServer integration;

	volatile Answer last;

	@BeforeEach
	void start() {
		this.integration = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/api/tailscale/workspaces/{id}/offboard", (request, response) -> {
				this.requests.incrementAndGet();
				Answer next = this.answers.poll();
				Answer answer = (next != null) ? next : this.last;
				this.last = answer;
				return response.status(answer.status())
					.header("Content-Type", "application/json")
					.sendString(Mono.just(answer.body()));
			}))
			.bindNow();
	}

	@AfterEach
	void stop() {
		this.integration.disposeNow();
	}

	TailscaleOffboarding offboarding() {
		return new TailscaleOffboarding(WebClient.builder(), () -> "service-token",
				"http://127.0.0.1:" + this.integration.port(), 3, Duration.ofMillis(50));
	}

	void answer(int status, String body) {
		this.answers.add(new Answer(status, body));
	}

	@Test
	void shouldCallAgainWhileDevicesFailAndStopWhenNoneDo(CapturedOutput output) {
		answer(200, "{\"workspaceId\":\"w1\",\"deleted\":[\"n1\"],\"failed\":[\"n2\"]}");
		answer(200, "{\"workspaceId\":\"w1\",\"deleted\":[],\"failed\":[\"n2\"]}");
		answer(200, "{\"workspaceId\":\"w1\",\"deleted\":[\"n2\"],\"failed\":[]}");
		StepVerifier.create(offboarding().offboard("w1")).expectComplete().verify(Duration.ofSeconds(30));
		assertThat(this.requests).hasValue(3);
		assertThat(warnings(output)).isEmpty();
	}

	/**
	 * A service stopping while an offboarding waits to call again (the sidecar tests'
	 * agents report off to an integration-service that is not there): the offboarding
	 * ends at once and says nothing. It called again after its context had closed, and
	 * warned that its client's event loop was gone — into whatever test ran next.
	 */
	@Test
	void shouldEndQuietlyWhenTheServiceStopsDuringItsRetries(CapturedOutput output) {
		answer(503, "{\"code\":\"unavailable\",\"error\":\"Tailscale is rate limiting the hub, try again later\"}");
		TailscaleOffboarding offboarding = new TailscaleOffboarding(WebClient.builder(), () -> "service-token",
				"http://127.0.0.1:" + this.integration.port(), 3, Duration.ofSeconds(2));
		StepVerifier.create(offboarding.offboard("w9"))
			.then(() -> await().atMost(Duration.ofSeconds(10)).until(() -> this.requests.get() == 1))
			.then(offboarding::destroy)
			.expectComplete()
			.verify(Duration.ofSeconds(1));
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> this.requests.get() == 1);
		assertThat(output).doesNotContain("w9");
		// and a workspace is not left marked in flight
		StepVerifier.create(offboarding.offboard("w9")).expectComplete().verify(Duration.ofSeconds(1));
	}

	/**
	 * The warnings of this test's workspaces (other tests' background work may log too).
	 */
	static java.util.List<String> warnings(CapturedOutput output) {
		return output.getAll()
			.lines()
			.filter((line) -> line.contains("WARN") && line.matches(".*workspace w\\d.*"))
			.toList();
	}

	@Test
	void shouldWarnWhenDevicesStillFailAfterItsRetries(CapturedOutput output) {
		answer(200, "{\"workspaceId\":\"w1\",\"deleted\":[],\"failed\":[\"n2\",\"n3\"]}");
		StepVerifier.create(offboarding().offboard("w1")).expectComplete().verify(Duration.ofSeconds(30));
		assertThat(this.requests).hasValue(4);
		assertThat(output).contains("WARN").contains("w1").contains("[n2, n3]");
	}

	@Test
	void shouldStayQuietWhenTailscaleIsNotConfigured(CapturedOutput output) {
		answer(503,
				"{\"code\":\"not_configured\",\"error\":\"Tailscale is not configured: set HUB_TAILSCALE_API_KEY\"}");
		StepVerifier.create(offboarding().offboard("w1")).expectComplete().verify(Duration.ofSeconds(30));
		assertThat(this.requests).hasValue(1);
		assertThat(warnings(output)).isEmpty();
	}

	@Test
	void shouldWarnAndRetryWhenTailscaleFails(CapturedOutput output) {
		answer(503, "{\"code\":\"unavailable\",\"error\":\"Tailscale is rate limiting the hub, try again later\"}");
		answer(503, "{\"code\":\"unavailable\",\"error\":\"Tailscale is rate limiting the hub, try again later\"}");
		answer(200, "{\"workspaceId\":\"w1\",\"deleted\":[\"n1\"],\"failed\":[]}");
		StepVerifier.create(offboarding().offboard("w1")).expectComplete().verify(Duration.ofSeconds(30));
		assertThat(this.requests).hasValue(3);
		answer(503, "{\"code\":\"unavailable\",\"error\":\"Tailscale is rate limiting the hub, try again later\"}");
		this.last = null;
		StepVerifier.create(offboarding().offboard("w2")).expectComplete().verify(Duration.ofSeconds(30));
		assertThat(this.requests).hasValue(3 + 4);
		assertThat(output).contains("WARN").contains("w2").contains("rate limiting").doesNotContain("not configured");
	}

	record Answer(int status, String body) {

	}

}
