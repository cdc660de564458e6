// The console's one connection to the hub: the official socket.io-client on the
// gateway's /socket.io/ (same origin). It keeps, per subscribed channel, the epoch and
// the offset of the last event seen, so after a drop the view resumes with no gap:
// first through Socket.IO's connection-state recovery (socket.recovered), else by
// re-subscribing with since: {epoch, offset}; only if the hub cannot do either does
// the view start over — and it says which happened.

import { io, type Socket } from 'socket.io-client';

export interface Position {
  epoch: string;
  offset: number;
}

export interface HubEvent {
  type: string;
  channel: string | null;
  offset: number | null;
  data: Record<string, unknown>;
}

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'resumed'; how: string }
  | { kind: 'restarted'; why: string }
  | { kind: 'disconnected'; why: string }
  | { kind: 'refused'; why: string };

interface Subscribed {
  channel?: string;
  epoch?: string;
  offset?: number;
  recovered?: boolean;
  code?: string;
  error?: string;
}

const ACK_TIMEOUT_MS = 10_000;

/** A request the hub refused: its error code (`forbidden`, `no_agent`, `too_large`, …). */
export class HubError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
  }
}

/** The longest wait a refusal's retryAfter is taken for (seconds). */
const MAX_RETRY_AFTER_S = 60;

export class Hub {
  readonly socket: Socket;
  private readonly positions = new Map<string, Position>();
  private readonly channels = new Set<string>();
  private everConnected = false;
  private stateListener: (state: ConnectionState) => void = () => {};
  private eventListener: (event: HubEvent) => void = () => {};
  private restartListener: (channel: string) => void = () => {};
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** The message of the hub's last `error` event (why it is about to close, say). */
  private lastError: string | undefined;

  constructor(token: string) {
    this.socket = io({ path: '/socket.io/', auth: { token }, autoConnect: false });
    this.socket.on('connect', () => void this.onConnect());
    this.socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') {
        // The hub ended the socket for good (its token expired or was refused, another
        // connection replaced it): Socket.IO does not reconnect after that, so neither
        // does the page claim to. The hub said why in an error just before.
        this.stateListener({ kind: 'refused', why: this.lastError ?? 'the hub closed the connection' });
      } else if (reason !== 'io client disconnect') {
        this.stateListener({ kind: 'disconnected', why: reason });
      }
    });
    this.socket.on('connect_error', (err: Error & { data?: { code?: string; error?: string; retryAfter?: number } }) => {
      const retryAfter = err.data?.retryAfter;
      if (!this.socket.active && typeof retryAfter === 'number' && retryAfter > 0) {
        // Told to come back later (the node is busy or shutting down, or this user holds
        // as many connections as it may): not the token's fault. Socket.IO does not retry
        // a refused CONNECT by itself; retry after the time given, with jitter.
        const seconds = Math.min(retryAfter, MAX_RETRY_AFTER_S) * (1 + Math.random());
        this.stateListener({ kind: 'disconnected', why: `${err.data?.error ?? err.message}; retrying in ${Math.ceil(seconds)} s` });
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.socket.connect(), seconds * 1000);
      } else if (err.data?.code) {
        this.stateListener({ kind: 'refused', why: err.data.error ?? err.message });
      } else {
        this.stateListener({ kind: 'disconnected', why: err.message });
      }
    });
    this.socket.onAny((type: string, ...args: unknown[]) => this.onEvent(type, args));
  }

  onState(listener: (state: ConnectionState) => void): this {
    this.stateListener = listener;
    return this;
  }

  onHubEvent(listener: (event: HubEvent) => void): this {
    this.eventListener = listener;
    return this;
  }

  /** Called when a channel had to start over (its history was lost): refetch its state. */
  onRestart(listener: (channel: string) => void): this {
    this.restartListener = listener;
    return this;
  }

  connect(): void {
    this.stateListener({ kind: 'connecting' });
    this.socket.connect();
  }

  close(): void {
    clearTimeout(this.retry);
    this.socket.disconnect();
  }

  /**
   * Subscribes to a channel, replaying from a position when one is given (the last
   * `backlog` events, say). Resolves with the hub's reply.
   */
  async subscribe(channel: string, since?: Position): Promise<Subscribed> {
    this.channels.add(channel);
    const request: Record<string, unknown> = { channel };
    if (since) {
      request.since = since;
      // A replay's events may be handled before this ack: they move the position on.
      this.positions.set(channel, { ...since });
    }
    const reply = (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('subscribe', request)) as Subscribed;
    if (reply.code) {
      throw new Error(`${reply.code}: ${reply.error ?? 'subscribe refused'}`);
    }
    if (reply.epoch !== undefined && reply.offset !== undefined && (!since || reply.recovered !== true)) {
      this.positions.set(channel, { epoch: reply.epoch, offset: reply.offset });
    }
    return reply;
  }

  /** Sends a request that the hub answers by ack ({code, error} on refusal). */
  async request<T>(type: string, data: unknown): Promise<T> {
    const reply = (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(type, data)) as T & {
      code?: string;
      error?: string;
    };
    if (reply && typeof reply === 'object' && reply.code) {
      throw new HubError(reply.code, reply.error ?? `${type} refused`);
    }
    return reply;
  }

  position(channel: string): Position | undefined {
    return this.positions.get(channel);
  }

  private async onConnect(): Promise<void> {
    this.lastError = undefined; // what the hub said of an earlier connection
    if (!this.everConnected) {
      this.everConnected = true;
      this.stateListener({ kind: 'connected' });
      return;
    }
    if (this.socket.recovered) {
      this.stateListener({ kind: 'resumed', how: 'every missed event was replayed (Socket.IO recovery)' });
      return;
    }
    // The gateway could not resume the socket (e.g. its record expired): resume each
    // channel from our own position instead.
    const lost: string[] = [];
    for (const channel of this.channels) {
      const since = this.positions.get(channel);
      try {
        const reply = await this.subscribe(channel, since);
        if (!since || reply.recovered !== true) lost.push(channel);
      } catch {
        lost.push(channel);
      }
    }
    if (lost.length === 0) {
      this.stateListener({ kind: 'resumed', how: 'each channel resumed from its last offset' });
    } else {
      this.stateListener({ kind: 'restarted', why: `history lost on ${lost.join(', ')}; state reloaded` });
      lost.forEach((channel) => this.restartListener(channel));
    }
  }

  private onEvent(type: string, args: unknown[]): void {
    const data = (args[0] && typeof args[0] === 'object' ? args[0] : {}) as Record<string, unknown>;
    let channel: string | null = null;
    let offset: number | null = null;
    const last = args[args.length - 1];
    if (args.length > 1 && typeof last === 'string') {
      const at = last.lastIndexOf('@');
      if (at > 0) {
        channel = last.slice(0, at);
        offset = Number(last.slice(at + 1));
        const position = this.positions.get(channel);
        if (position && Number.isFinite(offset)) {
          position.offset = offset;
        }
      }
    }
    if (type === 'error' && typeof data.error === 'string') {
      this.lastError = data.error;
    }
    if (type === 'subscribed' && data.recovered === false && typeof data.channel === 'string') {
      // The hub restarted a channel without history (a gap it could not fill).
      const ch = data.channel;
      if (typeof data.epoch === 'string' && typeof data.offset === 'number') {
        this.positions.set(ch, { epoch: data.epoch, offset: data.offset });
      }
      this.stateListener({ kind: 'restarted', why: `history lost on ${ch}; state reloaded` });
      this.restartListener(ch);
      return;
    }
    this.eventListener({ type, channel, offset, data });
  }
}
