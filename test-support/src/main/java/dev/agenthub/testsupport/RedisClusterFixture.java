package dev.agenthub.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * A real Redis Cluster for tests: three masters with one replica each, started from the
 * machine's {@code redis-server} and {@code redis-cli} on free local ports (never 6379),
 * so it never touches the standalone Redis the other tests use.
 * <p>
 * {@link #nodes()} is the cluster every test class of a JVM shares: the one named by
 * {@code HUB_TEST_REDIS_CLUSTER_NODES} ({@code host:port,...}) when set, else one this
 * fixture starts on first use and stops when the JVM exits. Chaos tests that kill nodes
 * take a cluster of their own from {@link #startPrivate()}.
 */
public final class RedisClusterFixture {

	private static final Duration READY = Duration.ofSeconds(60);

	private static volatile String shared;

	private RedisClusterFixture() {
	}

	/** The shared cluster's seed nodes as {@code 127.0.0.1:port,...}. */
	public static synchronized String nodes() {
		if (shared == null) {
			String configured = System.getenv("HUB_TEST_REDIS_CLUSTER_NODES");
			if (configured != null && !configured.isBlank()) {
				shared = configured;
			}
			else {
				Cluster cluster = startPrivate();
				shared = cluster.nodes();
			}
		}
		return shared;
	}

	/** The shared cluster's seed nodes as Redis URIs, for {@code RedisClusterClient}. */
	public static List<RedisURI> uris() {
		List<RedisURI> uris = new ArrayList<>();
		for (String node : nodes().split(",")) {
			String[] hostPort = node.trim().split(":");
			uris.add(RedisURI.create(hostPort[0], Integer.parseInt(hostPort[1])));
		}
		return uris;
	}

	/**
	 * Starts a cluster owned by the caller (stopped by {@link Cluster#close()} or at JVM
	 * exit).
	 */
	public static Cluster startPrivate() {
		Exception last = null;
		// A free port can be taken between the check and redis-server's bind (the bus
		// ports lie in the ephemeral range): start afresh on other ports.
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				return Cluster.start();
			}
			catch (IOException | RuntimeException ex) {
				last = ex;
			}
		}
		throw new IllegalStateException("Could not start a Redis Cluster from redis-server and redis-cli "
				+ "(install them with: apt-get install -y redis-server)", last);
	}

	/** A running three-master, three-replica cluster of local processes. */
	public static final class Cluster implements AutoCloseable {

		private final Path dir;

		private final Map<Integer, Process> processes = new TreeMap<>();

		private Cluster(Path dir) {
			this.dir = dir;
		}

		static Cluster start() throws IOException {
			Cluster cluster = new Cluster(Files.createTempDirectory("hub-redis-cluster-"));
			Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "redis-cluster-stop"));
			try {
				cluster.launchAll();
			}
			catch (IOException | RuntimeException ex) {
				cluster.close();
				throw ex;
			}
			return cluster;
		}

		private void launchAll() throws IOException {
			List<Integer> ports = freePorts(6);
			for (int port : ports) {
				this.processes.put(port, launch(port));
			}
			for (int port : ports) {
				LocalRedis.awaitPing(port, this.processes.get(port));
			}
			List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			ports.forEach((port) -> create.add("127.0.0.1:" + port));
			create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
			LocalRedis.run(this.dir, create);
			awaitHealthy();
			awaitReplicasInSync();
		}

		/** Seed nodes as {@code 127.0.0.1:port,...}. */
		public String nodes() {
			return this.processes.keySet().stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
		}

		/** Seed nodes as Redis URIs. */
		public List<RedisURI> uris() {
			return this.processes.keySet().stream().map((port) -> RedisURI.create("127.0.0.1", port)).toList();
		}

		/** The port of the master that serves {@code slot}. */
		public int masterOf(int slot) {
			for (Map.Entry<Integer, List<int[]>> master : masterSlots().entrySet()) {
				for (int[] range : master.getValue()) {
					if (slot >= range[0] && slot <= range[1]) {
						return master.getKey();
					}
				}
			}
			throw new IllegalStateException("No master serves slot " + slot);
		}

		/** The ports of the masters that serve slots, in order. */
		public List<Integer> masters() {
			return List.copyOf(masterSlots().keySet());
		}

		/**
		 * The slot ranges ({@code [first, last]}) of each master serving slots, by port.
		 */
		private Map<Integer, List<int[]>> masterSlots() {
			Map<Integer, List<int[]>> masters = new TreeMap<>();
			for (String line : clusterNodes().split("\n")) {
				String[] fields = line.split(" ");
				if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
					continue;
				}
				List<int[]> ranges = new ArrayList<>();
				for (int i = 8; i < fields.length; i++) {
					if (!fields[i].startsWith("[")) {
						// not a slot being migrated or imported
						String[] range = fields[i].split("-");
						int first = Integer.parseInt(range[0]);
						ranges.add(new int[] { first, (range.length > 1) ? Integer.parseInt(range[1]) : first });
					}
				}
				masters.put(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@'))),
						ranges);
			}
			return masters;
		}

		/** Kills a node with SIGKILL, as a crashed machine would. */
		public void kill(int port) {
			Process process = this.processes.remove(port);
			if (process != null) {
				process.destroyForcibly();
			}
		}

		/**
		 * Starts a killed node again on its port with its cluster configuration, so that
		 * it rejoins the cluster (as the master it was, when no replica took over
		 * meanwhile).
		 */
		public void restart(int port) {
			if (this.processes.containsKey(port)) {
				throw new IllegalStateException("redis-server on port " + port + " is running");
			}
			try {
				Process process = launch(port);
				this.processes.put(port, process);
				LocalRedis.awaitPing(port, process);
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not restart redis-server on port " + port, ex);
			}
		}

		/**
		 * Moves a slot and its keys to another master, as resharding does
		 * ({@code redis-cli --cluster reshard}): importing and migrating states,
		 * {@code MIGRATE} of the keys, then the new owner announced to every master.
		 */
		public void migrateSlot(int slot, int toPort) {
			int fromPort = masterOf(slot);
			if (fromPort == toPort) {
				throw new IllegalArgumentException("slot " + slot + " is already served by " + toPort);
			}
			String fromId = LocalRedis.call(fromPort, (c) -> c.sync().clusterMyId());
			String toId = LocalRedis.call(toPort, (c) -> c.sync().clusterMyId());
			RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", fromPort));
			try (StatefulRedisConnection<String, String> from = client.connect();
					StatefulRedisConnection<String, String> to = client.connect(RedisURI.create("127.0.0.1", toPort))) {
				to.sync().clusterSetSlotImporting(slot, fromId);
				from.sync().clusterSetSlotMigrating(slot, toId);
				List<String> keys;
				while (!(keys = from.sync().clusterGetKeysInSlot(slot, 100)).isEmpty()) {
					from.sync()
						.migrate("127.0.0.1", toPort, 0, 5000,
								io.lettuce.core.MigrateArgs.Builder.keys(keys.toArray(String[]::new)));
				}
				to.sync().clusterSetSlotNode(slot, toId);
				from.sync().clusterSetSlotNode(slot, toId);
			}
			finally {
				client.shutdown();
			}
			for (int port : this.processes.keySet()) {
				LocalRedis.call(port, (c) -> c.sync().clusterSetSlotNode(slot, toId));
			}
			Instant deadline = Instant.now().plus(READY);
			while (masterOf(slot) != toPort) {
				if (Instant.now().isAfter(deadline)) {
					throw new IllegalStateException("slot " + slot + " did not move to " + toPort);
				}
				LocalRedis.sleep(50);
			}
		}

		/**
		 * Moves every slot of a master to another with {@code redis-cli --cluster
		 * reshard}; the emptied master then becomes a replica of the other.
		 */
		public void reshardAll(int fromPort, int toPort) {
			String fromId = LocalRedis.call(fromPort, (c) -> c.sync().clusterMyId());
			String toId = LocalRedis.call(toPort, (c) -> c.sync().clusterMyId());
			int slots = masterSlots().getOrDefault(fromPort, List.of())
				.stream()
				.mapToInt((range) -> range[1] - range[0] + 1)
				.sum();
			try {
				LocalRedis.run(this.dir,
						List.of("redis-cli", "--cluster", "reshard", "127.0.0.1:" + fromPort, "--cluster-from", fromId,
								"--cluster-to", toId, "--cluster-slots", Integer.toString(slots), "--cluster-yes"));
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not reshard " + fromPort + " to " + toPort, ex);
			}
			Instant deadline = Instant.now().plus(READY);
			while (masters().contains(fromPort)) {
				if (Instant.now().isAfter(deadline)) {
					throw new IllegalStateException("port " + fromPort + " still serves slots");
				}
				LocalRedis.sleep(50);
			}
		}

		/** Waits until every slot is served again (after a failover). */
		public void awaitHealthy() {
			Instant deadline = Instant.now().plus(READY);
			while (Instant.now().isBefore(deadline)) {
				if (healthy()) {
					return;
				}
				LocalRedis.sleep(100);
			}
			throw new IllegalStateException("Redis Cluster not healthy within " + READY + ": " + clusterNodes());
		}

		// A replica that never finished its first sync cannot take over from its master.
		private void awaitReplicasInSync() {
			Instant deadline = Instant.now().plus(READY);
			while (Instant.now().isBefore(deadline)) {
				int synced = 0;
				for (int port : this.processes.keySet()) {
					String info = LocalRedis.call(port, (c) -> c.sync().info("replication"));
					if (info != null && info.contains("role:slave") && info.contains("master_link_status:up")) {
						synced++;
					}
				}
				if (synced == 3) {
					return;
				}
				LocalRedis.sleep(100);
			}
			throw new IllegalStateException(
					"Redis Cluster replicas not in sync within " + READY + ": " + clusterNodes());
		}

		private boolean healthy() {
			for (int port : this.processes.keySet()) {
				String info = LocalRedis.call(port, (c) -> c.sync().clusterInfo());
				if (info == null || !info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:16384")) {
					return false;
				}
			}
			return true;
		}

		private String clusterNodes() {
			for (int port : this.processes.keySet()) {
				String nodes = LocalRedis.call(port, (c) -> c.sync().clusterNodes());
				if (nodes != null) {
					return nodes;
				}
			}
			return "";
		}

		private Process launch(int port) throws IOException {
			return new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
					"--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
					"--cluster-node-timeout", "1500", "--cluster-require-full-coverage", "no",
					"--cluster-replica-validity-factor", "0", "--save", "", "--appendonly", "no", "--dir",
					this.dir.toString(), "--logfile", "redis-" + port + ".log")
				.directory(this.dir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(this.dir.resolve("stdout-" + port + ".log").toFile())
				.start();
		}

		@Override
		public void close() {
			for (Process process : List.copyOf(this.processes.values())) {
				process.destroy();
			}
			for (Process process : List.copyOf(this.processes.values())) {
				try {
					if (!process.waitFor(5, TimeUnit.SECONDS)) {
						process.destroyForcibly();
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.processes.clear();
			try (var files = Files.walk(this.dir)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
			catch (IOException ex) {
				// A temporary directory left behind is harmless.
			}
		}

	}

	private static List<Integer> freePorts(int count) throws IOException {
		// A cluster node also listens on port + 10000 (the cluster bus): both free.
		List<Integer> ports = new ArrayList<>();
		while (ports.size() < count) {
			int port = ThreadLocalRandom.current().nextInt(20000, 30000);
			if (!ports.contains(port) && LocalRedis.free(port) && LocalRedis.free(port + 10000)) {
				ports.add(port);
			}
		}
		return ports;
	}

}
