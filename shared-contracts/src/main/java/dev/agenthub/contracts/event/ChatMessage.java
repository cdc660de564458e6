package dev.agenthub.contracts.event;

/**
 * {@code chat_message}: a message in a conversation.
 *
 * @param conversationId the conversation
 * @param messageId the message's id (idempotency key for clients)
 * @param content the text
 * @param sender who wrote it
 * @param timestamp when it was written (ISO-8601); optional
 */
public record ChatMessage(String conversationId, String messageId, String content, String sender,
		String timestamp) implements EventPayload {

	public ChatMessage {
		Check.id(conversationId, "conversationId");
		Check.id(messageId, "messageId");
		Check.present(content, "content");
		Check.text(sender, "sender");
	}

}
