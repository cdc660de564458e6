package dev.agenthub.broadcast;

import dev.agenthub.support.auth.ChannelAccess;
import dev.agenthub.support.auth.ChannelOwners;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Channel access rules for reads of the log. */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

	@Bean
	ChannelAccess channelAccess(ObjectProvider<ChannelOwners> owners) {
		return new ChannelAccess(owners.getIfAvailable(() -> ChannelOwners.NONE));
	}

}
