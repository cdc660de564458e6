package dev.agenthub.agentclient.protocol;

import java.util.List;
import java.util.Map;

/**
 * A {@code command} from the server: run {@code command} with {@code args} as an argv
 * (never through a shell) in {@code cwd} with {@code env} added to an allow-list of the
 * agent's environment.
 *
 * @param taskId the task id, unique per command; repeats are not dispatched twice
 * @param command the executable
 * @param args its arguments, never {@code null}
 * @param cwd working directory, or {@code null} for the agent's default
 * @param env variables to add, never {@code null}
 * @param timeoutSeconds kill the process after this many seconds, or {@code null} for no
 * limit
 */
public record CommandRequest(String taskId, String command, List<String> args, String cwd, Map<String, String> env,
		Integer timeoutSeconds) {

	public CommandRequest {
		args = (args != null) ? List.copyOf(args) : List.of();
		env = (env != null) ? Map.copyOf(env) : Map.of();
	}

	/**
	 * The full argv: the command followed by its arguments.
	 * @return the argv
	 */
	public List<String> argv() {
		var argv = new java.util.ArrayList<String>(this.args.size() + 1);
		argv.add(this.command);
		argv.addAll(this.args);
		return argv;
	}

}
