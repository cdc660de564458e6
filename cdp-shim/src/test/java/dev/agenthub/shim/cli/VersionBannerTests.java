package dev.agenthub.shim.cli;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VersionBannerTests {

	@Test
	void shouldUseTheRemoteChromeVersion() {
		assertThat(VersionBanner.banner(Optional.of("HeadlessChrome/156.0.8078.79")))
			.startsWith("Chromium 156.0.8078.79 (CDP shim ")
			.endsWith(")");
	}

	@Test
	void shouldFallBackWhenTheRemoteIsUnknown() {
		assertThat(VersionBanner.banner(Optional.empty())).startsWith("Chromium 156.0.0.0 (CDP shim ");
		assertThat(VersionBanner.banner(Optional.of("something else"))).startsWith("Chromium 156.0.0.0 ");
	}

	@Test
	void shouldExtractVersionsFromProductStrings() {
		assertThat(VersionBanner.chromeVersion("Chrome/131.0.6778.85")).contains("131.0.6778.85");
		assertThat(VersionBanner.chromeVersion("Edg/120.0")).contains("120.0");
		assertThat(VersionBanner.chromeVersion("Chrome")).isEmpty();
	}

}
