package dev.agenthub.agent.session;

/**
 * Compares dotted numeric versions ({@code 1.10.2 > 1.9}); a pre-release suffix is
 * ignored.
 */
final class Versions {

	private Versions() {
	}

	static boolean older(String version, String minimum) {
		String[] a = core(version).split("\\.");
		String[] b = core(minimum).split("\\.");
		for (int i = 0; i < Math.max(a.length, b.length); i++) {
			long x = (i < a.length) ? number(a[i]) : 0;
			long y = (i < b.length) ? number(b[i]) : 0;
			if (x != y) {
				return x < y;
			}
		}
		return false;
	}

	private static String core(String version) {
		String v = version.startsWith("v") ? version.substring(1) : version;
		int cut = v.indexOf('-');
		return (cut >= 0) ? v.substring(0, cut) : v;
	}

	private static long number(String part) {
		try {
			return Long.parseLong(part);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
