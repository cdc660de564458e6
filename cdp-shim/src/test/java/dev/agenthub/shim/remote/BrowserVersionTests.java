package dev.agenthub.shim.remote;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrowserVersionTests {

	@Test
	void shouldReadTheBrowserTarget() {
		BrowserVersion version = BrowserVersion.from(RemoteChrome.json()
			.readTree("{\"Browser\":\"Chrome/156.0.8078.79\",\"webSocketDebuggerUrl\":"
					+ "\"ws://localhost:9222/devtools/browser/3a6e-11\"}"));
		assertThat(version.product()).isEqualTo("Chrome/156.0.8078.79");
		assertThat(version.browserPath()).isEqualTo("/devtools/browser/3a6e-11");
		assertThat(version.browserId()).isEqualTo("3a6e-11");
	}

	@Test
	void shouldRefuseADocumentWithoutBrowserUrl() {
		assertThatThrownBy(() -> BrowserVersion.from(RemoteChrome.json().readTree("{\"Browser\":\"x\"}")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("webSocketDebuggerUrl");
	}

}
