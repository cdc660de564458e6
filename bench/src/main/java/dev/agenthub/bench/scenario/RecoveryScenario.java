package dev.agenthub.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.agenthub.bench.BenchOptions;
import dev.agenthub.bench.client.BrowserSession;
import dev.agenthub.bench.client.PublishClient;
import dev.agenthub.bench.client.Tokens;
import dev.agenthub.bench.metrics.Frames;
import reactor.core.publisher.Flux;

/**
 * Recovery: a subscriber sees one event, disconnects; N events are published; it connects
 * again and subscribes with {@code since}. Measures the time from {@code subscribe} to
 * the last missed event, and checks that every missed event arrived exactly once, in
 * order of offsets.
 */
public final class RecoveryScenario implements Scenario {

	private static final byte[] SEQ = Frames.ascii("\"seq\":");

	@Override
	public Outcome run(BenchOptions o) throws Exception {
		int missed = o.integer("events", 10_000);
		int rounds = o.integer("rounds", 3);
		int payload = o.integer("payload-bytes", 100);
		Tokens tokens = new Tokens(o.secret());
		PublishClient publisher = new PublishClient(o.publishUrl(), tokens.service(), 64);
		List<Map<String, Object>> results = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			results.add(round(o, tokens, publisher, missed, payload, round));
			System.err.println("recovery round: " + results.get(results.size() - 1));
		}
		Outcome out = new Outcome();
		out.metrics().put("missedEvents", missed);
		out.metrics().put("rounds", results);
		for (Map<String, Object> r : results) {
			out.row("round " + r.get("round") + ": subscribe → last of " + missed + " missed events, ms",
					r.get("toLastEventMs"), "< 1,000");
			out.row("round " + r.get("round") + ": gapless, exactly once, in order", r.get("gapless"), "true");
		}
		return out;
	}

	private Map<String, Object> round(BenchOptions o, Tokens tokens, PublishClient publisher, int missed, int payload,
			int round) throws Exception {
		String workspace = "bench-recovery-" + System.currentTimeMillis() + "-" + round;
		String channel = "workspace:" + workspace;
		String token = tokens.user("bench-recovery", List.of(workspace));
		// 1. see one event, remember (epoch, offset), leave
		CompletableFuture<long[]> first = new CompletableFuture<>();
		String[] epoch = new String[1];
		// no server-side subscription to the token's workspace: its `subscribed` notice
		// (no recovery asked) would race the reply to the subscribe with `since`
		String gateway = o.gatewayUrl() + (o.gatewayUrl().contains("?") ? "&" : "?") + "subscribe=none";
		BrowserSession a = BrowserSession.connect(0, gateway, token, null, (s, frame) -> {
			epoch[0] = Frames.stringAfter(frame, Frames.EPOCH);
			first.complete(new long[] { Frames.longAfter(frame, Frames.OFFSET) });
		}).get(30, TimeUnit.SECONDS);
		a.subscribe(channel, null, 0).get(30, TimeUnit.SECONDS);
		publisher.publish(channel, "bench", Payloads.stamped(payload, -1)).block(Duration.ofSeconds(30));
		long base = first.get(30, TimeUnit.SECONDS)[0];
		a.close();
		a.conn().closed().get(30, TimeUnit.SECONDS);
		// 2. publish the events it misses
		long p0 = System.nanoTime();
		Long ok = Flux.range(0, missed)
			.flatMap((i) -> publisher.publish(channel, "bench", Payloads.stamped(payload, i)), 64)
			.filter((b) -> b)
			.count()
			.block(Duration.ofMinutes(5));
		double publishSeconds = (System.nanoTime() - p0) / 1e9;
		// 3. come back with since
		BitSet seen = new BitSet(missed);
		AtomicLong duplicates = new AtomicLong();
		AtomicLong outOfOrder = new AtomicLong();
		AtomicLong outside = new AtomicLong();
		AtomicLong last = new AtomicLong(base);
		AtomicLong lastAt = new AtomicLong();
		AtomicLong count = new AtomicLong();
		CompletableFuture<Void> all = new CompletableFuture<>();
		BrowserSession b = BrowserSession.connect(1, gateway, token, null, (s, frame) -> {
			long offset = Frames.longAfter(frame, Frames.OFFSET);
			// by the publisher's sequence number: presence changes take offsets on a
			// workspace channel too (the first subscriber's leave comes before the missed
			// events), and reach the presence handler, not this one
			long seq = Frames.longAfter(frame, SEQ);
			int index = (int) seq;
			if (offset <= base || seq < 0 || seq >= missed) {
				outside.incrementAndGet();
				return;
			}
			if (seen.get(index)) {
				duplicates.incrementAndGet();
			}
			seen.set(index);
			if (offset <= last.get()) {
				outOfOrder.incrementAndGet();
			}
			last.set(offset);
			if (count.incrementAndGet() == missed) {
				lastAt.set(System.nanoTime());
				all.complete(null);
			}
		}).get(30, TimeUnit.SECONDS);
		long s0 = System.nanoTime();
		boolean recovered = b.subscribe(channel, epoch[0], base).get(30, TimeUnit.SECONDS);
		long subscribedAt = System.nanoTime();
		try {
			all.get(60, TimeUnit.SECONDS);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			lastAt.set(-1);
		}
		Thread.sleep(500);
		// a resumed subscriber the gateway closed (e.g. 4010, outbound bound) shows up
		// here
		Object closeCode = b.conn().closed().isDone() ? b.conn().closed().getNow(-3) : "still open";
		b.close();
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("round", round);
		r.put("published", ok);
		r.put("publishSeconds", Math.round(publishSeconds * 100) / 100.0);
		r.put("recovered", recovered);
		r.put("subscribedReplyMs", Math.round((subscribedAt - s0) / 1e4) / 100.0);
		r.put("toLastEventMs", (lastAt.get() > 0) ? Math.round((lastAt.get() - s0) / 1e4) / 100.0 : "timeout");
		r.put("received", count.get());
		r.put("distinct", seen.cardinality());
		r.put("duplicates", duplicates.get());
		r.put("outOfOrder", outOfOrder.get());
		r.put("outsideRange", outside.get());
		r.put("subscriberCloseCode", closeCode);
		r.put("gapless", recovered && seen.cardinality() == missed && duplicates.get() == 0 && outOfOrder.get() == 0
				&& ok == missed);
		return r;
	}

}
