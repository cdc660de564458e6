// The official socket.io-client as a sidecar agent on "/agent" (agent-service) and as a
// browser on "/" (gateway). Usage: node scenarios.mjs <scenario> <json options>
// options: { agentUrl, gatewayUrl, agentToken, userToken, badToken, workspace }
// Prints "PASS <scenario>" (exit 0) or "FAIL <scenario>: <reason>" (exit 1).
import { io } from "socket.io-client";
import assert from "node:assert/strict";

const [, , scenario, optionsJson] = process.argv;
const options = JSON.parse(optionsJson);
const quick = { reconnectionDelay: 200, reconnectionDelayMax: 500, randomizationFactor: 0, timeout: 5000 };

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

const scenarios = {
  async "agent-to-browser"() {
    const ws = options.workspace;
    const browser = await connected(io(options.gatewayUrl, { ...quick, auth: { token: options.userToken } }));
    const subscribed = await browser.timeout(5000).emitWithAck("subscribe:workspace", { workspaceId: ws });
    assert.equal(subscribed.channel, "workspace:" + ws);
    const online = waitFor(browser, "workspace:state", (data) => data.agentConnected === true || data.connected === true);
    const started = waitFor(browser, "tab:started", (data) => data.tabId === "t1");
    const output = waitFor(browser, "tab:output", (data) => data.tabId === "t1" && data.data.includes("hello"));

    const agent = await connected(io(options.agentUrl + "/agent", { ...quick, auth: { token: options.agentToken } }));
    const registered = await agent.timeout(5000).emitWithAck("register", { workspaceId: ws, version: "1.0.0" });
    assert.equal(typeof registered, "object");
    const beat = await agent.timeout(5000).emitWithAck("heartbeat", { tabs: [] });
    assert.deepEqual(beat, { ok: true });
    agent.emit("tab:started", { tabId: "t1", command: "bash" });
    agent.emit("tab:output", { tabId: "t1", data: "hello from the agent\n" });
    const [state] = await online;
    assert.ok(state);
    await started;
    const [data, offset] = await output;
    assert.equal(data.tabId, "t1");
    assert.match(offset, new RegExp("^workspace:" + ws + "@\\d+$"));

    // a command from the browser (through the gateway's ack) reaches the agent as an event;
    // the agent's task reports reach the browser
    agent.on("command", (cmd) => {
      agent.emit("status", { taskId: cmd.taskId, status: "running" });
      agent.emit("output", { taskId: cmd.taskId, output: "ran " + cmd.command + "\n" });
      agent.emit("status", { taskId: cmd.taskId, status: "completed", exitCode: 0 });
    });
    const taskOutput = waitFor(browser, "task:output", (data) => data.output === "ran echo\n");
    const taskDone = waitFor(browser, "task:status", (data) => data.status === "completed");
    const accepted = await browser
      .timeout(10000)
      .emitWithAck("command", { workspaceId: ws, command: "echo", args: ["hi"], cwd: "/tmp" });
    assert.equal(typeof accepted.taskId, "string", JSON.stringify(accepted));
    const [[out], [done]] = await Promise.all([taskOutput, taskDone]);
    assert.equal(out.taskId, accepted.taskId);
    assert.equal(done.exitCode, 0);

    // bad input: an error event, the agent stays connected
    const error = once(agent, "error");
    agent.emit("tab:output", { data: "no tab id" });
    const [err] = await error;
    assert.equal(err.code, "bad_request");
    assert.equal(agent.connected, true);

    // a second agent for the same workspace with a user token is refused at CONNECT
    const refused = io(options.agentUrl + "/agent", { ...quick, auth: { token: options.userToken }, reconnection: false, forceNew: true });
    const [refusal] = await once(refused, "connect_error");
    assert.equal(refusal.message, "Not authorized");
    assert.equal(refusal.data.code, "forbidden");
    refused.disconnect();
    const forged = io(options.agentUrl + "/agent", { ...quick, auth: { token: options.badToken }, reconnection: false, forceNew: true });
    const [forgery] = await once(forged, "connect_error");
    assert.equal(forgery.data.code, "unauthorized");
    forged.disconnect();

    const offline = waitFor(browser, "workspace:state", (data) => data.agentConnected === false || data.connected === false);
    agent.disconnect();
    await offline;
    browser.disconnect();
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
