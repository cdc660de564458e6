package dev.agenthub.contracts.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import dev.agenthub.contracts.codec.HubJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile input for decoders: JSON values whose objects use the field names
 * the hub reads (so that decoders get past their first checks) with values of every type,
 * JSON text cut or corrupted at random places, and arbitrary text.
 */
public final class JsonArbitraries {

	/** Field names the hub's decoders read. */
	public static final List<String> FIELDS = List.of("type", "data", "payload", "id", "channel", "since", "offset",
			"epoch", "token", "taskId", "status", "exitCode", "error", "output", "isError", "workspaceId", "agentId",
			"command", "args", "cwd", "env", "timeoutSeconds", "tabId", "online", "hostname", "ip", "userId", "message",
			"events", "name", "version", "state", "lifecycle", "branch", "files", "_placeholder", "num", "sid",
			"clientId", "cursor", "limit", "timestamp");

	private JsonArbitraries() {
	}

	/** Strings a decoder might choke on. */
	public static Arbitrary<String> nastyStrings() {
		return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(16), Arbitraries.strings().all().ofMaxLength(8),
				Arbitraries.of("", " ", "*", "null", "-1", "1e999", "workspace:w1", "task:", ":", "agent:a:b",
						"broadcast", "client:c", "user:u", "repository:r", "conversation:x", "\u0000", "\ud800",
						"running", "completed", "online", "x".repeat(5000)));
	}

	/**
	 * Any JSON-representable Java value (maps, lists, strings, numbers, booleans, null).
	 */
	public static Arbitrary<Object> values() {
		return value(3);
	}

	private static Arbitrary<Object> value(int depth) {
		Arbitrary<Object> leaf = Arbitraries.oneOf(nastyStrings().map((s) -> (Object) s),
				Arbitraries.longs().map((l) -> (Object) l),
				Arbitraries.integers().between(-2, 70000).map((i) -> (Object) i),
				Arbitraries.doubles().map((d) -> (Object) d),
				Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map((b) -> (Object) b), Arbitraries.just(null),
				Arbitraries.bigIntegers()
					.between(java.math.BigInteger.TEN.pow(30).negate(), java.math.BigInteger.TEN.pow(30))
					.map((b) -> (Object) b));
		if (depth == 0) {
			return leaf;
		}
		Arbitrary<Object> child = Arbitraries.lazy(() -> value(depth - 1));
		Arbitrary<Object> list = child.list().ofMaxSize(4).map((l) -> (Object) new ArrayList<>(l));
		Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().ofMaxLength(6));
		Arbitrary<Object> object = Arbitraries.maps(keys, child)
			.ofMaxSize(6)
			.map((m) -> (Object) new LinkedHashMap<>(m));
		return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(2, list), Tuple.of(3, object));
	}

	/** JSON objects as text, whole. */
	public static Arbitrary<String> objects() {
		Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().ofMaxLength(6));
		return Arbitraries.maps(keys, values()).ofMaxSize(8).map(HubJson::write);
	}

	/** Text that is JSON, JSON cut or corrupted, or anything. */
	public static Arbitrary<String> texts() {
		Arbitrary<String> json = values().map(HubJson::write);
		Arbitrary<String> cut = Arbitraries.oneOf(json, objects())
			.flatMap((text) -> Arbitraries.integers().between(0, text.length()).map((n) -> text.substring(0, n)));
		Arbitrary<String> corrupted = Arbitraries.oneOf(json, objects())
			.flatMap((text) -> Arbitraries.integers()
				.between(0, text.length())
				.flatMap((at) -> Arbitraries.of('"', '{', '}', '[', ']', ',', ':', '\\', '\u0000', 'x', '1')
					.map((c) -> text.substring(0, at) + c + text.substring(at))));
		Arbitrary<String> deep = Arbitraries.integers().between(1, 3000).map((n) -> "[".repeat(n) + "]".repeat(n));
		return Arbitraries.frequencyOf(Tuple.of(3, objects()), Tuple.of(2, json), Tuple.of(2, cut),
				Tuple.of(2, corrupted), Tuple.of(1, deep), Tuple.of(1, Arbitraries.strings().ofMaxLength(40)));
	}

}
