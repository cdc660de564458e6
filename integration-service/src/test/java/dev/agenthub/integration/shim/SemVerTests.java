package dev.agenthub.integration.shim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.agenthub.contracts.error.ContractViolation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SemVerTests {

	@Test
	void shouldOrderBySemVerPrecedenceIncludingPreReleases() {
		// The example chain from semver.org §11, plus core ordering.
		List<String> expected = List.of("0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
				"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0-0", "2.0.0");
		List<SemVer> shuffled = new ArrayList<>(expected.stream().map(SemVer::parse).toList());
		Collections.shuffle(shuffled, new java.util.Random(7));
		Collections.sort(shuffled);
		assertThat(shuffled).extracting(SemVer::text).containsExactlyElementsOf(expected);
	}

	@Test
	void shouldCompareNumericIdentifiersNumericallyAndBelowAlphanumeric() {
		assertThat(SemVer.parse("1.0.0-2").comparePrecedence(SemVer.parse("1.0.0-10"))).isNegative();
		assertThat(SemVer.parse("1.0.0-10").comparePrecedence(SemVer.parse("1.0.0-a"))).isNegative();
		assertThat(SemVer.parse("1.0.0-a.b").comparePrecedence(SemVer.parse("1.0.0-a"))).isPositive();
	}

	@Test
	void shouldIgnoreBuildMetadataForPrecedenceButKeepATotalOrder() {
		SemVer a = SemVer.parse("1.0.0+build.1");
		SemVer b = SemVer.parse("1.0.0+build.2");
		assertThat(a.comparePrecedence(b)).isZero();
		assertThat(a.compareTo(b)).isNegative();
		assertThat(a.isPreRelease()).isFalse();
		assertThat(a.build()).isEqualTo("build.1");
	}

	@Test
	void shouldHandleNumbersBeyondLong() {
		assertThat(SemVer.parse("99999999999999999999.0.0").comparePrecedence(SemVer.parse("9.0.0"))).isPositive();
	}

	@Test
	void shouldRejectWhatIsNotSemVer() {
		for (String bad : List.of("1", "1.0", "v1.0.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+", "1.0.0 ", "../1.0.0",
				"1.0.0-a..b", "a".repeat(200))) {
			assertThatThrownBy(() -> SemVer.parse(bad)).as(bad)
				.isInstanceOf(ContractViolation.class)
				.hasMessageContaining("SemVer");
			assertThat(SemVer.isValid(bad)).as(bad).isFalse();
		}
		assertThatThrownBy(() -> SemVer.parse(null)).hasMessageContaining("version is required");
	}

	@Test
	void shouldParseParts() {
		SemVer version = SemVer.parse("1.2.3-rc.1+sha.abc");
		assertThat(version.major()).isEqualTo(1);
		assertThat(version.minor()).isEqualTo(2);
		assertThat(version.patch()).isEqualTo(3);
		assertThat(version.preRelease()).containsExactly("rc", "1");
		assertThat(version.isPreRelease()).isTrue();
		assertThat(version).hasToString("1.2.3-rc.1+sha.abc");
	}

}
