package dev.agenthub.shim.lifecycle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShimLifecycleTests {

	@Test
	void shouldExitNonZeroWhenTheRemoteIsLost() {
		ShimLifecycle lifecycle = new ShimLifecycle();
		lifecycle.relayEnded();
		lifecycle.remoteLost("the connection closed");
		ExitReason reason = lifecycle.awaitExit();
		assertThat(reason.code()).isEqualTo(ExitReason.REMOTE_GONE);
		assertThat(reason.message()).hasValueSatisfying(
				(message) -> assertThat(message).isEqualTo("chromium (CDP shim): the connection closed"));
	}

	@Test
	void shouldExitCleanlyAfterBrowserCloseWhenTheRemoteHangsUp() {
		ShimLifecycle lifecycle = new ShimLifecycle();
		lifecycle.browserCloseRequested();
		lifecycle.remoteLost("expected after Browser.close");
		lifecycle.relayEnded();
		assertThat(lifecycle.awaitExit()).isEqualTo(ExitReason.browserClosed());
	}

	@Test
	void shouldKeepTheFirstReason() {
		ShimLifecycle lifecycle = new ShimLifecycle();
		lifecycle.exit(ExitReason.pipeClosed());
		lifecycle.exit(ExitReason.remoteGone("later"));
		assertThat(lifecycle.awaitExit().code()).isZero();
	}

}
