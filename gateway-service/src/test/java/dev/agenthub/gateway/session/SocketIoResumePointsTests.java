package dev.agenthub.gateway.session;

import java.time.Duration;
import java.util.List;

import dev.agenthub.gateway.socketio.ResumeRecord;
import dev.agenthub.gateway.subscription.SubscriptionService.ResumePoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where each channel of a disconnected Socket.IO socket stood, from its resume record and
 * the last offset its client saw.
 */
class SocketIoResumePointsTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final ResumeRecord RECORD = new ResumeRecord("u", "c1", "s1",
			List.of(new ResumeRecord.Position("workspace:a", false, "e1", 12),
					new ResumeRecord.Position("user:u", true, "e2", 4)),
			List.of("workspace:a@10", "user:u@3", "workspace:a@11", "user:u@4", "workspace:a@12"), false);

	@Test
	void shouldSubtractWhatWasSentAfterTheClientsLastEvent() {
		SocketIoGateway.Resume resume = SocketIoGateway.resumePoints(RECORD, "user:u@3").block(WAIT);
		assertThat(resume.points()).containsEntry("workspace:a", new ResumePoint("e1", 10))
			.containsEntry("user:u", new ResumePoint("e2", 3));
		assertThat(resume.explicit()).containsExactly("workspace:a");
		assertThat(resume.clientId()).isEqualTo("c1");
		assertThat(resume.socketId()).isEqualTo("s1");
		assertThat(resume.subject()).isEqualTo("u");
	}

	@Test
	void shouldResumeFromTheRecordedPositionsWhenTheClientGotEverything() {
		SocketIoGateway.Resume resume = SocketIoGateway.resumePoints(RECORD, "workspace:a@12").block(WAIT);
		assertThat(resume.points()).containsEntry("workspace:a", new ResumePoint("e1", 12))
			.containsEntry("user:u", new ResumePoint("e2", 4));
	}

	@Test
	void shouldNotResumeWhenTheClientsOffsetIsOutsideTheRememberedOrder() {
		assertThat(SocketIoGateway.resumePoints(RECORD, "workspace:a@2").blockOptional(WAIT)).isEmpty();
		// no offset: only when the record holds every event ever sent
		assertThat(SocketIoGateway.resumePoints(RECORD, null).blockOptional(WAIT)).isEmpty();
	}

	@Test
	void shouldResumeASocketThatNeverGotAnEventWhenTheRecordIsComplete() {
		ResumeRecord record = new ResumeRecord(RECORD.subject(), RECORD.clientId(), RECORD.socketId(),
				RECORD.channels(), RECORD.recent(), true);
		SocketIoGateway.Resume resume = SocketIoGateway.resumePoints(record, null).block(WAIT);
		assertThat(resume.points()).containsEntry("workspace:a", new ResumePoint("e1", 9))
			.containsEntry("user:u", new ResumePoint("e2", 2));
	}

}
