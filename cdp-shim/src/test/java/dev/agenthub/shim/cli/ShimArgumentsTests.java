package dev.agenthub.shim.cli;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShimArgumentsTests {

	@Test
	void shouldUnderstandPuppeteersCommandLine() {
		ShimArguments arguments = ShimArguments.parse("--allow-pre-commit-input", "--disable-background-networking",
				"--enable-features=NetworkServiceInProcess2", "--headless=new", "--hide-scrollbars", "--mute-audio",
				"about:blank", "--remote-debugging-port=0", "--user-data-dir=/tmp/puppeteer_dev_chrome_profile-x");
		assertThat(arguments.remoteDebuggingPort()).hasValue(0);
		assertThat(arguments.pipe()).isFalse();
		assertThat(arguments.headless()).isTrue();
		assertThat(arguments.userDataDir()).contains(Path.of("/tmp/puppeteer_dev_chrome_profile-x"));
		assertThat(arguments.remoteDebuggingAddress()).isEqualTo("127.0.0.1");
		assertThat(arguments.positional()).containsExactly("about:blank");
		assertThat(arguments.ignoredSwitches()).contains("--mute-audio", "--enable-features=NetworkServiceInProcess2");
		assertThat(arguments.hasDebuggingEndpoint()).isTrue();
	}

	@Test
	void shouldUnderstandPlaywrightsPipeCommandLine() {
		ShimArguments arguments = ShimArguments.parse("--disable-field-trial-config", "--no-sandbox", "--headless",
				"--user-data-dir=/tmp/playwright_chromiumdev_profile-y", "--remote-debugging-pipe",
				"--no-startup-window");
		assertThat(arguments.pipe()).isTrue();
		assertThat(arguments.remoteDebuggingPort()).isEmpty();
		assertThat(arguments.headless()).isTrue();
		assertThat(arguments.hasDebuggingEndpoint()).isTrue();
	}

	@Test
	void shouldAcceptSingleDashSwitchesLikeChromeOnLinux() {
		ShimArguments arguments = ShimArguments.parse("-remote-debugging-port=9223", "-headless=old",
				"-remote-debugging-address=0.0.0.0");
		assertThat(arguments.remoteDebuggingPort()).hasValue(9223);
		assertThat(arguments.headless()).isTrue();
		assertThat(arguments.remoteDebuggingAddress()).isEqualTo("0.0.0.0");
	}

	@Test
	void shouldTreatEverythingAfterDoubleDashAsPositional() {
		ShimArguments arguments = ShimArguments.parse("--remote-debugging-pipe", "--", "--remote-debugging-port=1");
		assertThat(arguments.remoteDebuggingPort()).isEmpty();
		assertThat(arguments.positional()).containsExactly("--remote-debugging-port=1");
	}

	@Test
	void shouldReportVersionAndHelpRequests() {
		assertThat(ShimArguments.parse("--version").version()).isTrue();
		assertThat(ShimArguments.parse("--product-version").version()).isTrue();
		assertThat(ShimArguments.parse("-h").help()).isTrue();
		assertThat(ShimArguments.parse().hasDebuggingEndpoint()).isFalse();
	}

	@Test
	void shouldSplitAllowedOrigins() {
		assertThat(ShimArguments.parse("--remote-allow-origins=http://a, http://b,").remoteAllowOrigins())
			.containsExactly("http://a", "http://b");
	}

	@Test
	void shouldRefuseBadPorts() {
		assertThatThrownBy(() -> ShimArguments.parse("--remote-debugging-port=abc")).isInstanceOf(UsageException.class)
			.hasMessageContaining("'abc'");
		assertThatThrownBy(() -> ShimArguments.parse("--remote-debugging-port=70000"))
			.isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> ShimArguments.parse("--remote-debugging-port")).isInstanceOf(UsageException.class)
			.hasMessageContaining("needs a value");
	}

	@Test
	void shouldRefuseCborPipes() {
		assertThatThrownBy(() -> ShimArguments.parse("--remote-debugging-pipe=cbor")).isInstanceOf(UsageException.class)
			.hasMessageContaining("JSON");
		assertThat(ShimArguments.parse("--remote-debugging-pipe=JSON").pipe()).isTrue();
	}

	@Test
	void shouldNeedAValueForUserDataDir() {
		assertThatThrownBy(() -> ShimArguments.parse("--user-data-dir=")).isInstanceOf(UsageException.class);
	}

}
