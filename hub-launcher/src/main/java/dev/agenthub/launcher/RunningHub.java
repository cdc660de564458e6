package dev.agenthub.launcher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The contexts of a hub started by {@link HubLauncher}: the parent with the shared engine
 * and the services in start order. Closing stops the services last started first, each
 * draining its connections (browsers and agents get 1001) while the engine and the event
 * loops they share still run, and the parent last.
 */
final class RunningHub implements AutoCloseable {

	private final ConfigurableApplicationContext parent;

	private final List<ConfigurableApplicationContext> services;

	RunningHub(ConfigurableApplicationContext parent, List<ConfigurableApplicationContext> services) {
		this.parent = parent;
		this.services = List.copyOf(services);
	}

	ConfigurableApplicationContext parent() {
		return this.parent;
	}

	@Override
	public void close() {
		List<ConfigurableApplicationContext> reverse = new ArrayList<>(this.services);
		Collections.reverse(reverse);
		reverse.forEach(ConfigurableApplicationContext::close);
		this.parent.close();
	}

}
