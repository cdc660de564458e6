package dev.agenthub.broadcast.sync;

import java.time.Instant;

import dev.agenthub.broadcast.log.EventLogRepository.SyncPosition;
import dev.agenthub.contracts.error.ContractViolation;

/**
 * Sync page cursors: {@code <epoch seconds>.<nanos>.<row id>}, digits and dots only, so
 * they travel in a query string unescaped.
 */
final class Cursors {

	private Cursors() {
	}

	static String encode(SyncPosition position) {
		return position.timestamp().getEpochSecond() + "." + position.timestamp().getNano() + "." + position.id();
	}

	static SyncPosition decode(String cursor) {
		String[] parts = cursor.split("\\.");
		try {
			if (parts.length == 3) {
				Instant timestamp = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
				if (SyncController.supported(timestamp)) {
					return new SyncPosition(timestamp, Long.parseLong(parts[2]));
				}
			}
		}
		catch (RuntimeException ex) {
			// Falls through to the error below.
		}
		throw ContractViolation.badRequest("cursor '" + cursor + "' is not one this service handed out");
	}

}
