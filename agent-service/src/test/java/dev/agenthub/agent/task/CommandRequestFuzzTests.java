package dev.agenthub.agent.task;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 11 item 14: the command endpoint's body decoder answers any JSON body with a
 * clear {@link ContractViolation} or a valid request, never another exception (which
 * would be a 500).
 */
class CommandRequestFuzzTests {

	private static final List<String> FIELDS = List.of("command", "args", "cwd", "env", "timeoutSeconds", "taskId");

	@Property(tries = 3000)
	void shouldParseAnyCommandBodyOrRefuseItClearly(@ForAll("bodies") Object body) {
		try {
			CommandRequest request = CommandRequest.parse(HubJson.tree(body));
			assertThat(request.taskId()).hasSize(36);
			assertThat(request.command()).isNotBlank();
			assertThat(request.toAgentData().get("taskId").asString()).isEqualTo(request.taskId());
		}
		catch (ContractViolation ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	/** What the property found: a 500 before {@code canConvertToLong} was checked. */
	@Example
	void shouldRefuseATimeoutBeyondLongClearly() {
		assertThatThrownBy(() -> CommandRequest
			.parse(HubJson.parse("{\"command\":\"ls\",\"timeoutSeconds\":100000000000000000000000}")))
			.isInstanceOf(ContractViolation.class)
			.hasMessageContaining("timeoutSeconds");
	}

	@Provide
	Arbitrary<Object> bodies() {
		Arbitrary<Object> field = value(2);
		return Arbitraries.frequencyOf(Tuple.of(5,
				Arbitraries.maps(Arbitraries.of(FIELDS), field)
					.ofMaxSize(6)
					.map((m) -> (Object) new LinkedHashMap<>(m))),
				Tuple.of(1, field));
	}

	private static Arbitrary<Object> value(int depth) {
		Arbitrary<Object> leaf = Arbitraries.oneOf(
				Arbitraries
					.oneOf(Arbitraries.strings().ofMaxLength(12),
							Arbitraries.of("", " ", "ls", "a b", "x".repeat(5000), "PATH", "1A", "task:x"))
					.map((s) -> (Object) s),
				Arbitraries.longs().map((l) -> (Object) l), Arbitraries.doubles().map((d) -> (Object) d),
				Arbitraries.bigIntegers()
					.between(BigInteger.TEN.pow(25).negate(), BigInteger.TEN.pow(25))
					.map((b) -> (Object) b),
				Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map((b) -> (Object) b), Arbitraries.just(null));
		if (depth == 0) {
			return leaf;
		}
		Arbitrary<Object> child = Arbitraries.lazy(() -> value(depth - 1));
		return Arbitraries.frequencyOf(Tuple.of(3, leaf),
				Tuple.of(1, child.list().ofMaxSize(4).map((l) -> (Object) new ArrayList<>(l))),
				Tuple.of(1,
						Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), child)
							.ofMaxSize(4)
							.map((m) -> (Object) new LinkedHashMap<>(m))));
	}

}
