package dev.agenthub.testsupport;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * What one class logs while a test runs: attach before, read {@link #events()}, close
 * after ({@code try}-with-resources or an {@code @AfterEach}).
 */
public final class CapturedLog implements AutoCloseable {

	private final Logger logger;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private CapturedLog(Logger logger) {
		this.logger = logger;
		this.appender.start();
		logger.addAppender(this.appender);
	}

	/** Starts capturing what {@code owner}'s logger writes. */
	public static CapturedLog of(Class<?> owner) {
		return new CapturedLog((Logger) LoggerFactory.getLogger(owner));
	}

	/**
	 * Starts capturing what the logger of that name writes, its descendants' included (a
	 * package's name: every class of it).
	 */
	public static CapturedLog of(String name) {
		return new CapturedLog((Logger) LoggerFactory.getLogger(name));
	}

	/** The events logged since capturing began, in order. */
	public List<ILoggingEvent> events() {
		return this.appender.list;
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.appender.stop();
	}

}
