package dev.agenthub.sidecar;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.agenthub.agentclient.AgentClientConfig;
import dev.agenthub.agentclient.protocol.TabStartRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sidecar's settings. {@link #from(Map, String[])} reads them from environment
 * variables, overridden by {@code --name=value} arguments (see
 * {@code docs/sidecar-agent.md}).
 *
 * @param hubUrl agent endpoint ({@code HUB_AGENT_URL}, {@code --url})
 * @param token agent JWT ({@code HUB_AGENT_TOKEN}, {@code --token})
 * @param workspaceId workspace ({@code HUB_AGENT_WORKSPACE_ID}, {@code --workspace};
 * default: the token's {@code workspace} claim)
 * @param agentId optional agent id ({@code HUB_AGENT_ID}, {@code --agent-id})
 * @param version agent version ({@code HUB_AGENT_VERSION}, {@code --version}; default:
 * the jar's version)
 * @param repoDir repository and default working directory ({@code HUB_AGENT_REPO_DIR},
 * {@code --repo-dir}; default: the current directory)
 * @param gitInterval git status interval ({@code HUB_AGENT_GIT_INTERVAL}, default 10 s)
 * @param gitForceEvery report git status every N intervals even when unchanged
 * ({@code HUB_AGENT_GIT_FORCE_EVERY}, default 6)
 * @param statsInterval stats interval ({@code HUB_AGENT_STATS_INTERVAL}, default 5 s)
 * @param tabs tabs to start at boot ({@code HUB_AGENT_TABS}, a JSON array of
 * {@code {tabId, command, args?, cwd?}})
 * @param maxTasks concurrent commands ({@code HUB_AGENT_MAX_TASKS}, default 16)
 * @param maxTabs concurrent tabs ({@code HUB_AGENT_MAX_TABS}, default 16)
 * @param killGrace time between SIGTERM and SIGKILL ({@code HUB_AGENT_KILL_GRACE}, 5 s)
 * @param chunkBytes largest output chunk read at once ({@code HUB_AGENT_CHUNK_BYTES},
 * 8192)
 * @param readIdleTimeout drop a connection silent for this long
 * ({@code HUB_AGENT_READ_IDLE_TIMEOUT}, default {@code 0} = off)
 */
public record SidecarConfig(URI hubUrl, String token, String workspaceId, String agentId, String version, Path repoDir,
		Duration gitInterval, int gitForceEvery, Duration statsInterval, List<TabStartRequest> tabs, int maxTasks,
		int maxTabs, Duration killGrace, int chunkBytes, Duration readIdleTimeout) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	public SidecarConfig {
		if (workspaceId == null || workspaceId.isBlank()) {
			throw new IllegalArgumentException(
					"workspace id is required: set HUB_AGENT_WORKSPACE_ID (or --workspace), or use a token with a 'workspace' claim");
		}
		tabs = (tabs != null) ? List.copyOf(tabs) : List.of();
		repoDir = repoDir.toAbsolutePath().normalize();
		if (maxTasks < 1 || maxTabs < 1 || chunkBytes < 64 || gitForceEvery < 1) {
			throw new IllegalArgumentException(
					"HUB_AGENT_MAX_TASKS, HUB_AGENT_MAX_TABS, HUB_AGENT_GIT_FORCE_EVERY must be >= 1 and HUB_AGENT_CHUNK_BYTES >= 64");
		}
	}

	/**
	 * A configuration with defaults, for tests and embedding.
	 * @param hubUrl the agent endpoint
	 * @param token the token (may be {@code null} against a test server)
	 * @param workspaceId the workspace
	 * @param repoDir the repository directory
	 * @return the configuration
	 */
	public static SidecarConfig of(URI hubUrl, String token, String workspaceId, Path repoDir) {
		return new SidecarConfig(hubUrl, token, workspaceId, null, jarVersion(), repoDir, Duration.ofSeconds(10), 6,
				Duration.ofSeconds(5), List.of(), 16, 16, Duration.ofSeconds(5), 8192, null);
	}

	/**
	 * Copies with other report intervals.
	 * @param git git status interval
	 * @param stats stats interval
	 * @return the new configuration
	 */
	public SidecarConfig withIntervals(Duration git, Duration stats) {
		return new SidecarConfig(this.hubUrl, this.token, this.workspaceId, this.agentId, this.version, this.repoDir,
				git, this.gitForceEvery, stats, this.tabs, this.maxTasks, this.maxTabs, this.killGrace, this.chunkBytes,
				this.readIdleTimeout);
	}

	/**
	 * Copies with boot tabs.
	 * @param tabs the tabs
	 * @return the new configuration
	 */
	public SidecarConfig withTabs(List<TabStartRequest> tabs) {
		return new SidecarConfig(this.hubUrl, this.token, this.workspaceId, this.agentId, this.version, this.repoDir,
				this.gitInterval, this.gitForceEvery, this.statsInterval, tabs, this.maxTasks, this.maxTabs,
				this.killGrace, this.chunkBytes, this.readIdleTimeout);
	}

	/**
	 * Reads the configuration.
	 * @param env environment variables
	 * @param args {@code --name=value} arguments, which win over the environment
	 * @return the configuration
	 * @throws IllegalArgumentException with a message naming the bad setting
	 */
	public static SidecarConfig from(Map<String, String> env, String[] args) {
		Map<String, String> values = new HashMap<>(env);
		Map<String, String> argNames = Map.ofEntries(Map.entry("url", "HUB_AGENT_URL"),
				Map.entry("token", "HUB_AGENT_TOKEN"), Map.entry("workspace", "HUB_AGENT_WORKSPACE_ID"),
				Map.entry("agent-id", "HUB_AGENT_ID"), Map.entry("version", "HUB_AGENT_VERSION"),
				Map.entry("repo-dir", "HUB_AGENT_REPO_DIR"), Map.entry("git-interval", "HUB_AGENT_GIT_INTERVAL"),
				Map.entry("git-force-every", "HUB_AGENT_GIT_FORCE_EVERY"),
				Map.entry("stats-interval", "HUB_AGENT_STATS_INTERVAL"), Map.entry("tabs", "HUB_AGENT_TABS"),
				Map.entry("max-tasks", "HUB_AGENT_MAX_TASKS"), Map.entry("max-tabs", "HUB_AGENT_MAX_TABS"),
				Map.entry("kill-grace", "HUB_AGENT_KILL_GRACE"), Map.entry("chunk-bytes", "HUB_AGENT_CHUNK_BYTES"),
				Map.entry("read-idle-timeout", "HUB_AGENT_READ_IDLE_TIMEOUT"));
		for (String arg : args) {
			int eq = arg.indexOf('=');
			String name = (arg.startsWith("--") && eq > 2) ? argNames.get(arg.substring(2, eq)) : null;
			if (name == null) {
				throw new IllegalArgumentException("unknown argument " + arg
						+ "; expected --name=value with name one of " + new java.util.TreeSet<>(argNames.keySet()));
			}
			values.put(name, arg.substring(eq + 1));
		}
		String token = blankToNull(values.get("HUB_AGENT_TOKEN"));
		String workspace = blankToNull(values.get("HUB_AGENT_WORKSPACE_ID"));
		if (workspace == null && token != null) {
			workspace = workspaceClaim(token);
		}
		String url = values.getOrDefault("HUB_AGENT_URL", AgentClientConfig.DEFAULT_URI.toString());
		String version = blankToNull(values.get("HUB_AGENT_VERSION"));
		return new SidecarConfig(URI.create(url), token, workspace, blankToNull(values.get("HUB_AGENT_ID")),
				(version != null) ? version : jarVersion(), Path.of(values.getOrDefault("HUB_AGENT_REPO_DIR", "")),
				duration(values, "HUB_AGENT_GIT_INTERVAL", "10s"), integer(values, "HUB_AGENT_GIT_FORCE_EVERY", 6),
				duration(values, "HUB_AGENT_STATS_INTERVAL", "5s"), tabs(values.get("HUB_AGENT_TABS")),
				integer(values, "HUB_AGENT_MAX_TASKS", 16), integer(values, "HUB_AGENT_MAX_TABS", 16),
				duration(values, "HUB_AGENT_KILL_GRACE", "5s"), integer(values, "HUB_AGENT_CHUNK_BYTES", 8192),
				optionalDuration(values, "HUB_AGENT_READ_IDLE_TIMEOUT"));
	}

	/**
	 * The agent's version: the jar manifest's {@code Implementation-Version}, else the
	 * build's {@code sidecar-agent.properties}, else {@code dev}.
	 * @return the version
	 */
	public static String jarVersion() {
		String version = SidecarConfig.class.getPackage().getImplementationVersion();
		if (version != null) {
			return version;
		}
		try (var in = SidecarConfig.class.getResourceAsStream("sidecar-agent.properties")) {
			if (in != null) {
				Properties properties = new Properties();
				properties.load(in);
				String built = properties.getProperty("version");
				if (built != null && !built.startsWith("${")) {
					return built;
				}
			}
		}
		catch (java.io.IOException ex) {
			// fall through to the development version
		}
		return "dev";
	}

	/**
	 * Parses {@code 500ms}, {@code 10s}, {@code 2m} or plain seconds.
	 */
	static Duration parseDuration(String name, String text) {
		String value = text.trim();
		try {
			Duration duration;
			if (value.endsWith("ms")) {
				duration = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
			}
			else if (value.endsWith("s")) {
				duration = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
			}
			else if (value.endsWith("m")) {
				duration = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
			}
			else {
				duration = Duration.ofSeconds(Long.parseLong(value));
			}
			if (duration.isNegative() || duration.isZero()) {
				throw new IllegalArgumentException(name + " must be positive, got " + text);
			}
			return duration;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a duration like 500ms, 10s or 2m, got " + text);
		}
	}

	private static Duration duration(Map<String, String> values, String name, String fallback) {
		return parseDuration(name, values.getOrDefault(name, fallback));
	}

	private static Duration optionalDuration(Map<String, String> values, String name) {
		String value = values.get(name);
		if (value == null || value.isBlank() || "0".equals(value.trim())) {
			return null;
		}
		return parseDuration(name, value);
	}

	private static int integer(Map<String, String> values, String name, int fallback) {
		String value = values.get(name);
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			return Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be an integer, got " + value);
		}
	}

	static List<TabStartRequest> tabs(String json) {
		if (json == null || json.isBlank()) {
			return List.of();
		}
		List<TabStartRequest> tabs = new ArrayList<>();
		try {
			JsonNode array = JSON.readTree(json);
			if (!array.isArray()) {
				throw new IllegalArgumentException("HUB_AGENT_TABS must be a JSON array");
			}
			for (JsonNode tab : array) {
				String tabId = tab.path("tabId").asString("");
				String command = tab.path("command").asString("");
				if (tabId.isBlank() || command.isBlank()) {
					throw new IllegalArgumentException("every HUB_AGENT_TABS entry needs tabId and command: " + tab);
				}
				List<String> args = new ArrayList<>();
				tab.path("args").forEach((arg) -> args.add(arg.asString()));
				tabs.add(new TabStartRequest(tabId, command, args, tab.path("cwd").asString(null)));
			}
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("HUB_AGENT_TABS is not valid JSON: " + ex.getOriginalMessage());
		}
		return tabs;
	}

	/** The {@code workspace} claim of a JWT (not verified: the hub verifies it). */
	static String workspaceClaim(String token) {
		String[] parts = token.split("\\.");
		if (parts.length < 2) {
			return null;
		}
		try {
			byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
			return blankToNull(
					JSON.readTree(new String(payload, StandardCharsets.UTF_8)).path("workspace").asString(null));
		}
		catch (IllegalArgumentException | JacksonException ex) {
			return null;
		}
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
