package dev.agenthub.contracts.event;

import java.util.Set;

import dev.agenthub.contracts.Limits;
import dev.agenthub.contracts.error.ContractViolation;

/** Field checks used by payload records; each failure names the field. */
final class Check {

	private Check() {
	}

	static String id(String value, String field) {
		text(value, field);
		if (value.length() > Limits.MAX_ID_LENGTH) {
			throw ContractViolation.badRequest(field + " is longer than " + Limits.MAX_ID_LENGTH + " characters");
		}
		return value;
	}

	static String text(String value, String field) {
		if (value == null || value.isBlank()) {
			throw ContractViolation.badRequest(field + " is required");
		}
		return value;
	}

	static <T> T present(T value, String field) {
		if (value == null) {
			throw ContractViolation.badRequest(field + " is required");
		}
		return value;
	}

	static String oneOf(String value, String field, Set<String> allowed) {
		text(value, field);
		if (!allowed.contains(value)) {
			throw ContractViolation.badRequest(field + " must be one of " + allowed + " but was '" + value + "'");
		}
		return value;
	}

	static String optionalOneOf(String value, String field, Set<String> allowed) {
		return (value != null) ? oneOf(value, field, allowed) : null;
	}

	static Number range(Number value, String field, double min, double max) {
		present(value, field);
		double v = value.doubleValue();
		if (Double.isNaN(v) || v < min || v > max) {
			throw ContractViolation
				.badRequest(field + " must be between " + fmt(min) + " and " + fmt(max) + " but was " + value);
		}
		return value;
	}

	static int nonNegative(Integer value, String field) {
		present(value, field);
		if (value < 0) {
			throw ContractViolation.badRequest(field + " must not be negative but was " + value);
		}
		return value;
	}

	private static String fmt(double d) {
		return (d == Math.rint(d)) ? String.valueOf((long) d) : String.valueOf(d);
	}

}
