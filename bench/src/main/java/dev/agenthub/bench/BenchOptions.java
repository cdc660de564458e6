package dev.agenthub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options {@code --name=value}, with typed getters and defaults. Every
 * option read is remembered so that a result records exactly what it ran with.
 *
 * @param scenario the first positional argument
 * @param values the {@code --name=value} options
 * @param used the options read, with the value used (defaults included)
 */
public record BenchOptions(String scenario, Map<String, String> values, Map<String, String> used) {

	/**
	 * Parses {@code <scenario> [--name=value]...}.
	 * @param args the arguments
	 * @return the options
	 */
	public static BenchOptions parse(String[] args) {
		if (args.length == 0) {
			throw new IllegalArgumentException("a scenario is required");
		}
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 1; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
			}
			int eq = arg.indexOf('=');
			values.put(arg.substring(2, eq), arg.substring(eq + 1));
		}
		return new BenchOptions(args[0], values, new LinkedHashMap<>());
	}

	/**
	 * A copy with one option set (the record of options used stays shared).
	 * @param name the option
	 * @param value its value
	 * @return the copy
	 */
	public BenchOptions with(String name, String value) {
		Map<String, String> copy = new LinkedHashMap<>(this.values);
		copy.put(name, value);
		return new BenchOptions(this.scenario, copy, this.used);
	}

	/**
	 * A string option.
	 * @param name the name
	 * @param fallback the default
	 * @return the value
	 */
	public String string(String name, String fallback) {
		String value = this.values.getOrDefault(name, fallback);
		this.used.put(name, value);
		return value;
	}

	public int integer(String name, int fallback) {
		try {
			return Integer.parseInt(string(name, Integer.toString(fallback)).replace("_", ""));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " must be an integer", ex);
		}
	}

	public Duration duration(String name, String fallback) {
		String value = string(name, fallback).trim();
		try {
			if (value.endsWith("ms")) {
				return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
			}
			if (value.endsWith("s")) {
				return Duration.ofMillis((long) (Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
			}
			if (value.endsWith("m")) {
				return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)) * 60);
			}
			return Duration.ofSeconds(Long.parseLong(value));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " must be a duration like 500ms, 10s or 2m", ex);
		}
	}

	public List<Integer> integers(String name, String fallback) {
		List<Integer> out = new ArrayList<>();
		for (String part : string(name, fallback).split(",")) {
			if (!part.isBlank()) {
				out.add(Integer.parseInt(part.trim().replace("_", "")));
			}
		}
		return out;
	}

	/**
	 * @return the JWT secret: {@code --secret} or {@code HUB_AUTH_JWT_SECRET}
	 */
	public String secret() {
		String env = System.getenv("HUB_AUTH_JWT_SECRET");
		String value = this.values.getOrDefault("secret", env);
		if (value == null || value.length() < 32) {
			throw new IllegalArgumentException(
					"the hub's HS256 secret is needed (HUB_AUTH_JWT_SECRET or --secret=..., at least 32 characters)");
		}
		return value;
	}

	public String gatewayUrl() {
		return string("gateway", "ws://127.0.0.1:8080/ws");
	}

	public String agentUrl() {
		return string("agent-url", "ws://127.0.0.1:8081/agent/ws");
	}

	public String publishUrl() {
		return string("publish", "http://127.0.0.1:8082/api/publish");
	}

	public Path resultsDir() {
		Path dir = Path.of(string("results", "bench/results"));
		try {
			Files.createDirectories(dir);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return dir;
	}

}
