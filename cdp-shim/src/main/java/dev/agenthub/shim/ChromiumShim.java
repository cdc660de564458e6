package dev.agenthub.shim;

import java.io.IOException;
import java.io.PrintStream;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.agenthub.shim.cli.ShimArguments;
import dev.agenthub.shim.cli.UsageException;
import dev.agenthub.shim.cli.VersionBanner;
import dev.agenthub.shim.lifecycle.ExitReason;
import dev.agenthub.shim.lifecycle.ShimLifecycle;
import dev.agenthub.shim.pipe.PipeBridge;
import dev.agenthub.shim.pipe.PipeDescriptors;
import dev.agenthub.shim.pipe.PipeUnavailableException;
import dev.agenthub.shim.relay.DevToolsActivePort;
import dev.agenthub.shim.relay.DevToolsServer;
import dev.agenthub.shim.relay.HostPolicy;
import dev.agenthub.shim.remote.BrowserVersion;
import dev.agenthub.shim.remote.RemoteChrome;
import dev.agenthub.shim.remote.RemoteEndpoint;
import dev.agenthub.shim.remote.RemoteWatch;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.Loggers;

/**
 * The {@code chromium} entry point. Startup is synchronous on the main thread (ask the
 * remote {@code /json/version}, open the watch connection, bind, announce), then the main
 * thread waits for the {@link ShimLifecycle} to say why to exit. Nothing Spring-sized
 * runs here: launchers such as Puppeteer time out waiting for the DevTools line.
 */
public final class ChromiumShim {

	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

	static final Duration VERSION_TIMEOUT = Duration.ofSeconds(2);

	/** Environment variable that turns library logging back on. */
	static final String DEBUG_ENV = "CDP_SHIM_DEBUG";

	/** Held so the configured JUL loggers are not collected and reset. */
	private static final List<Logger> QUIETED = new ArrayList<>();

	private final Map<String, String> env;

	private final PrintStream out;

	private final PrintStream err;

	private final ShimLifecycle lifecycle = new ShimLifecycle();

	private final List<Runnable> cleanups = new ArrayList<>();

	ChromiumShim(Map<String, String> env, PrintStream out, PrintStream err) {
		this.env = env;
		this.out = out;
		this.err = err;
	}

	public static void main(String[] args) {
		quietLibraryLogging(System.getenv());
		ChromiumShim shim = new ChromiumShim(System.getenv(), System.out, System.err);
		Runtime.getRuntime().addShutdownHook(new Thread(shim::cleanUp, "cdp-shim-shutdown"));
		ExitReason reason = shim.run(args);
		reason.message().ifPresent(System.err::println);
		System.err.flush();
		System.exit(reason.code());
	}

	/**
	 * Netty and Reactor warn on stderr about connections the shim already handles (a
	 * remote that hung up, a refused handshake), burying the one clear message the shim
	 * prints. {@code CDP_SHIM_DEBUG=1} brings them back.
	 */
	static void quietLibraryLogging(Map<String, String> env) {
		Loggers.useJdkLoggers();
		Level level = env.containsKey(DEBUG_ENV) ? Level.INFO : Level.OFF;
		for (String name : List.of("reactor", "io.netty")) {
			Logger logger = Logger.getLogger(name);
			logger.setLevel(level);
			QUIETED.add(logger);
		}
	}

	ExitReason run(String... args) {
		ShimArguments arguments;
		RemoteEndpoint endpoint;
		try {
			arguments = ShimArguments.parse(args);
			endpoint = RemoteEndpoint.fromEnvironment(this.env);
		}
		catch (UsageException ex) {
			return ExitReason.usage(ex.getMessage());
		}
		if (arguments.help()) {
			this.out.println(usage());
			return new ExitReason(0, Optional.empty());
		}
		if (arguments.version()) {
			this.out.println(VersionBanner.banner(remoteProduct(endpoint)));
			return new ExitReason(0, Optional.empty());
		}
		if (!arguments.hasDebuggingEndpoint()) {
			return ExitReason.usage("nothing to relay: pass --remote-debugging-port=N (0 for a free port) or "
					+ "--remote-debugging-pipe, as Puppeteer and Playwright do");
		}
		RemoteChrome remote;
		try {
			remote = RemoteChrome.resolve(endpoint, CONNECT_TIMEOUT);
		}
		catch (UnknownHostException ex) {
			return ExitReason.unreachable(unreachable(endpoint, ex));
		}
		return serve(arguments, remote);
	}

	/** The remote's product string for {@code --version}; the banner has a fallback. */
	private static Optional<String> remoteProduct(RemoteEndpoint endpoint) {
		try {
			return RemoteChrome.resolve(endpoint, VERSION_TIMEOUT)
				.version(VERSION_TIMEOUT)
				.map(BrowserVersion::product)
				.onErrorResume((error) -> Mono.empty())
				.blockOptional(VERSION_TIMEOUT.plusSeconds(1));
		}
		catch (UnknownHostException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	private ExitReason serve(ShimArguments arguments, RemoteChrome remote) {
		BrowserVersion browser;
		try {
			browser = remote.version(STARTUP_TIMEOUT).block(STARTUP_TIMEOUT.plusSeconds(1));
		}
		catch (RuntimeException ex) {
			return ExitReason.unreachable(unreachable(remote.endpoint(), ex));
		}
		try {
			Disposable watch = new RemoteWatch(remote, browser.browserPath()).start(this.lifecycle::remoteLost)
				.block(STARTUP_TIMEOUT);
			this.cleanups.add(watch::dispose);
		}
		catch (RuntimeException ex) {
			return ExitReason.unreachable("the remote Chrome at " + remote.endpoint().authority()
					+ " answered /json/version but refused the browser WebSocket " + browser.browserPath() + ": "
					+ Exceptions.unwrap(ex).getMessage());
		}
		PipeDescriptors pipes = null;
		if (arguments.pipe()) {
			try {
				pipes = PipeDescriptors.open();
			}
			catch (PipeUnavailableException ex) {
				return ExitReason.usage(ex.getMessage());
			}
		}
		if (arguments.remoteDebuggingPort().isPresent()) {
			ExitReason failed = listen(arguments, remote, browser);
			if (failed != null) {
				return failed;
			}
		}
		if (pipes != null) {
			this.cleanups.add(new PipeBridge(remote, browser.browserPath(), this.lifecycle, pipes).start()::dispose);
		}
		return this.lifecycle.awaitExit();
	}

	private ExitReason listen(ShimArguments arguments, RemoteChrome remote, BrowserVersion browser) {
		String address = arguments.remoteDebuggingAddress();
		DevToolsServer server;
		try {
			server = DevToolsServer.start(address, arguments.remoteDebuggingPort().getAsInt(), remote,
					new HostPolicy(arguments.remoteAllowOrigins()), this.lifecycle);
		}
		catch (RuntimeException ex) {
			return ExitReason.usage("cannot listen on " + address + ":" + arguments.remoteDebuggingPort().getAsInt()
					+ ": " + ex.getMessage());
		}
		this.cleanups.add(server::stop);
		if (arguments.userDataDir().isPresent()) {
			try {
				DevToolsActivePort.write(arguments.userDataDir().get(), server.port(), browser.browserPath());
			}
			catch (IOException ex) {
				return ExitReason.usage("cannot write " + DevToolsActivePort.FILE_NAME + " in --user-data-dir "
						+ arguments.userDataDir().get() + ": " + ex);
			}
		}
		String host = address.contains(":") ? "[" + address + "]" : address;
		this.err.println();
		this.err.println("DevTools listening on ws://" + host + ":" + server.port() + browser.browserPath());
		this.err.flush();
		return null;
	}

	/** Runs on every exit, SIGTERM included; each step is quick and bounded. */
	void cleanUp() {
		for (Runnable cleanup : this.cleanups.reversed()) {
			try {
				cleanup.run();
			}
			catch (RuntimeException ex) {
				// Exiting anyway; a relay that does not close cleanly must not hold the
				// exit.
			}
		}
	}

	private static String unreachable(RemoteEndpoint endpoint, Exception ex) {
		Throwable cause = Exceptions.unwrap(ex);
		String detail = (cause.getMessage() != null) ? cause.getMessage() : cause.toString();
		return "cannot reach the remote Chrome at " + endpoint.httpUrl("/json/version") + " (" + RemoteEndpoint.HOST_ENV
				+ "=" + endpoint.host() + ", " + RemoteEndpoint.PORT_ENV + "=" + endpoint.port() + "): "
				+ cause.getMessage() + ". Start Chrome there with " + "--remote-debugging-port, or point "
				+ RemoteEndpoint.HOST_ENV + "/" + RemoteEndpoint.PORT_ENV + " at it.";
	}

	private static String usage() {
		return """
				chromium (CDP shim %s): relays the Chrome DevTools Protocol to a real Chrome.

				Environment:
				  CDP_HOST  host of the real Chrome's DevTools server (default 127.0.0.1)
				  CDP_PORT  its port (default 9222)

				Chrome switches understood:
				  --remote-debugging-port=N     serve DevTools on N (0: a free port)
				  --remote-debugging-address=A  bind address (default 127.0.0.1)
				  --remote-debugging-pipe       speak CDP on file descriptors 3 and 4
				  --user-data-dir=DIR           where DevToolsActivePort is written
				  --remote-allow-origins=O,...  WebSocket origins to accept
				  --version                     print the version and exit
				All other switches are accepted and ignored.""".formatted(VersionBanner.shimVersion());
	}

}
