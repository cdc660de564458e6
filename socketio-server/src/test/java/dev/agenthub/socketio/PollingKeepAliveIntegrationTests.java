package dev.agenthub.socketio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.agenthub.socketio.conformance.ConformanceServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long-polling client on one keep-alive HTTP/1.1 connection, as browsers reuse theirs:
 * a request that arrives while the previous response is still being completed is queued
 * by the server, and when that request is then answered at once the connection must go on
 * reading. Reactor Netty before 1.3.8 stopped reading it (reactor-netty#4361): a
 * browser's next poll was never read, and the session died of a ping timeout with the
 * events queued for it (seen in Chromium, {@code CrossOriginIntegrationTests}).
 */
@Timeout(30)
class PollingKeepAliveIntegrationTests {

	/** Pings every 300 ms (the held poll's answer), waits 5 s for pongs. */
	private static ConformanceServer server;

	@BeforeAll
	static void start() {
		server = ConformanceServer.start(0,
				ConformanceServer.CONFIG.withHeartbeat(Duration.ofMillis(300), Duration.ofSeconds(5)));
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void shouldKeepReadingAConnectionWhoseQueuedRequestWasAnsweredAtOnce() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", server.port())) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write(get("EIO=4&transport=polling"));
			String open = readResponse(in);
			assertThat(open).startsWith("200").contains("0{\"sid\":\"");
			String sid = open.substring(open.indexOf("\"sid\":\"") + 7);
			sid = sid.substring(0, sid.indexOf('"'));
			for (int round = 0; round < 5; round++) {
				// a poll held until the next ping and, behind it on the same connection,
				// a
				// request answered as soon as it is read (an unknown session)
				ByteArrayOutputStream both = new ByteArrayOutputStream();
				both.write(get("EIO=4&transport=polling&sid=" + sid));
				both.write(get("EIO=4&transport=polling&sid=nosuchsession"));
				out.write(both.toByteArray());
				out.flush();
				assertThat(readResponse(in)).as("the held poll, round " + round).startsWith("200").endsWith("2");
				assertThat(readResponse(in)).as("the queued request, round " + round).startsWith("400");
				// the next request on the connection is read and answered
				out.write(get("EIO=4&transport=polling&sid=nosuchsession"));
				out.flush();
				assertThat(readResponse(in)).as("the request after them, round " + round).startsWith("400");
				// keep the session alive for the next round
				out.write(post("EIO=4&transport=polling&sid=" + sid, "3"));
				out.flush();
				assertThat(readResponse(in)).as("the pong, round " + round).startsWith("200").endsWith("ok");
			}
		}
	}

	private static byte[] get(String query) {
		return ("GET /engine.io/?" + query + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] post(String query, String body) {
		return ("POST /engine.io/?" + query + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
				+ "Content-Length: " + body.length() + "\r\n\r\n" + body)
			.getBytes(StandardCharsets.US_ASCII);
	}

	/** One response: its status code, a space, then its body (by Content-Length). */
	private static String readResponse(InputStream in) throws IOException {
		String status = readLine(in);
		int length = 0;
		for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
			if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(header.substring(header.indexOf(':') + 1).trim());
			}
		}
		byte[] body = in.readNBytes(length);
		return status.split(" ")[1] + " " + new String(body, StandardCharsets.UTF_8);
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int c = in.read(); c != '\n'; c = in.read()) {
			if (c < 0) {
				throw new IOException("connection closed");
			}
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

}
