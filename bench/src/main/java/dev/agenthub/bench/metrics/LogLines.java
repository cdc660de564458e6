package dev.agenthub.bench.metrics;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Lines a server wrote to its log during a run. */
public final class LogLines {

	private LogLines() {
	}

	/**
	 * Counts the lines of a log written after byte {@code from} that match (the last 256
	 * MiB at most).
	 * @return the count, or -1 when the log cannot be read
	 */
	public static long countMatching(Path log, long from, Pattern pattern) {
		try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
			long length = file.length();
			long start = Math.min(from, length);
			file.seek(start);
			byte[] bytes = new byte[(int) Math.min(length - start, 256L << 20)];
			file.readFully(bytes);
			return new String(bytes, StandardCharsets.UTF_8).lines().filter((l) -> pattern.matcher(l).find()).count();
		}
		catch (IOException ex) {
			return -1;
		}
	}

}
