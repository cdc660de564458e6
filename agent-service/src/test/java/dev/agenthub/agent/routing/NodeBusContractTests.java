package dev.agenthub.agent.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.contracts.codec.HubJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The behaviour every {@link NodeBus} must have; each bus's test extends this class. */
abstract class NodeBusContractTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	private final List<NodeBus> buses = new ArrayList<>();

	/** A new node's bus; on a shared engine, the buses of one test reach each other. */
	abstract NodeBus newBus();

	/** Whether one node's bus reaches another node (false for the single-node bus). */
	abstract boolean shared();

	NodeBus bus() {
		NodeBus bus = newBus();
		this.buses.add(bus);
		return bus;
	}

	@AfterEach
	void closeBuses() throws Exception {
		for (NodeBus bus : this.buses) {
			if (bus instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}
	}

	static String nodeId() {
		return "node-" + UUID.randomUUID();
	}

	static NodeMessage command(int i) {
		return new NodeMessage(NodeMessage.COMMAND, "w1", null, HubJson.parse("{\"n\":" + i + "}"));
	}

	@Test
	void shouldDeliverToTheListeningNodeInSendOrder() {
		String node = nodeId();
		List<NodeMessage> received = new CopyOnWriteArrayList<>();
		NodeBus listener = bus();
		listener.listen(node, received::add).block(WAIT);
		NodeBus sender = shared() ? bus() : listener;
		List<Boolean> delivered = Flux.range(0, 50)
			.concatMap((i) -> sender.send(node, command(i)))
			.collectList()
			.block(WAIT);
		assertThat(delivered).containsOnly(true);
		await().atMost(WAIT).until(() -> received.size() == 50);
		for (int i = 0; i < 50; i++) {
			assertThat(received.get(i).data().get("n").asInt()).isEqualTo(i);
			assertThat(received.get(i).kind()).isEqualTo(NodeMessage.COMMAND);
		}
	}

	@Test
	void shouldReportThatNoNodeListensUnderAnId() {
		NodeBus sender = bus();
		sender.listen(nodeId(), (message) -> {
		}).block(WAIT);
		assertThat(sender.send(nodeId(), command(1)).block(WAIT)).isFalse();
	}

	@Test
	void shouldKeepNodesApart() {
		String a = nodeId();
		String b = nodeId();
		List<NodeMessage> atA = new CopyOnWriteArrayList<>();
		List<NodeMessage> atB = new CopyOnWriteArrayList<>();
		NodeBus busA = bus();
		busA.listen(a, atA::add).block(WAIT);
		NodeBus busB = shared() ? bus() : null;
		if (busB != null) {
			busB.listen(b, atB::add).block(WAIT);
			assertThat(busA.send(b, command(7)).block(WAIT)).isTrue();
			await().atMost(WAIT).until(() -> atB.size() == 1);
		}
		assertThat(busA.send(a, command(8)).block(WAIT)).isTrue();
		await().atMost(WAIT).until(() -> atA.size() == 1);
		assertThat(atA).extracting((message) -> message.data().get("n").asInt()).containsExactly(8);
		assertThat(atB).extracting((message) -> message.data().get("n").asInt()).isSubsetOf(7);
	}

}
