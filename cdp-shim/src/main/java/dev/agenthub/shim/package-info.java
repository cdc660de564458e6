/**
 * A fake {@code chromium} executable: it looks like Chrome to Puppeteer and Playwright
 * (arguments, the {@code DevTools listening on} line, {@code DevToolsActivePort}, the
 * {@code /json} endpoints, browser and page WebSockets, {@code --remote-debugging-pipe})
 * but relays the Chrome DevTools Protocol to a real Chrome at {@code CDP_HOST:CDP_PORT}.
 * <p>
 * {@link dev.agenthub.shim.ChromiumShim} is the entry point; it wires the features:
 * {@code cli} (arguments and version), {@code remote} (the real Chrome), {@code relay}
 * (the local DevTools HTTP and WebSocket server), {@code pipe} (the fd 3/4 bridge) and
 * {@code lifecycle} (why and how the process exits).
 */
package dev.agenthub.shim;
