package dev.agenthub.broker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisScriptingReactiveCommands;
import reactor.core.publisher.Mono;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), its source sent only on the first
 * {@code NOSCRIPT} of a Redis node, so that a script run on every connect or publish does
 * not carry its text each time.
 */
public final class LuaScript {

	private final String source;

	private final String sha;

	private LuaScript(String source) {
		this.source = source;
		try {
			this.sha = HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param source the script's text
	 * @return the script
	 */
	public static LuaScript of(String source) {
		return new LuaScript(source);
	}

	static LuaScript load(String resource) {
		try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("missing script " + resource);
			}
			return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Runs the script for a multi-bulk reply.
	 * @param commands where to run it
	 * @param keys its keys
	 * @param args its arguments
	 * @return the reply's elements
	 */
	public Mono<List<Object>> run(RedisScriptingReactiveCommands<String, String> commands, String[] keys,
			String... args) {
		return commands.<Object>evalsha(this.sha, ScriptOutputType.MULTI, keys, args)
			.collectList()
			.onErrorResume(RedisNoScriptException.class,
					(ex) -> commands
						.<Object>eval(this.source.getBytes(StandardCharsets.UTF_8), ScriptOutputType.MULTI, keys, args)
						.collectList())
			.map(LuaScript::unwrap);
	}

	// The reactive API emits a MULTI reply either as one list element or element by
	// element.
	@SuppressWarnings("unchecked")
	private static List<Object> unwrap(List<Object> reply) {
		if (reply.size() == 1 && reply.get(0) instanceof List<?> inner) {
			return (List<Object>) inner;
		}
		return reply;
	}

}
