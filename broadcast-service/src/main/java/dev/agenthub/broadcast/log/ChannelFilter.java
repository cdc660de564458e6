package dev.agenthub.broadcast.log;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Which channels a sync reads.
 *
 * @param all every channel (admins)
 * @param exact channel names
 * @param prefixes channel name prefixes, e.g. {@code workspace:}
 * @param from channel names read only from a time on (a client id's channel from when its
 * holder's claim began)
 */
public record ChannelFilter(boolean all, List<String> exact, List<String> prefixes, Map<String, Instant> from) {

	public ChannelFilter {
		exact = List.copyOf(exact);
		prefixes = List.copyOf(prefixes);
		from = Map.copyOf(from);
	}

	public ChannelFilter(boolean all, List<String> exact, List<String> prefixes) {
		this(all, exact, prefixes, Map.of());
	}

	/** Whether it matches no channel at all. */
	public boolean isEmpty() {
		return !this.all && this.exact.isEmpty() && this.prefixes.isEmpty() && this.from.isEmpty();
	}

	/**
	 * The SQL condition on {@code column} (and the table's {@code ts}), to append to a
	 * {@code WHERE}: empty for all channels, else {@code " AND (...)"} with the named
	 * parameters {@link #bind} fills.
	 */
	public String condition(String column) {
		if (this.all) {
			return "";
		}
		StringBuilder where = new StringBuilder(" AND (");
		boolean first = true;
		if (!this.exact.isEmpty()) {
			where.append(column).append(" IN (:channels)");
			first = false;
		}
		for (int i = 0; i < this.prefixes.size(); i++) {
			where.append(first ? "" : " OR ").append(column).append(" LIKE :prefix").append(i);
			first = false;
		}
		for (int i = 0; i < this.from.size(); i++) {
			where.append(first ? "" : " OR ")
				.append('(')
				.append(column)
				.append(" = :from")
				.append(i)
				.append(" AND ts >= :fromTs")
				.append(i)
				.append(')');
			first = false;
		}
		return where.append(')').toString();
	}

	/** Binds the parameters of {@link #condition}. */
	public DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec) {
		if (this.all) {
			return spec;
		}
		if (!this.exact.isEmpty()) {
			spec = spec.bind("channels", this.exact);
		}
		for (int i = 0; i < this.prefixes.size(); i++) {
			spec = spec.bind("prefix" + i, escapeLike(this.prefixes.get(i)) + "%");
		}
		int i = 0;
		for (Map.Entry<String, Instant> bound : this.from.entrySet()) {
			spec = spec.bind("from" + i, bound.getKey())
				.bind("fromTs" + i, OffsetDateTime.ofInstant(bound.getValue(), ZoneOffset.UTC));
			i++;
		}
		return spec;
	}

	private static String escapeLike(String prefix) {
		// Channel names never hold LIKE wildcards (they are validated), but be exact.
		return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

}
