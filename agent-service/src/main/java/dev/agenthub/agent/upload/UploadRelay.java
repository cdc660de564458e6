package dev.agenthub.agent.upload;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.agent.routing.NodeMessage;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.MessageTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent's side of uploads, on the node holding the agent: hands pieces to the agent
 * and sends the agent's acknowledgements and result back to the node the upload came
 * from. An agent can answer only for uploads sent to its own workspace. At most
 * {@value #MAX_ROUTES} uploads are routed at once per node.
 */
public class UploadRelay {

	private static final Logger logger = LoggerFactory.getLogger(UploadRelay.class);

	/** Uploads routed through this node at once, at most. */
	static final int MAX_ROUTES = 1024;

	private final AgentLink agents;

	private final UploadBus bus;

	private final Map<String, Route> routes = new ConcurrentHashMap<>();

	UploadRelay(AgentLink agents, UploadBus bus) {
		this.agents = agents;
		this.bus = bus;
	}

	/** A message for an agent of this node, {@code data = {origin, message}}. */
	void toAgent(NodeMessage message) {
		String origin = message.data().path("origin").asString("");
		JsonNode payload = message.data().path("message");
		String uploadId = payload.path("uploadId").asString("");
		if (MessageTypes.UPLOAD_BEGIN.equals(message.kind())) {
			if (this.routes.size() >= MAX_ROUTES) {
				reply(origin, message.workspaceId(), failure(uploadId, MessageTypes.UPLOAD_FAILED,
						"too many uploads through this node at once; try again"));
				return;
			}
			this.routes.put(uploadId, new Route(origin, message.workspaceId()));
		}
		else if (MessageTypes.UPLOAD_ABORT.equals(message.kind())) {
			this.routes.remove(uploadId);
		}
		if (!this.agents.send(message.workspaceId(), message.kind(), payload)) {
			this.routes.remove(uploadId);
			if (!MessageTypes.UPLOAD_ABORT.equals(message.kind())) {
				reply(origin, message.workspaceId(), failure(uploadId, ErrorCode.NO_AGENT.code(),
						"the agent of workspace " + message.workspaceId() + " disconnected"));
			}
		}
	}

	/**
	 * An agent's {@code upload:ack} or {@code upload:result} (the hook in the agent
	 * socket handler).
	 * @param workspaceId the workspace of the agent that sent it
	 * @param type the message type
	 * @param data its data
	 */
	public void fromAgent(String workspaceId, String type, JsonNode data) {
		String uploadId = data.path("uploadId").asString("");
		Route route = this.routes.get(uploadId);
		// Whose upload it is first, then the end of its route: a result from another
		// workspace's agent must not remove the route and leave the real one unheard.
		if (route == null || !route.workspaceId().equals(workspaceId)
				|| (MessageTypes.UPLOAD_RESULT.equals(type) && !this.routes.remove(uploadId, route))) {
			logger.debug("Ignoring {} for unknown upload {}", type, uploadId);
			return;
		}
		ObjectNode reply = HubJson.object();
		data.properties().forEach((field) -> reply.set(field.getKey(), field.getValue()));
		reply.put("type", type);
		reply(route.origin(), route.workspaceId(), reply);
	}

	private void reply(String origin, String workspaceId, ObjectNode data) {
		this.bus.bus()
			.send(origin, new NodeMessage(UploadBus.REPLY, workspaceId, null, data))
			.subscribe(null, (ex) -> logger.warn("Could not answer upload on node {}: {}", origin, ex.toString()));
	}

	static ObjectNode failure(String uploadId, String code, String error) {
		ObjectNode data = HubJson.object();
		data.put("type", MessageTypes.UPLOAD_RESULT);
		data.put("uploadId", uploadId);
		data.put("ok", false);
		data.put("code", code);
		data.put("error", error);
		return data;
	}

	private record Route(String origin, String workspaceId) {

	}

}
