package dev.agenthub.sidecar.git;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the output of {@code git status --porcelain=v2 --branch} (without {@code -z}):
 * {@code # branch.*} headers, ordinary ({@code 1}), renamed/copied ({@code 2}), unmerged
 * ({@code u}) and untracked ({@code ?}) entries; ignored entries ({@code !}) are skipped.
 * C-quoted paths (with escapes such as {@code \t} or octal UTF-8 bytes) are unquoted.
 */
public final class PorcelainV2Parser {

	private PorcelainV2Parser() {
	}

	/**
	 * Parses a whole status output.
	 * @param output the command's stdout
	 * @return the status
	 * @throws IllegalArgumentException on a line that is not porcelain v2
	 */
	public static GitStatus parse(String output) {
		String branch = null;
		String oid = null;
		String upstream = null;
		int ahead = 0;
		int behind = 0;
		List<GitFile> files = new ArrayList<>();
		for (String line : output.split("\n")) {
			if (line.isEmpty()) {
				continue;
			}
			if (line.startsWith("# ")) {
				String[] header = line.substring(2).split(" ", 2);
				String value = (header.length > 1) ? header[1] : "";
				switch (header[0]) {
					case "branch.oid" -> oid = "(initial)".equals(value) ? null : value;
					case "branch.head" -> branch = value;
					case "branch.upstream" -> upstream = value;
					case "branch.ab" -> {
						String[] counts = value.split(" ");
						ahead = Math.abs(Integer.parseInt(counts[0]));
						behind = Math.abs(Integer.parseInt(counts[1]));
					}
					default -> {
						// other headers (e.g. stash) are not reported
					}
				}
				continue;
			}
			switch (line.charAt(0)) {
				case '1' -> files.add(ordinary(line));
				case '2' -> files.add(renamed(line));
				case 'u' -> files.add(unmerged(line));
				case '?' -> files.add(new GitFile(unquote(line.substring(2)), "untracked", "??", false, null));
				case '!' -> {
					// ignored files only appear with --ignored; never reported
				}
				default -> throw new IllegalArgumentException("not a porcelain v2 status line: " + line);
			}
		}
		return new GitStatus(branch, oid, upstream, ahead, behind, files);
	}

	// 1 <XY> <sub> <mH> <mI> <mW> <hH> <hI> <path>
	private static GitFile ordinary(String line) {
		String[] fields = split(line, 9);
		String xy = fields[1];
		return new GitFile(unquote(fields[8]), statusOf(xy), xy, xy.charAt(0) != '.', null);
	}

	// 2 <XY> <sub> <mH> <mI> <mW> <hH> <hI> <X><score> <path><TAB><origPath>
	private static GitFile renamed(String line) {
		String[] fields = split(line, 10);
		String xy = fields[1];
		String[] paths = fields[9].split("\t", 2);
		String status = fields[8].startsWith("C") ? "copied" : "renamed";
		String origPath = (paths.length > 1) ? unquote(paths[1]) : null;
		return new GitFile(unquote(paths[0]), status, xy, xy.charAt(0) != '.', origPath);
	}

	// u <XY> <sub> <m1> <m2> <m3> <mW> <h1> <h2> <h3> <path>
	private static GitFile unmerged(String line) {
		String[] fields = split(line, 11);
		return new GitFile(unquote(fields[10]), "conflicted", fields[1], false, null);
	}

	private static String[] split(String line, int count) {
		String[] fields = line.split(" ", count);
		if (fields.length != count || fields[1].length() != 2) {
			throw new IllegalArgumentException("malformed porcelain v2 entry: " + line);
		}
		return fields;
	}

	private static String statusOf(String xy) {
		char code = (xy.charAt(0) != '.') ? xy.charAt(0) : xy.charAt(1);
		return switch (code) {
			case 'A' -> "added";
			case 'D' -> "deleted";
			case 'R' -> "renamed";
			case 'C' -> "copied";
			case 'T' -> "type_changed";
			case 'U' -> "conflicted";
			default -> "modified";
		};
	}

	/**
	 * Undoes git's C-style quoting of unusual paths ({@code "a\tb"}, {@code "\303\251"}).
	 * @param path a path as git printed it
	 * @return the real path
	 */
	static String unquote(String path) {
		if (path.length() < 2 || path.charAt(0) != '"' || path.charAt(path.length() - 1) != '"') {
			return path;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int i = 1; i < path.length() - 1; i++) {
			char c = path.charAt(i);
			if (c != '\\' || i + 1 >= path.length() - 1) {
				bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
				continue;
			}
			char next = path.charAt(++i);
			switch (next) {
				case 'n' -> bytes.write('\n');
				case 't' -> bytes.write('\t');
				case 'r' -> bytes.write('\r');
				case 'a' -> bytes.write(7);
				case 'b' -> bytes.write('\b');
				case 'f' -> bytes.write('\f');
				case 'v' -> bytes.write(11);
				case '0', '1', '2', '3' -> {
					bytes.write(Integer.parseInt(path.substring(i, i + 3), 8));
					i += 2;
				}
				default -> bytes.write(next);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
