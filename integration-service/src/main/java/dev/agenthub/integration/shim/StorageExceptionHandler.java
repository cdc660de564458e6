package dev.agenthub.integration.shim;

import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.node.ObjectNode;

/**
 * Storage failures of the registry (database unreachable, disk full) as
 * {@code unavailable} API errors instead of bare 500s; the cause goes to the log, not to
 * the client.
 */
@Order(0)
@RestControllerAdvice(assignableTypes = { ReleaseController.class, BundleController.class })
class StorageExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(StorageExceptionHandler.class);

	@ExceptionHandler({ DataAccessException.class, java.io.UncheckedIOException.class })
	ResponseEntity<ObjectNode> storage(RuntimeException ex) {
		logger.warn("CDP shim storage failed: {}", ex.toString());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.body(ApiError.body(ErrorCode.UNAVAILABLE, "the release storage is unavailable, try again"));
	}

}
