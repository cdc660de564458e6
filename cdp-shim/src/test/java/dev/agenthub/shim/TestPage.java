package dev.agenthub.shim;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * A tiny local web server with one page for the browser to open: a known title, and a
 * canvas of random pixels so a screenshot is megabytes (which exercises the relay's frame
 * limits; Netty's default would be 64 KiB).
 */
final class TestPage implements AutoCloseable {

	static final String TITLE = "CDP Shim Test Page";

	private static final String HTML = """
			<!doctype html>
			<html><head><meta charset="utf-8"><title>%s</title></head>
			<body style="margin:0"><h1>hello through the shim</h1>
			<canvas id="noise" width="1024" height="768"></canvas>
			<script>
			const ctx = document.getElementById('noise').getContext('2d');
			const image = ctx.createImageData(1024, 768);
			for (let i = 0; i < image.data.length; i++) {
			  image.data[i] = (i %% 4 === 3) ? 255 : (Math.random() * 256) | 0;
			}
			ctx.putImageData(image, 0, 0);
			</script></body></html>
			""".formatted(TITLE);

	private final HttpServer server;

	private TestPage(HttpServer server) {
		this.server = server;
	}

	static TestPage start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
		byte[] body = HTML.getBytes(StandardCharsets.UTF_8);
		server.createContext("/", (exchange) -> {
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		return new TestPage(server);
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/page.html";
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
