'use strict';
// The incumbent, for bench/ only: the stack of seed 000 that the hub replaces — Socket.IO 4.8
// with @socket.io/redis-adapter — reduced to what the benchmark scenarios drive:
//   /        browsers: JWT in the CONNECT payload (auth.token), `subscribe` {channel} joins the
//            room `workspace:<id>` (only the token's workspaces) and is acked {channel}
//   /agent   agents: JWT (role agent, claim workspace), `register` {workspaceId} acked
//            {sessionId, heartbeatIntervalMs}, `heartbeat`, `tab:output` relayed to the
//            workspace room on `/` as `tab:output` {workspaceId, tabId, data}
//   POST /api/publish  {channel, type, data} with a service token: io.to(channel).emit(type, data)
// Tokens are the hub's HS256 tokens (HUB_AUTH_JWT_SECRET), so the same generator drives both.
// --stamp-offsets (the storm scenario only): a publish is emitted with one more argument,
// "<channel>@<n>", n counting that channel's publishes through this process, where the hub's
// Socket.IO dialect puts its offset, so that the generator can count what a client missed.
// Socket.IO 4.8 has no per-channel positions; this is the harness's measure, not a feature.
// Redis pub/sub channels are not scoped by database index, so the adapter's channel prefix
// (INCUMBENT_ADAPTER_KEY, default "bench-incumbent") keeps it apart from anything else.
//
//   node server.js --port=13000    (env: HUB_AUTH_JWT_SECRET, INCUMBENT_REDIS_URL)

const http = require('node:http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');
const jwt = require('jsonwebtoken');

const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};
const port = Number(arg('port', process.env.INCUMBENT_PORT || '13000'));
// the accept queue's length: Node's default (511) unless told, as seed 000 listens
const backlog = Number(arg('backlog', '511'));
const redisUrl = process.env.INCUMBENT_REDIS_URL || 'redis://127.0.0.1:6379';
const adapterKey = process.env.INCUMBENT_ADAPTER_KEY || 'bench-incumbent';
const secret = process.env.HUB_AUTH_JWT_SECRET;
if (!secret || secret.length < 32) {
  console.error('HUB_AUTH_JWT_SECRET (>= 32 characters) is required');
  process.exit(2);
}
const MAX_BODY = 64 * 1024;
const stampOffsets = process.argv.includes('--stamp-offsets');
const MAX_STAMPED_CHANNELS = 100000;
const published = new Map(); // channel -> publishes so far (with --stamp-offsets)

function verify(token) {
  if (typeof token !== 'string' || token.length > 8192) return null;
  try {
    return jwt.verify(token, secret, { algorithms: ['HS256'] });
  } catch {
    return null;
  }
}

const roles = (claims) => (Array.isArray(claims.roles) ? claims.roles : []);

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"UP"}');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/api/publish') {
    res.writeHead(404).end();
    return;
  }
  const auth = req.headers.authorization || '';
  const claims = verify(auth.startsWith('Bearer ') ? auth.slice(7) : '');
  if (!claims || !roles(claims).includes('service')) {
    res.writeHead(401).end();
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > MAX_BODY) {
      res.writeHead(413).end();
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (res.writableEnded) return;
    let event;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end('{"error":"invalid JSON"}');
      return;
    }
    if (!event || typeof event.channel !== 'string' || typeof event.type !== 'string') {
      res.writeHead(400).end('{"error":"channel and type are required"}');
      return;
    }
    if (stampOffsets) {
      const n = (published.get(event.channel) || 0) + 1;
      if (n === 1 && published.size >= MAX_STAMPED_CHANNELS) {
        res.writeHead(503).end('{"error":"too many channels"}');
        return;
      }
      published.set(event.channel, n);
      io.to(event.channel).emit(event.type, event.data, `${event.channel}@${n}`);
    } else {
      io.to(event.channel).emit(event.type, event.data);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});

const io = new Server(server, {
  path: '/socket.io',
  cors: { origin: '*', methods: ['GET', 'POST'] },
  transports: ['websocket', 'polling'],
});

// browsers
io.use((socket, next) => {
  const claims = verify(socket.handshake.auth && socket.handshake.auth.token);
  if (!claims) {
    next(new Error('Not authorized'));
    return;
  }
  socket.data.sub = claims.sub;
  socket.data.workspaces = Array.isArray(claims.workspaces) ? claims.workspaces : [];
  next();
});
io.on('connection', (socket) => {
  socket.on('subscribe', (data, ack) => {
    const channel = data && typeof data.channel === 'string' ? data.channel : '';
    const allowed = (channel.startsWith('workspace:') && socket.data.workspaces.includes(channel.slice(10)))
      || channel === `user:${socket.data.sub}`;
    const reply = allowed ? { channel } : { code: 'forbidden', error: `not allowed: ${channel}` };
    if (allowed) socket.join(channel);
    if (typeof ack === 'function') ack(reply);
    else socket.emit(allowed ? 'subscribed' : 'error', reply);
  });
  socket.on('unsubscribe', (data, ack) => {
    if (data && typeof data.channel === 'string') socket.leave(data.channel);
    if (typeof ack === 'function') ack({ channel: data && data.channel });
  });
});

// agents
const agents = io.of('/agent');
agents.use((socket, next) => {
  const claims = verify(socket.handshake.auth && socket.handshake.auth.token);
  if (!claims || !roles(claims).includes('agent') || typeof claims.workspace !== 'string') {
    next(new Error('Not authorized'));
    return;
  }
  socket.data.workspace = claims.workspace;
  next();
});
agents.on('connection', (socket) => {
  const room = `workspace:${socket.data.workspace}`;
  socket.on('register', (data, ack) => {
    if (!data || data.workspaceId !== socket.data.workspace) {
      if (typeof ack === 'function') ack({ code: 'forbidden', error: 'workspace mismatch' });
      return;
    }
    io.to(room).emit('workspace:state', { workspaceId: socket.data.workspace, agentConnected: true, agentVersion: data.version });
    const reply = { sessionId: socket.id, heartbeatIntervalMs: 10000 };
    if (typeof ack === 'function') ack(reply);
    else socket.emit('registered', reply);
  });
  socket.on('heartbeat', (data, ack) => {
    if (typeof ack === 'function') ack({ ok: true });
  });
  for (const type of ['tab:output', 'tab:started', 'tab:stopped', 'git:status', 'stats']) {
    socket.on(type, (data) => {
      if (data && typeof data === 'object') {
        io.to(room).emit(type, { workspaceId: socket.data.workspace, ...data });
      }
    });
  }
  socket.on('disconnect', () => {
    io.to(room).emit('workspace:state', { workspaceId: socket.data.workspace, agentConnected: false });
  });
});

async function main() {
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  pub.on('error', (e) => console.error('redis:', e.message));
  sub.on('error', (e) => console.error('redis:', e.message));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub, { key: adapterKey }));
  server.listen(port, '127.0.0.1', backlog, () => console.log(`incumbent (socket.io 4.8 + redis adapter) on 127.0.0.1:${port}`));
  const stop = () => {
    io.close();
    Promise.allSettled([pub.quit(), sub.quit()]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
