package dev.agenthub.shim.cli;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line {@code chromium --version} prints: {@code Chromium <version> (CDP shim <shim
 * version>)}. The Chrome version is the remote browser's when it can be asked, so tools
 * that pick protocol features by version see the browser they will actually drive.
 */
public final class VersionBanner {

	/** Used when the remote Chrome cannot be asked. */
	public static final String FALLBACK_CHROME_VERSION = "156.0.0.0";

	private static final Pattern PRODUCT = Pattern.compile("^[A-Za-z]+/(\\d+(?:\\.\\d+){1,3})");

	private VersionBanner() {
	}

	/**
	 * Builds the banner.
	 * @param remoteProduct the remote {@code /json/version} {@code Browser} field, e.g.
	 * {@code HeadlessChrome/156.0.8078.79}, if known
	 * @return the banner line
	 */
	public static String banner(Optional<String> remoteProduct) {
		String chrome = remoteProduct.flatMap(VersionBanner::chromeVersion).orElse(FALLBACK_CHROME_VERSION);
		return "Chromium " + chrome + " (CDP shim " + shimVersion() + ")";
	}

	/**
	 * Extracts the version number from a product string such as
	 * {@code Chrome/156.0.8078.79}.
	 * @param product the product string
	 * @return the version, if the string has one
	 */
	public static Optional<String> chromeVersion(String product) {
		Matcher matcher = PRODUCT.matcher(product.trim());
		return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
	}

	/**
	 * The shim's own version, from the executable's manifest.
	 * @return the version, {@code dev} when not run from the packaged executable
	 */
	public static String shimVersion() {
		String version = VersionBanner.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "dev";
	}

}
