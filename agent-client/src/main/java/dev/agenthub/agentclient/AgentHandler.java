package dev.agenthub.agentclient;

import java.time.Duration;
import java.util.Collection;

import dev.agenthub.agentclient.protocol.CommandRequest;
import dev.agenthub.agentclient.protocol.DisconnectInfo;
import dev.agenthub.agentclient.protocol.ReconnectDecision;
import dev.agenthub.agentclient.protocol.TabStartRequest;
import tools.jackson.databind.JsonNode;

/**
 * Receives what the server asks of the agent and how the connection fares. Every method
 * has a no-op default. Methods are called on the connection's I/O thread: they must not
 * block (hand work such as running a process to another thread). An exception thrown by a
 * method is logged and otherwise ignored.
 */
public interface AgentHandler {

	/**
	 * The server accepted the registration.
	 * @param sessionId the server's session id
	 * @param heartbeatInterval the heartbeat interval the server asked for
	 */
	default void onRegistered(String sessionId, Duration heartbeatInterval) {
	}

	/**
	 * Run a command. A task id already seen recently is not dispatched again. Report with
	 * {@link AgentClient#taskStatus} and {@link AgentClient#taskOutput}.
	 * @param command the command
	 */
	default void onCommand(CommandRequest command) {
	}

	/**
	 * The tasks this agent knows: those it runs, and those that ended so recently that
	 * their last reports may still be on their way. Called when the client (re)connects;
	 * when not {@code null} the ids are sent in {@code register} as {@code tasks}, and
	 * the hub ends (as lost) the tasks it thinks run here that the list does not name —
	 * after a restart, or a command that never arrived — and asks the agent to cancel
	 * listed ones it has ended meanwhile. A cancel for a task this client never received
	 * is then answered with {@code status cancelled}, so the hub does not wait for it.
	 * The default, {@code null}, sends no list (the hub then cannot tell).
	 * @return the task ids, or {@code null}
	 */
	default Collection<String> runningTasks() {
		return null;
	}

	/**
	 * Cancel a running task (kill its process tree).
	 * @param taskId the task id
	 */
	default void onCancel(String taskId) {
	}

	/**
	 * Start a long-lived tab process.
	 * @param request the tab
	 */
	default void onTabStart(TabStartRequest request) {
	}

	/**
	 * Stop a tab.
	 * @param tabId the tab id
	 */
	default void onTabStop(String tabId) {
	}

	/**
	 * Text typed into a tab, for its stdin, in the order the hub sent it.
	 * @param tabId the tab id
	 * @param data the text
	 */
	default void onTabInput(String tabId, String data) {
	}

	/**
	 * The server requires another agent version.
	 * @param requiredVersion the version the server wants
	 */
	default void onAgentUpdate(String requiredVersion) {
	}

	/**
	 * The server reported an error ({@code {"type":"error","data":{"code","error"}}}).
	 * @param code the error code, e.g. {@code forbidden}, {@code bad_request}
	 * @param message the error text
	 */
	default void onServerError(String code, String message) {
	}

	/**
	 * A message of a type the client does not know.
	 * @param type the message type
	 * @param data its data (an empty object if absent)
	 */
	default void onMessage(String type, JsonNode data) {
	}

	/**
	 * The connection state changed.
	 * @param previous the old state
	 * @param current the new state
	 */
	default void onStateChange(AgentState previous, AgentState current) {
	}

	/**
	 * A connection ended (not called after {@code stop()}): decide whether and how fast
	 * to reconnect.
	 * @param info how it ended
	 * @return the decision; the default is {@link ReconnectDecision#defaultFor}
	 */
	default ReconnectDecision onDisconnect(DisconnectInfo info) {
		return ReconnectDecision.defaultFor(info);
	}

	/**
	 * A reconnect was scheduled.
	 * @param attempt the consecutive failed-attempt number, starting at 1 (reset after a
	 * connection stayed registered long enough)
	 * @param delay the delay before the attempt
	 */
	default void onReconnectScheduled(int attempt, Duration delay) {
	}

}
