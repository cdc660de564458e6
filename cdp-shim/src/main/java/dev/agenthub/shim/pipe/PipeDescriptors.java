package dev.agenthub.shim.pipe;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Opens the inherited file descriptors 3 (client to browser) and 4 (browser to client).
 * <p>
 * Java has no public way to wrap an inherited descriptor number. Node (Puppeteer,
 * Playwright) passes Unix socket pairs, which cannot be re-opened through
 * {@code /proc/self/fd/N} (ENXIO), so the descriptor is wrapped directly when
 * {@code java.io} is open to us (the executable's manifest says {@code Add-Opens}); plain
 * pipes and FIFOs also work by re-opening {@code /proc/self/fd/N}.
 *
 * @param in fd 3, to read the client's messages
 * @param out fd 4, to write the browser's messages
 */
public record PipeDescriptors(InputStream in, OutputStream out) {

	static final int CLIENT_TO_BROWSER = 3;

	static final int BROWSER_TO_CLIENT = 4;

	private static final Path PROC_FDS = Path.of("/proc/self/fd");

	/**
	 * Opens fds 3 and 4.
	 * @return the streams
	 * @throws PipeUnavailableException when they are not open pipes or sockets, or this
	 * system has no {@code /proc/self/fd}
	 */
	public static PipeDescriptors open() throws PipeUnavailableException {
		if (!Files.isDirectory(PROC_FDS)) {
			throw new PipeUnavailableException("--remote-debugging-pipe needs /proc/self/fd (Linux) to find file "
					+ "descriptors 3 and 4; use --remote-debugging-port instead");
		}
		checkInherited(CLIENT_TO_BROWSER);
		checkInherited(BROWSER_TO_CLIENT);
		return new PipeDescriptors(input(CLIENT_TO_BROWSER), output(BROWSER_TO_CLIENT));
	}

	/**
	 * Fd 3 and 4 must be pipes, sockets or FIFOs handed over by the launching client. A
	 * regular file there is one the JVM opened for itself because the client passed
	 * nothing.
	 */
	private static void checkInherited(int fd) throws PipeUnavailableException {
		Path link = PROC_FDS.resolve(Integer.toString(fd));
		String target;
		try {
			target = Files.readSymbolicLink(link).toString();
		}
		catch (IOException ex) {
			throw new PipeUnavailableException(notPassed(fd, "it is not open"), ex);
		}
		if (target.startsWith("pipe:") || target.startsWith("socket:")) {
			return;
		}
		Path path = Path.of(target);
		if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path)) {
			throw new PipeUnavailableException(notPassed(fd, "it is " + target));
		}
	}

	private static String notPassed(int fd, String what) {
		return "--remote-debugging-pipe needs the launching client to pass pipes as file descriptors 3 and 4, but fd "
				+ fd + " is no such pipe (" + what + ")";
	}

	private static InputStream input(int fd) throws PipeUnavailableException {
		FileDescriptor descriptor = wrap(fd);
		if (descriptor != null) {
			return new FileInputStream(descriptor);
		}
		try {
			return new FileInputStream(procPath(fd));
		}
		catch (IOException ex) {
			throw reopenFailed(fd, ex);
		}
	}

	private static OutputStream output(int fd) throws PipeUnavailableException {
		FileDescriptor descriptor = wrap(fd);
		if (descriptor != null) {
			return new FileOutputStream(descriptor);
		}
		try {
			return new FileOutputStream(procPath(fd));
		}
		catch (IOException ex) {
			throw reopenFailed(fd, ex);
		}
	}

	/**
	 * Wraps the descriptor number itself.
	 * @return the descriptor, or {@code null} when {@code java.io} is not open to us
	 */
	private static FileDescriptor wrap(int fd) {
		try {
			Constructor<FileDescriptor> constructor = FileDescriptor.class.getDeclaredConstructor(int.class);
			constructor.setAccessible(true);
			return constructor.newInstance(fd);
		}
		catch (InaccessibleObjectException | ReflectiveOperationException ex) {
			return null;
		}
	}

	private static String procPath(int fd) {
		return PROC_FDS.resolve(Integer.toString(fd)).toString();
	}

	private static PipeUnavailableException reopenFailed(int fd, IOException ex) {
		return new PipeUnavailableException("cannot open file descriptor " + fd + " through " + procPath(fd) + " ("
				+ ex.getMessage() + "); sockets cannot be re-opened that way, so run the shim with "
				+ "--add-opens java.base/java.io=ALL-UNNAMED (its launcher does)", ex);
	}

}
