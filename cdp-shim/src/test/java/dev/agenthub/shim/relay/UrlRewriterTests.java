package dev.agenthub.shim.relay;

import java.nio.charset.StandardCharsets;

import dev.agenthub.shim.remote.RemoteChrome;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class UrlRewriterTests {

	private final UrlRewriter rewriter = new UrlRewriter("127.0.0.1:40001");

	@Test
	void shouldPointWebSocketUrlsAtTheShim() {
		assertThat(this.rewriter.rewriteWebSocketUrl("ws://localhost:9222/devtools/page/ABC"))
			.isEqualTo("ws://127.0.0.1:40001/devtools/page/ABC");
		assertThat(this.rewriter.rewriteWebSocketUrl("wss://chrome.example:443/devtools/browser/x?y=1"))
			.isEqualTo("ws://127.0.0.1:40001/devtools/browser/x?y=1");
		assertThat(this.rewriter.rewriteWebSocketUrl("ws://localhost:9222")).isEqualTo("ws://127.0.0.1:40001");
		assertThat(this.rewriter.rewriteWebSocketUrl("/devtools/page/ABC")).isEqualTo("/devtools/page/ABC");
	}

	@Test
	void shouldPointFrontendUrlsAtTheShim() {
		assertThat(this.rewriter.rewriteFrontendUrl(
				"https://chrome-devtools-frontend.appspot.com/serve_rev/@a21c/inspector.html?ws=localhost:9222/devtools/page/ABC"))
			.isEqualTo(
					"https://chrome-devtools-frontend.appspot.com/serve_rev/@a21c/inspector.html?ws=127.0.0.1:40001/devtools/page/ABC");
		assertThat(this.rewriter
			.rewriteFrontendUrl("/devtools/inspector.html?panel=console&wss=10.0.0.2:9222/devtools/page/ABC&x"))
			.isEqualTo("/devtools/inspector.html?panel=console&ws=127.0.0.1:40001/devtools/page/ABC&x");
		assertThat(this.rewriter.rewriteFrontendUrl("/devtools/inspector.html")).isEqualTo("/devtools/inspector.html");
	}

	@Test
	void shouldRewriteEveryTargetOfAList() {
		JsonNode list = RemoteChrome.json()
			.readTree(
					"[{\"id\":\"A\",\"type\":\"page\",\"webSocketDebuggerUrl\":\"ws://localhost:9222/devtools/page/A\","
							+ "\"devtoolsFrontendUrl\":\"/devtools/inspector.html?ws=localhost:9222/devtools/page/A\"},"
							+ "{\"id\":\"B\",\"type\":\"service_worker\",\"url\":\"ws://localhost:9222/not-a-debugger-url\"}]");
		this.rewriter.rewriteDocument(list);
		assertThat(list.get(0).get("webSocketDebuggerUrl").asString())
			.isEqualTo("ws://127.0.0.1:40001/devtools/page/A");
		assertThat(list.get(0).get("devtoolsFrontendUrl").asString())
			.isEqualTo("/devtools/inspector.html?ws=127.0.0.1:40001/devtools/page/A");
		assertThat(list.get(1).get("url").asString()).isEqualTo("ws://localhost:9222/not-a-debugger-url");
	}

	@Test
	void shouldPassNonJsonAnswersThrough() {
		byte[] text = "Unknown command".getBytes(StandardCharsets.UTF_8);
		assertThat(HttpRelay.rewrite(this.rewriter, text)).isEqualTo(text);
		byte[] version = "{\"webSocketDebuggerUrl\":\"ws://localhost:9222/devtools/browser/id\"}"
			.getBytes(StandardCharsets.UTF_8);
		assertThat(new String(HttpRelay.rewrite(this.rewriter, version), StandardCharsets.UTF_8))
			.contains("ws://127.0.0.1:40001/devtools/browser/id");
	}

	@Test
	void shouldFindThePathOfARequest() {
		assertThat(HttpRelay.pathOf("/json/new?about:blank")).isEqualTo("/json/new");
		assertThat(HttpRelay.pathOf("/json")).isEqualTo("/json");
	}

}
