package dev.agenthub.integration.shim;

import java.nio.file.Path;

import io.r2dbc.spi.ConnectionFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

class ShimConfigurationTests {

	@TempDir
	Path dir;

	final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class, ShimConfiguration.class)
		.withBean(DatabaseClient.class,
				() -> DatabaseClient.create(ConnectionFactories.get("r2dbc:h2:mem:///shimconfig")));

	@Test
	void shouldStoreReleasesInTheDatabaseByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ReleaseStore.class).hasSingleBean(DatabaseReleaseStore.class);
			ShimProperties properties = context.getBean(ShimProperties.class);
			assertThat(properties.maxSize().toMegabytes()).isEqualTo(200);
			assertThat(properties.chunkSize().toKilobytes()).isEqualTo(256);
			assertThat(properties.openDownloads()).isTrue();
		});
	}

	@Test
	void shouldStoreReleasesInADirectoryWhenAsked() {
		this.runner.withPropertyValues("hub.shim.storage=directory", "hub.shim.directory=" + this.dir)
			.run((context) -> assertThat(context).hasSingleBean(ReleaseStore.class)
				.hasSingleBean(DirectoryReleaseStore.class));
	}

	@Test
	void shouldRefuseNonsensicalLimits() {
		this.runner.withPropertyValues("hub.shim.max-size=0").run((context) -> assertThat(context).hasFailed());
		this.runner.withPropertyValues("hub.shim.chunk-size=10B").run((context) -> assertThat(context).hasFailed());
		this.runner.withPropertyValues("hub.shim.storage=s3").run((context) -> assertThat(context).hasFailed());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ShimProperties.class)
	static class Properties {

	}

}
