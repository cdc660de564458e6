// Scenarios run with the official socket.io-client against the Java server.
// Usage: node scenarios.mjs <base-url> <scenario>
// Prints one line "PASS <scenario>" and exits 0, or "FAIL <scenario>: <reason>" and exits 1.
import { io } from "socket.io-client";
import assert from "node:assert/strict";

const [, , baseUrl, scenario] = process.argv;

const quick = { reconnectionDelay: 100, reconnectionDelayMax: 200, randomizationFactor: 0, timeout: 5000 };

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

async function roundTrips(socket) {
  const [echo] = await Promise.all([once(socket, "message-back"), socket.emit("message", 1, "two", { three: [true] })]);
  assert.deepEqual(echo, [1, "two", { three: [true] }]);
  const acked = await socket.timeout(3000).emitWithAck("message-with-ack", "a", 2);
  assert.deepEqual(acked, "a");
  const [bin] = await Promise.all([
    once(socket, "message-back"),
    socket.emit("message", Buffer.from([1, 2, 3]), { nested: Buffer.from([4, 5]) }),
  ]);
  assert.deepEqual(Buffer.from(bin[0]), Buffer.from([1, 2, 3]));
  assert.deepEqual(Buffer.from(bin[1].nested), Buffer.from([4, 5]));
}

const scenarios = {
  async "connect-auth"() {
    const socket = io(baseUrl, { ...quick, auth: { token: "abc" } });
    const authPromise = once(socket, "auth");
    await connected(socket);
    const [auth] = await authPromise;
    assert.deepEqual(auth, { token: "abc" });
    assert.equal(typeof socket.id, "string");
    socket.disconnect();
  },

  async "connect-error"() {
    const rejected = io(baseUrl + "/private", { ...quick, auth: { token: "bad" }, reconnection: false });
    const [err] = await once(rejected, "connect_error");
    assert.equal(err.message, "Not authorized");
    assert.deepEqual(err.data, { code: "auth" });
    rejected.disconnect();
    const unknown = io(baseUrl + "/nope", { ...quick, reconnection: false, forceNew: true });
    const [err2] = await once(unknown, "connect_error");
    assert.equal(err2.message, "Invalid namespace");
    unknown.disconnect();
    const accepted = io(baseUrl + "/private", { ...quick, auth: { token: "good" }, forceNew: true });
    await connected(accepted);
    accepted.disconnect();
  },

  async "emit-ack"() {
    const socket = await connected(io(baseUrl, quick));
    const acked = await socket.timeout(3000).emitWithAck("message-with-ack", 1, "2", { 3: [false] });
    assert.equal(acked, 1);
    socket.on("question", (value, ack) => ack(value + 1, Buffer.from([9])));
    const [answer] = await Promise.all([once(socket, "answer"), socket.emit("ask-client", 41)]);
    assert.equal(answer[0], 42);
    assert.deepEqual(Buffer.from(answer[1]), Buffer.from([9]));
    socket.disconnect();
  },

  async binary() {
    const socket = await connected(io(baseUrl, quick));
    const payload = Buffer.alloc(70000, 7);
    const [back] = await Promise.all([once(socket, "message-back"), socket.emit("message", "x", payload)]);
    assert.equal(back[0], "x");
    assert.ok(Buffer.from(back[1]).equals(payload));
    const acked = await socket.timeout(3000).emitWithAck("message-with-ack", Buffer.from([1, 2]));
    assert.deepEqual(Buffer.from(acked), Buffer.from([1, 2]));
    socket.disconnect();
  },

  async "polling-only"() {
    const socket = await connected(io(baseUrl, { ...quick, transports: ["polling"] }));
    assert.equal(socket.io.engine.transport.name, "polling");
    await roundTrips(socket);
    assert.equal(socket.io.engine.transport.name, "polling");
    socket.disconnect();
  },

  async "websocket-only"() {
    const socket = await connected(io(baseUrl, { ...quick, transports: ["websocket"] }));
    assert.equal(socket.io.engine.transport.name, "websocket");
    await roundTrips(socket);
    socket.disconnect();
  },

  async upgrade() {
    const socket = io(baseUrl, quick);
    const engine = socket.io.engine;
    const firstTransport = engine.transport.name;
    const upgraded = once(engine, "upgrade");
    await connected(socket);
    await upgraded;
    assert.equal(firstTransport, "polling");
    assert.equal(socket.io.engine.transport.name, "websocket");
    await roundTrips(socket);
    socket.disconnect();
  },

  async heartbeat() {
    // several ping intervals pass: the client answers the server's pings, nothing closes
    const polling = await connected(io(baseUrl, { ...quick, transports: ["polling"], forceNew: true }));
    const websocket = await connected(io(baseUrl, { ...quick, transports: ["websocket"], forceNew: true }));
    // why a socket closed, should one: the failure then says it
    const disconnects = [];
    for (const [name, socket] of [["polling", polling], ["websocket", websocket]]) {
      socket.on("disconnect", (reason, details) => {
        const why = details && (details.description?.message ?? details.description ?? details.context?.status);
        disconnects.push(`${name}: ${reason}${why === undefined ? "" : ` (${why})`}`);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 1600));
    assert.deepEqual(disconnects, []);
    for (const socket of [polling, websocket]) {
      const acked = await socket
        .timeout(3000)
        .emitWithAck("message-with-ack", "alive")
        .catch((err) => {
          throw new Error(`${err.message}; disconnects: ${disconnects.join(", ")}`);
        });
      assert.equal(acked, "alive");
      socket.disconnect();
    }
  },

  async "server-disconnect"() {
    const socket = await connected(io(baseUrl, quick));
    const [reason] = await Promise.all([once(socket, "disconnect"), socket.emit("leave")]);
    assert.equal(reason[0], "io server disconnect");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(socket.connected, false, "no automatic reconnection after a server disconnect");
    socket.io.engine.close();
  },

  async recovery() {
    const socket = io(baseUrl + "/recover", quick);
    const ticks = [];
    socket.on("tick", (value) => ticks.push(value));
    await connected(socket);
    assert.equal(socket.recovered, false);
    const firstId = socket.id;
    await socket.timeout(3000).emitWithAck("start");
    assert.deepEqual(ticks, [1, 2]);
    const reconnected = once(socket, "connect");
    socket.emit("drop");
    await reconnected;
    assert.equal(socket.recovered, true, "socket.recovered after reconnect");
    assert.equal(socket.id, firstId);
    await socket.timeout(3000).emitWithAck("sync");
    assert.deepEqual(ticks, [1, 2, 3, 4]);
    socket.disconnect();

    // a pid the server does not know is not recovered
    const stranger = io(baseUrl + "/recover", { ...quick, forceNew: true });
    await connected(stranger);
    stranger._pid = "unknown-pid";
    stranger._lastOffset = "1";
    const again = once(stranger, "connect");
    stranger.emit("drop");
    await again;
    assert.equal(stranger.recovered, false);
    stranger.disconnect();
  },
};

const run = scenarios[scenario];
if (!run) {
  console.log(`FAIL ${scenario}: unknown scenario`);
  process.exit(1);
}
const timer = setTimeout(() => {
  console.log(`FAIL ${scenario}: timed out`);
  process.exit(1);
}, 15000);
try {
  await run();
  clearTimeout(timer);
  console.log(`PASS ${scenario}`);
  process.exit(0);
} catch (err) {
  clearTimeout(timer);
  console.log(`FAIL ${scenario}: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
}
