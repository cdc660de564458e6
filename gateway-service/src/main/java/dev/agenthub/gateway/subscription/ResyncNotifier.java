package dev.agenthub.gateway.subscription;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.session.GatewaySession;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tells a connection that its subscription restarted at a new position and the events in
 * between are lost to it: {@code {"type":"subscribed","data":{"channel","epoch",
 * "offset","recovered":false}}}. The client refetches state.
 */
@Component
public class ResyncNotifier implements ChannelFanout.Resync {

	@Override
	public void notify(GatewaySession session, String channel, String epoch, long offset) {
		session.send(ServerMessage.of(MessageTypes.SUBSCRIBED, null, subscribed(channel, epoch, offset, false)));
	}

	/** The data of a {@code subscribed} message. */
	public static ObjectNode subscribed(String channel, String epoch, long offset, Boolean recovered) {
		ObjectNode data = HubJson.object();
		data.put("channel", channel);
		data.put("epoch", epoch);
		data.put("offset", offset);
		if (recovered != null) {
			data.put("recovered", recovered);
		}
		return data;
	}

}
