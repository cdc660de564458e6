package dev.agenthub.support.socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SendPrefetchTests {

	@Test
	void aPrefetchGivenOnTheCommandLineShouldWin() {
		String before = System.getProperty(SendPrefetch.PROPERTY);
		try {
			System.setProperty(SendPrefetch.PROPERTY, "64");
			SendPrefetch.apply();
			assertThat(System.getProperty(SendPrefetch.PROPERTY)).isEqualTo("64");
			System.clearProperty(SendPrefetch.PROPERTY);
			SendPrefetch.apply();
			assertThat(System.getProperty(SendPrefetch.PROPERTY)).isEqualTo(Integer.toString(SendPrefetch.FRAMES));
		}
		finally {
			if (before == null) {
				System.clearProperty(SendPrefetch.PROPERTY);
			}
			else {
				System.setProperty(SendPrefetch.PROPERTY, before);
			}
		}
	}

}
