// The official socket.io-client against the gateway (namespace "/").
// Usage: node scenarios.mjs <scenario> <json options>
// options: { url, token, badToken, otherUrl, channel }
// Talks to the Java test with lines: prints "STEP <name>" and waits for one line on stdin
// (the test publishes, restarts a gateway, ...). Ends with "PASS <scenario>" (exit 0) or
// "FAIL <scenario>: <reason>" (exit 1).
import { io } from "socket.io-client";
import assert from "node:assert/strict";
import readline from "node:readline";

const [, , scenario, optionsJson] = process.argv;
const options = JSON.parse(optionsJson);
const quick = { reconnectionDelay: 200, reconnectionDelayMax: 500, randomizationFactor: 0, timeout: 5000 };

const input = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function step(name) {
  console.log("STEP " + name);
  const { value, done } = await input.next();
  if (done || value.trim() !== "ok") {
    throw new Error("step " + name + " failed: " + value);
  }
}

function once(emitter, event) {
  return new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));
}

async function connected(socket) {
  if (!socket.connected) {
    await Promise.race([
      once(socket, "connect"),
      once(socket, "connect_error").then(([err]) => {
        throw new Error("connect_error: " + err.message);
      }),
    ]);
  }
  return socket;
}

function waitFor(socket, name, predicate) {
  return new Promise((resolve) => {
    const listener = (...args) => {
      if (predicate(...args)) {
        socket.off(name, listener);
        resolve(args);
      }
    };
    socket.on(name, listener);
  });
}

/** Collects events of one name as [data, offset] pairs. */
function collect(socket, name) {
  const got = [];
  const waiters = [];
  socket.on(name, (data, offset) => {
    got.push([data, offset]);
    waiters.splice(0).forEach((w) => w());
  });
  got.waitFor = async (count) => {
    while (got.length < count) {
      await new Promise((resolve) => waiters.push(resolve));
    }
    return got;
  };
  return got;
}

async function subscribeAndReceive(socket, channel) {
  const events = collect(socket, "tab:output");
  const reply = await socket.timeout(5000).emitWithAck("subscribe", { channel });
  assert.equal(reply.channel, channel);
  assert.equal(typeof reply.epoch, "string");
  await step("publish " + channel + " one");
  const [[data, offset]] = await events.waitFor(1);
  assert.deepEqual(data, { tabId: "t1", data: "one" });
  // Other events (presence of the workspace's people) may come first on the channel.
  assert.ok(offset.startsWith(channel + "@") && Number(offset.split("@")[1]) > reply.offset, offset);
  return events;
}

const scenarios = {
  async "connect-subscribe"() {
    const socket = await connected(io(options.url, { ...quick, auth: { token: options.token } }));
    assert.equal(socket.recovered, false);
    const events = await subscribeAndReceive(socket, options.channel);
    // seed 004's dialect
    const dialect = await socket.timeout(5000).emitWithAck("subscribe:workspace", { workspaceId: "w2" });
    assert.equal(dialect.channel, "workspace:w2");
    // a forbidden channel: an error through the ack, the socket stays
    const forbidden = await socket.timeout(5000).emitWithAck("subscribe", { channel: "workspace:other" });
    assert.equal(forbidden.code, "forbidden");
    const unknown = await socket.timeout(5000).emitWithAck("teleport", {});
    assert.equal(unknown.code, "bad_request");
    assert.match(unknown.error, /unknown event/);
    // presence through the same handler as the raw protocol: no reply, so the ack says ok
    const presence = await socket.timeout(5000).emitWithAck("user_presence", { status: "away" });
    assert.deepEqual(presence, { ok: true });
    const badPresence = await socket.timeout(5000).emitWithAck("user_presence", { status: "asleep" });
    assert.equal(badPresence.code, "bad_request");
    // implicit channel: the user's own
    const notes = collect(socket, "notification");
    await step("notify");
    const [[note, noteOffset]] = await notes.waitFor(1);
    assert.deepEqual(note, { text: "hi" });
    assert.match(noteOffset, /^user:.*@\d+$/);
    const left = await socket.timeout(5000).emitWithAck("unsubscribe", { channel: options.channel });
    assert.equal(left.channel, options.channel);
    await step("publish " + options.channel + " two");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(events.length, 1);
    assert.equal(socket.connected, true);
    socket.disconnect();
  },

  async "bad-token"() {
    const socket = io(options.url, { ...quick, auth: { token: options.badToken }, reconnection: false });
    const [err] = await once(socket, "connect_error");
    assert.equal(err.message, "Not authorized");
    assert.equal(err.data.code, "unauthorized");
    socket.disconnect();
  },

  async "polling-only"() {
    const socket = await connected(
      io(options.url, { ...quick, transports: ["polling"], auth: { token: options.token } }),
    );
    await subscribeAndReceive(socket, options.channel);
    assert.equal(socket.io.engine.transport.name, "polling");
    socket.disconnect();
  },

  async "rate-limit"() {
    const socket = await connected(
      io(options.url, { ...quick, transports: ["websocket"], reconnection: false, auth: { token: options.token } }),
    );
    const limited = waitFor(socket, "error", (err) => err.code === "rate_limited");
    const closed = once(socket, "disconnect");
    for (let i = 0; i < 400; i++) {
      socket.emit("ping-unknown", {});
    }
    const [err] = await limited;
    assert.match(err.error, /messages\/s/);
    const [reason] = await closed;
    assert.equal(reason, "transport close");
  },

  async upgrade() {
    const socket = await connected(io(options.url, { ...quick, auth: { token: options.token } }));
    if (socket.io.engine.transport.name !== "websocket") {
      await once(socket.io.engine, "upgrade");
    }
    assert.equal(socket.io.engine.transport.name, "websocket");
    await subscribeAndReceive(socket, options.channel);
    socket.disconnect();
  },

  async recovery() {
    const socket = await connected(io(options.url, { ...quick, auth: { token: options.token } }));
    // Every event of the channel, whatever its type (presence may be among them).
    const offsetsOnChannel = [];
    socket.onAny((event, data, offset) => {
      if (typeof offset === "string" && offset.startsWith(options.channel + "@")) {
        offsetsOnChannel.push(Number(offset.split("@")[1]));
      }
    });
    const events = await subscribeAndReceive(socket, options.channel);
    if (options.otherUrl) {
      // the client moves to another gateway (as behind a load balancer)
      socket.io.on("reconnect_attempt", () => {
        socket.io.uri = options.otherUrl;
      });
    }
    const reconnected = once(socket, "connect");
    await step("restart");
    await reconnected;
    assert.equal(socket.recovered, true, "recovered");
    const got = await events.waitFor(3);
    assert.deepEqual(got.map(([data]) => data.data), ["one", "missed-1", "missed-2"]);
    await step("publish " + options.channel + " live");
    await events.waitFor(4);
    assert.equal(got[3][0].data, "live");
    assert.equal(got.length, 4);
    // Gapless and each offset once, from the first event on: nothing lost across the move.
    const first = offsetsOnChannel[0];
    assert.deepEqual(offsetsOnChannel, offsetsOnChannel.map((_, i) => first + i));
    socket.disconnect();
  },
};

try {
  await scenarios[scenario]();
  console.log("PASS " + scenario);
  process.exit(0);
} catch (e) {
  console.log("FAIL " + scenario + ": " + (e && e.stack ? e.stack : e));
  process.exit(1);
}
