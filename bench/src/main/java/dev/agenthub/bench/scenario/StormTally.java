package dev.agenthub.bench.scenario;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

import dev.agenthub.bench.client.StormClient;

/**
 * What the storm's clients received against what was published: gaps (where, and the
 * events they skipped), duplicates, and events missing at the end.
 */
final class StormTally {

	long gaps;

	/** On gateway A own / shared, after the resume own / shared. */
	final long[] gapsBy = new long[4];

	long gapsOfFailed;

	long duplicates;

	long skipped;

	long missing;

	long clientsMissing;

	long lateReplies;

	/**
	 * @param clients the clients that were on gateway A
	 * @param ownEnd the last offset a client should have seen on its own channel
	 * @param sharedEnd the last offset every client should have seen on the shared
	 * channel
	 * @param failed the clients whose resume failed
	 */
	static StormTally of(List<StormClient> clients, ToLongFunction<StormClient> ownEnd, long sharedEnd,
			Set<StormClient> failed) {
		StormTally t = new StormTally();
		for (StormClient c : clients) {
			t.gaps += c.gaps();
			for (int k = 0; k < 4; k++) {
				t.gapsBy[k] += c.gaps(k >= 2, k % 2 == 1);
			}
			t.gapsOfFailed += failed.contains(c) ? c.gaps() : 0;
			t.lateReplies += c.lateReplies();
			t.duplicates += c.duplicates();
			t.skipped += c.skipped();
			long m = Math.max(0, ownEnd.applyAsLong(c) - c.last(false)) + Math.max(0, sharedEnd - c.last(true));
			t.missing += m;
			t.clientsMissing += (m > 0) ? 1 : 0;
		}
		return t;
	}

	/** Its figures under the names the storm's JSON has always used. */
	void putInto(Map<String, Object> m) {
		m.put("socketIoSubscribesAckedOkWithLateReply", this.lateReplies);
		m.put("gaps", this.gaps);
		m.put("gapsOnGatewayAOwnShared", List.of(this.gapsBy[0], this.gapsBy[1]));
		m.put("gapsAfterResumeOwnShared", List.of(this.gapsBy[2], this.gapsBy[3]));
		m.put("gapsOfClientsWhoseResumeFailed", this.gapsOfFailed);
		m.put("duplicates", this.duplicates);
		m.put("eventsSkippedInGaps", this.skipped);
		m.put("eventsMissingAtEnd", this.missing);
		m.put("clientsMissingEvents", this.clientsMissing);
	}

}
