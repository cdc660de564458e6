package dev.agenthub.broadcast;

import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.web.ApiError;
import io.r2dbc.spi.R2dbcException;
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
 * Failures of the log's database (unreachable, pool exhausted, a query it refused) as
 * {@code unavailable} API errors instead of bare 500s; the cause goes to the log, not to
 * the client. {@link DataAccessException} is what {@code DatabaseClient} throws; the
 * change log's transactions use the R2DBC connection itself, whose failures are
 * {@link R2dbcException}.
 */
@Order(0)
@RestControllerAdvice(basePackageClasses = BroadcastServiceApplication.class)
class StorageExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(StorageExceptionHandler.class);

	@ExceptionHandler({ DataAccessException.class, R2dbcException.class })
	ResponseEntity<ObjectNode> storage(RuntimeException ex) {
		logger.warn("Event log storage failed: {}", ex.toString());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.body(ApiError.body(ErrorCode.UNAVAILABLE, "the event log's database is unavailable, try again"));
	}

}
