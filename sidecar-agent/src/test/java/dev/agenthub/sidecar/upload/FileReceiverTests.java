package dev.agenthub.sidecar.upload;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sidecar's side of uploads: where files may go, modes, and what a failure leaves.
 */
class FileReceiverTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path dir;

	final ExecutorService worker = Executors.newSingleThreadExecutor();

	final List<Map<String, Object>> replies = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		this.worker.shutdownNow();
	}

	FileReceiver receiver(Path root) {
		return new FileReceiver(root, this.dir, this.worker, (type, data) -> {
			Map<String, Object> reply = new LinkedHashMap<>(data);
			reply.put("type", type);
			this.replies.add(reply);
		});
	}

	void send(FileReceiver receiver, String type, String json) throws Exception {
		receiver.onMessage(type, JSON.readTree(json));
	}

	void drain() throws Exception {
		this.worker.submit(() -> {
		}).get(5, TimeUnit.SECONDS);
	}

	@Test
	void shouldRefusePathsOutsideTheRootOrInSystemDirectories() throws IOException {
		Path root = Files.createDirectory(this.dir.resolve("root"));
		FileReceiver receiver = receiver(root);
		assertThat(receiver.target("root/a.txt")).isEqualTo(root.resolve("a.txt"));
		assertThatThrownBy(() -> receiver.target("root/../escape")).hasMessageContaining("outside");
		assertThatThrownBy(() -> receiver.target("/etc/passwd")).hasMessageContaining("outside");
		assertThatThrownBy(() -> receiver.target("root")).hasMessageContaining("is a directory");
		assertThatThrownBy(() -> receiver.target("root/missing/a")).hasMessageContaining("does not exist");
		assertThatThrownBy(() -> receiver.target("a\0b")).hasMessageContaining("NUL");
		assertThatThrownBy(() -> receiver(Path.of("/")).target("/proc/self/x")).hasMessageContaining("/proc");
	}

	@Test
	void shouldReadOctalModes() {
		assertThat(PosixFilePermissions.toString(FileReceiver.mode("0600"))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(FileReceiver.mode("755"))).isEqualTo("rwxr-xr-x");
		assertThatThrownBy(() -> FileReceiver.mode("0800")).hasMessageContaining("octal");
		assertThatThrownBy(() -> FileReceiver.mode("04755")).hasMessageContaining("octal");
	}

	@Test
	void shouldCallAFullDiskByItsName() {
		assertThat(FileReceiver.code(new FileSystemException("/x", null, "No space left on device")))
			.isEqualTo("disk_full");
		assertThat(FileReceiver.code(new IOException("Input/output error"))).isEqualTo("upload_failed");
	}

	@Test
	void shouldDeleteThePartialFileWhenAborted() throws Exception {
		FileReceiver receiver = receiver(this.dir);
		String path = this.dir.resolve("f").toString();
		send(receiver, "upload:begin", "{\"uploadId\":\"u1\",\"path\":\"" + path + "\",\"mode\":\"0600\",\"size\":8}");
		for (int seq = 1; seq <= 4; seq++) {
			send(receiver, "upload:chunk", "{\"uploadId\":\"u1\",\"seq\":" + seq + ",\"data\":\""
					+ Base64.getEncoder().encodeToString(new byte[] { 1, 2 }) + "\"}");
		}
		drain();
		try (var files = Files.list(this.dir)) {
			assertThat(files.map((file) -> file.getFileName().toString()).toList()).containsExactly(".f.u1.upload");
		}
		send(receiver, "upload:abort", "{\"uploadId\":\"u1\"}");
		drain();
		try (var files = Files.list(this.dir)) {
			assertThat(files.toList()).isEmpty();
		}
		// one acknowledgement for four pieces
		assertThat(this.replies).extracting((reply) -> reply.get("seq")).containsExactly(4L);
	}

	@Test
	void shouldRefuseMoreBytesThanAnnounced() throws Exception {
		FileReceiver receiver = receiver(this.dir);
		String path = this.dir.resolve("g").toString();
		send(receiver, "upload:begin", "{\"uploadId\":\"u2\",\"path\":\"" + path + "\",\"mode\":\"0600\",\"size\":1}");
		send(receiver, "upload:chunk", "{\"uploadId\":\"u2\",\"seq\":1,\"data\":\""
				+ Base64.getEncoder().encodeToString(new byte[] { 1, 2 }) + "\"}");
		drain();
		assertThat(this.replies).hasSize(1);
		assertThat(this.replies.get(0)).containsEntry("ok", false).containsEntry("code", "checksum_mismatch");
		try (var files = Files.list(this.dir)) {
			assertThat(files.toList()).isEmpty();
		}
	}

}
