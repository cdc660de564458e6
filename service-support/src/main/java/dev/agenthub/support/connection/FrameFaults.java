package dev.agenthub.support.connection;

import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.socket.SocketConfiguration;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import reactor.netty.Connection;

/**
 * Frames a raw WebSocket's transport cannot take — one frame, or the fragments of one
 * message, over its bound of 1 MiB ({@link SocketConfiguration#TRANSPORT_MAX_FRAME}), or
 * a frame that breaks the protocol — are refused by the pipeline like any other bad
 * input: an {@code error} saying why, then the close code. Netty's own decoder would
 * close the connection itself with its own reason and nothing before it; the decoder
 * installed here reports the fault instead, and reads nothing more of the connection
 * (nothing past the bound is ever held in memory).
 */
final class FrameFaults {

	/** What Netty's WebSocket server handshaker names its frame decoder. */
	private static final String DECODER = "wsdecoder";

	/** Reactor Netty's decoder settings, except that a protocol violation is reported. */
	private static final WebSocketDecoderConfig CONFIG = WebSocketDecoderConfig.newBuilder()
		.maxFramePayloadLength(SocketConfiguration.TRANSPORT_MAX_FRAME)
		.allowExtensions(true)
		.closeOnProtocolViolation(false)
		.build();

	private FrameFaults() {
	}

	/**
	 * Makes the connection's frame decoder report protocol violations to the pipeline.
	 */
	static void reportInsteadOfClosing(Connection connection) {
		ChannelPipeline pipeline = connection.channel().pipeline();
		if (pipeline.get(DECODER) instanceof WebSocket08FrameDecoder) {
			pipeline.replace(DECODER, DECODER, new WebSocket13FrameDecoder(CONFIG));
		}
	}

	/**
	 * Refuses the connection for what its transport failed with, when that was its
	 * input's fault.
	 * @return whether it was (and the refusal was sent)
	 */
	static boolean refuse(Throwable failure, Conversation<?> conversation) {
		boolean tooLarge = failure instanceof TooLongFrameException
				|| (failure instanceof CorruptedWebSocketFrameException violation
						&& WebSocketCloseStatus.MESSAGE_TOO_BIG.equals(violation.closeStatus()));
		if (tooLarge) {
			// the same words as a frame between the two bounds gets (its size is not
			// known)
			conversation.refuse(ErrorCode.TOO_LARGE,
					"message over the limit of " + conversation.connection().limits().maxFrameBytes() + " bytes",
					CloseCode.MESSAGE_TOO_BIG);
			return true;
		}
		if (failure instanceof CorruptedWebSocketFrameException corrupted) {
			conversation.refuse(ErrorCode.BAD_REQUEST, "bad WebSocket frame: " + corrupted.getMessage(),
					CloseCode.PROTOCOL_ERROR);
			return true;
		}
		return false;
	}

}
