// A web app on another origin than the hub, as seed 000's: headless Chromium loads a page
// from a local static server (origin http://localhost:<port>) that talks to the hub's
// services (http://127.0.0.1:<port>) with socket.io-client over long-polling and fetch().
// Usage: node cross-origin.mjs <json options>
// options: { chromium, gatewayUrl, broadcastUrl, agentUrl, integrationUrl, userToken,
//            serviceToken, channel }
// Prints "SEEN <json>" and "PASS" (exit 0), or "FAIL <reason>" (exit 1).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import puppeteer from "puppeteer-core";

const options = JSON.parse(process.argv[2]);
const here = path.dirname(fileURLToPath(import.meta.url));
const clientBundle = fs.readFileSync(path.join(here, "node_modules/socket.io-client/dist/socket.io.min.js"));
const page = `<!doctype html><html><head><meta charset="utf-8"><title>web app</title>
<script src="/socket.io.min.js"></script></head><body>web app</body></html>`;

const server = http.createServer((request, response) => {
  if (request.url === "/socket.io.min.js") {
    response.writeHead(200, { "content-type": "text/javascript" });
    response.end(clientBundle);
  } else {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(page);
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const pageUrl = `http://localhost:${server.address().port}/`;

let browser;
const fail = (reason) => {
  console.log("FAIL " + reason);
  process.exitCode = 1;
};
const watchdog = setTimeout(() => {
  fail("timed out");
  process.exit(1);
}, 60000);

try {
  browser = await puppeteer.launch({
    executablePath: options.chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const tab = await browser.newPage();
  const consoleLines = [];
  tab.on("console", (message) => consoleLines.push(message.text()));
  await tab.goto(pageUrl);
  const seen = await tab.evaluate(async (o) => {
    const result = { origin: location.origin };
    const socket = io(o.gatewayUrl, { transports: ["polling"], auth: { token: o.userToken }, reconnection: false });
    await new Promise((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", (err) => reject(new Error("connect_error: " + err.message)));
    });
    result.transport = socket.io.engine.transport.name;
    const subscribed = await socket.timeout(5000).emitWithAck("subscribe", { channel: o.channel });
    result.subscribed = subscribed.channel;
    const event = new Promise((resolve) => socket.once("tab:output", (data) => resolve(data)));
    // a JSON POST with a bearer token: the browser sends a preflight first
    const published = await fetch(o.broadcastUrl + "/api/publish", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer " + o.serviceToken },
      body: JSON.stringify({ channel: o.channel, type: "tab:output", data: { tabId: "t1", data: "from another origin" } }),
    });
    result.publishStatus = published.status;
    result.event = await Promise.race([event, new Promise((r) => setTimeout(() => r("no event within 10 s"), 10000))]);
    result.api = {};
    const apis = {
      gateway: o.gatewayUrl + "/api/stats",
      agent: o.agentUrl + "/api/agents",
      broadcast: o.broadcastUrl + "/api/channels/" + encodeURIComponent(o.channel) + "/events",
      integration: o.integrationUrl + "/api/tailscale/status",
    };
    for (const [name, url] of Object.entries(apis)) {
      try {
        const response = await fetch(url, { headers: { Authorization: "Bearer " + o.userToken } });
        result.api[name] = response.status;
      } catch (err) {
        result.api[name] = "blocked: " + err.message;
      }
    }
    try {
      result.withoutToken = (await fetch(o.broadcastUrl + "/api/publish", { method: "POST" })).status;
    } catch (err) {
      result.withoutToken = "blocked: " + err.message;
    }
    socket.close();
    return result;
  }, options);
  console.log("SEEN " + JSON.stringify(seen));
  assert.equal(seen.origin, new URL(pageUrl).origin);
  assert.notEqual(new URL(options.gatewayUrl).origin, seen.origin);
  assert.equal(seen.transport, "polling");
  assert.equal(seen.subscribed, options.channel);
  assert.equal(seen.publishStatus, 200);
  assert.deepEqual(seen.event, { tabId: "t1", data: "from another origin" });
  for (const [name, status] of Object.entries(seen.api)) {
    assert.equal(typeof status, "number", name + ": " + status);
  }
  assert.equal(seen.withoutToken, 401);
  console.log("PASS");
} catch (err) {
  fail(err.stack || String(err));
} finally {
  clearTimeout(watchdog);
  if (browser) {
    await browser.close();
  }
  server.close();
}
