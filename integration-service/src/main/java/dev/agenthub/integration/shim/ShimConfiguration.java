package dev.agenthub.integration.shim;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Chooses the {@link ReleaseStore}: the database unless
 * {@code hub.shim.storage=directory}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BundledShimProperties.class)
class ShimConfiguration {

	@Bean
	BundledShim bundledShim(BundledShimProperties bundled, ReleaseStore store, ResourceLoader resources,
			ShimProperties properties) {
		return new BundledShim(bundled, store, resources, properties.maxSize().toBytes());
	}

	@Bean
	ShimMetrics shimMetrics(ObjectProvider<MeterRegistry> registries) {
		return new ShimMetrics(registries.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Bean
	Downloads shimDownloads(ShimProperties properties, ShimMetrics metrics, ObjectProvider<MeterRegistry> registries) {
		return new Downloads(properties.maxDownloads(), properties.downloadStall(), metrics,
				registries.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "hub.shim.storage", havingValue = "directory")
	DirectoryReleaseStore directoryReleaseStore(ShimProperties properties) {
		return new DirectoryReleaseStore(properties.directory(), (int) properties.chunkSize().toBytes());
	}

	@Bean
	@ConditionalOnMissingBean(ReleaseStore.class)
	@ConditionalOnProperty(name = "hub.shim.storage", havingValue = "database", matchIfMissing = true)
	DatabaseReleaseStore databaseReleaseStore(DatabaseClient db, ShimProperties properties) {
		return new DatabaseReleaseStore(db, (int) properties.chunkSize().toBytes());
	}

}
