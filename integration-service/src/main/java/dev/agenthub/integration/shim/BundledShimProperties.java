package dev.agenthub.integration.shim;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The CDP shim the hub ships in its own build ({@code hub.shim.bundled.*}), published as
 * the first release when the registry is empty, so a container can install the shim from
 * a fresh hub.
 *
 * @param enabled whether an empty registry gets the bundled shim
 * ({@code HUB_SHIM_BUNDLED_ENABLED})
 * @param location where the executable is: a Spring resource location, by default the one
 * the launcher jar carries ({@code cdp-shim/target/chromium}, copied at build time)
 * @param version the version to publish it as; empty: read {@code <location>.version}
 * (the build's project version), without a {@code -SNAPSHOT} suffix so that it counts as
 * the latest release
 */
@ConfigurationProperties("hub.shim.bundled")
public record BundledShimProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("classpath:cdp-shim/chromium") String location, @DefaultValue("") String version) {

}
