package dev.agenthub.integration.shim;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The CDP shim release registry ({@code hub.shim.*}).
 *
 * @param storage where release bytes live: {@code database} (the service's R2DBC
 * database, chunked) or {@code directory}
 * @param directory the directory for {@code storage=directory}
 * @param maxSize the largest accepted upload
 * @param chunkSize the size of one stored chunk in the database
 * @param openDownloads whether listing and downloading need no token (containers install
 * the shim with plain {@code curl}); uploads always need an admin or service token
 * @param maxDownloads the most downloads in progress on a node; more are refused (503,
 * {@code Retry-After})
 * @param downloadStall how long a download's client may take nothing before the download
 * is ended
 */
@Validated
@ConfigurationProperties("hub.shim")
public record ShimProperties(@DefaultValue("database") @NotNull Storage storage,
		@DefaultValue(".hub-data/cdp-shim") @NotNull Path directory, @DefaultValue("200MB") @NotNull DataSize maxSize,
		@DefaultValue("256KB") @NotNull DataSize chunkSize, @DefaultValue("true") boolean openDownloads,
		@DefaultValue("64") int maxDownloads, @DefaultValue("60s") @NotNull Duration downloadStall) {

	public ShimProperties {
		if (maxSize.toBytes() <= 0) {
			throw new IllegalArgumentException("hub.shim.max-size must be positive");
		}
		if (chunkSize.toBytes() < 1024 || chunkSize.toBytes() > 16 * 1024 * 1024) {
			throw new IllegalArgumentException("hub.shim.chunk-size must be between 1KB and 16MB");
		}
		if (maxDownloads < 1) {
			throw new IllegalArgumentException("hub.shim.max-downloads must be at least 1");
		}
		if (downloadStall.isNegative() || downloadStall.isZero()) {
			throw new IllegalArgumentException("hub.shim.download-stall must be positive");
		}
	}

	/** Where release bytes live. */
	public enum Storage {

		/** Rows of the service's database (PostgreSQL, or the embedded H2). */
		DATABASE,
		/** Files in {@link ShimProperties#directory()}. */
		DIRECTORY

	}

}
