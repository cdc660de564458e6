package dev.agenthub.support.web;

import java.time.Duration;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.logging.ThrottledWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Translates errors of the REST APIs into {@link ApiError} bodies, in one place: contract
 * violations keep their code; unreadable bodies are {@code bad_request}; infrastructure
 * failures are {@code unavailable}.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	/** What a request whose Redis command timed out is told. */
	static final String NO_ANSWER_IN_TIME = "the event bus did not answer in time; it may have done what was asked, "
			+ "so check before trying again";

	/**
	 * Requests refused because Redis is gone or overloaded: a backend retrying its
	 * publishes meanwhile is a few lines of the log, not one per request.
	 */
	private final ThrottledWarning redisUnavailable = new ThrottledWarning(logger, Duration.ofSeconds(10));

	@ExceptionHandler(ContractViolation.class)
	ResponseEntity<ObjectNode> violation(ContractViolation ex) {
		return ResponseEntity.status(ex.code().httpStatus()).body(ApiError.body(ex.code(), ex.getMessage()));
	}

	@ExceptionHandler(WebExchangeBindException.class)
	ResponseEntity<ObjectNode> invalid(WebExchangeBindException ex) {
		StringBuilder message = new StringBuilder();
		ex.getFieldErrors()
			.forEach((error) -> message.append((message.length() > 0) ? "; " : "")
				.append(error.getField())
				.append(' ')
				.append(error.getDefaultMessage()));
		return ResponseEntity.badRequest().body(ApiError.body(ErrorCode.BAD_REQUEST, message.toString()));
	}

	@ExceptionHandler(ServerWebInputException.class)
	ResponseEntity<ObjectNode> unreadable(ServerWebInputException ex) {
		Throwable cause = ex.getMostSpecificCause();
		String detail = (cause != null && cause != ex) ? cause.getMessage() : ex.getReason();
		return ResponseEntity.badRequest()
			.body(ApiError.body(ErrorCode.BAD_REQUEST, "unreadable request: " + firstLine(detail)));
	}

	@ExceptionHandler(ResponseStatusException.class)
	ResponseEntity<ObjectNode> status(ResponseStatusException ex) {
		HttpStatusCode status = ex.getStatusCode();
		ErrorCode code = switch (status.value()) {
			case 400 -> ErrorCode.BAD_REQUEST;
			case 401 -> ErrorCode.UNAUTHORIZED;
			case 403 -> ErrorCode.FORBIDDEN;
			case 404 -> ErrorCode.NOT_FOUND;
			case 409 -> ErrorCode.CONFLICT;
			case 413 -> ErrorCode.TOO_LARGE;
			case 503 -> ErrorCode.UNAVAILABLE;
			default -> status.is4xxClientError() ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL;
		};
		return ResponseEntity.status(status)
			.body(ApiError.body(code, (ex.getReason() != null) ? ex.getReason() : status.toString()));
	}

	@ExceptionHandler({ io.lettuce.core.RedisException.class, dev.agenthub.broker.EngineUnavailableException.class })
	ResponseEntity<ObjectNode> redis(RuntimeException ex) {
		this.redisUnavailable.warn("Redis unavailable: {}", ex.toString());
		// A command that timed out was sent and may have run once Redis answered (a
		// publish was then published): "try again" would have it done twice.
		String error = (ex instanceof io.lettuce.core.RedisCommandTimeoutException) ? NO_ANSWER_IN_TIME
				: dev.agenthub.broker.EngineUnavailableException.TO_CLIENTS + ", try again";
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(ApiError.body(ErrorCode.UNAVAILABLE, error));
	}

	private static String firstLine(String text) {
		if (text == null) {
			return "";
		}
		int newline = text.indexOf('\n');
		return (newline >= 0) ? text.substring(0, newline) : text;
	}

}
