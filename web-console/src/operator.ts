// The operator view: /console/operator (admin token). Everything comes from the
// gateway's /api/operator/* (the gateway asks the other services with its own service
// token), refreshed every few seconds.

import { api, ApiError, token } from './auth';
import { bytes, every, fill, h, section, setText, time } from './dom';

const REFRESH_MS = 3000;

type Row = Record<string, unknown>;

interface Part<T> {
  error?: string;
  value?: T;
}

interface Overview {
  generatedAt: string;
  gateway: Row;
  channels: { channel: string; subscribers: number }[];
  closes: { meter: string; reason: string; count: number }[];
  agents: Part<Row[]>;
  agentNodes: { nodeId: string; agents: number; connected: number }[];
  workspaces: { workspaceId: string; status: string; version: string | null; lifecycle: string | null; watchers: number; nodeId: string | null }[];
  logLag: Part<{ channelsProbed: number; maxBehind: number; behindChannels: { channel: string; behind: number }[] }>;
  tailscale: Part<Row[]>;
  shim: Part<{ latest?: string; releases: Row[] }>;
}

export class OperatorView {
  private readonly updated = h('p', { class: 'muted', 'aria-live': 'off' }, 'loading…');
  private readonly error = h('p', { class: 'error', role: 'alert', hidden: true });
  private readonly nodes = h('div');
  private readonly workspaces = h('div');
  private readonly channels = h('div');
  private readonly log = h('div');
  private readonly closes = h('div');
  private readonly devices = h('div');
  private readonly releases = h('div');
  private readonly uploadResult = h('p', { role: 'status' });

  render(main: HTMLElement): void {
    const file = h('input', { type: 'file', name: 'file', id: 'shim-file', required: true });
    const version = h('input', { type: 'text', name: 'version', id: 'shim-version', placeholder: 'e.g. 1.2.0', required: true });
    const form = h('form', { class: 'upload', 'aria-label': 'Upload a CDP shim release' },
      h('label', { for: 'shim-version' }, 'Version'), version,
      h('label', { for: 'shim-file' }, 'Executable'), file,
      h('button', { type: 'submit' }, 'Upload'), this.uploadResult);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.upload(form);
    });
    fill(main,
      h('h1', {}, 'Operator'), this.updated, this.error,
      h('div', { class: 'grid wide' },
        section('Nodes', 'nodes', this.nodes),
        section('Workspaces', 'workspaces', this.workspaces),
        section('Channels on this gateway', 'channels', this.channels),
        section('Durable log', 'log', this.log),
        section('Closes', 'closes', this.closes),
        section('Tailscale devices', 'devices', this.devices),
        section('CDP shim releases', 'releases', this.releases, form)));
    void this.refresh();
    every(this.nodes, REFRESH_MS, () => void this.refresh());
  }

  private async refresh(): Promise<void> {
    try {
      const o = await api<Overview>('/api/operator/overview');
      this.error.hidden = true;
      this.show(o);
      this.updated.textContent = `Updated ${time(o.generatedAt)} · refreshes every ${REFRESH_MS / 1000} s`;
    } catch (e) {
      this.error.hidden = false;
      this.error.textContent = e instanceof ApiError && e.status === 403
        ? 'The operator view needs an admin token.' : `Cannot load: ${(e as Error).message}`;
    }
  }

  private show(o: Overview): void {
    const g = o.gateway;
    fill(this.nodes, table(['node', 'kind', 'connections', 'load'], [
      [str(g.node), 'gateway (this one)', `${g.clients} (${g.authenticatedClients} signed in)`,
        `${g.subscriptions} subscriptions, ${g.channels} channels, ${g.messagesIn} in / ${g.messagesOut} out`],
      ...o.agentNodes.map((n) => [n.nodeId, 'agent-service', `${n.connected} agents connected`, `${n.agents} agents known`]),
    ]));
    fill(this.workspaces, o.agents.error ? errorLine('agent-service', o.agents.error) : null,
      table(['workspace', 'agent', 'version', 'lifecycle', 'watchers here'], o.workspaces.map((w) => [
        link(w.workspaceId), pill(w.status), w.version ?? '–', w.lifecycle ?? '–', String(w.watchers)])));
    fill(this.channels, table(['channel', 'subscribers'], o.channels.map((c) => [c.channel, String(c.subscribers)])));
    const lag = o.logLag;
    fill(this.log, lag.error ? errorLine('broadcast-service', lag.error) : h('p', {},
      lag.value && lag.value.maxBehind === 0
        ? `The log writer is caught up (${lag.value.channelsProbed} workspace channels probed).`
        : `The log writer is behind by up to ${lag.value?.maxBehind} events (${lag.value?.channelsProbed} channels probed).`),
    table(['channel', 'events not yet in the log'], (lag.value?.behindChannels ?? []).map((c) => [c.channel, String(c.behind)])));
    fill(this.closes, h('p', { class: 'muted' }, 'Since this gateway started, by reason.'),
      table(['meter', 'reason', 'count'], o.closes.map((c) => [c.meter, c.reason, String(c.count)])));
    fill(this.devices, o.tailscale.error ? errorLine('Tailscale', o.tailscale.error)
      : table(['host', 'addresses', 'tags', 'last seen'], (o.tailscale.value ?? []).map((d) => [
        str(d.hostname ?? d.name), list(d.addresses), list(d.tags), time(str(d.lastSeen))])));
    fill(this.releases, o.shim.error ? errorLine('integration-service', o.shim.error)
      : table(['version', 'size', 'sha256', 'uploaded'], [...(o.shim.value?.releases ?? [])].reverse().map((r) => [
        `${str(r.version)}${r.version === o.shim.value?.latest ? ' (latest)' : ''}`,
        bytes(typeof r.size === 'number' ? r.size : null), str(r.sha256).slice(0, 16), time(str(r.createdAt ?? r.uploadedAt))])));
  }

  private async upload(form: HTMLFormElement): Promise<void> {
    const body = new FormData(form);
    this.uploadResult.textContent = 'uploading…';
    try {
      const response = await fetch(`/api/operator/cdp-shim/releases?version=${encodeURIComponent(String(body.get('version')))}`, {
        method: 'POST', body, headers: { Authorization: `Bearer ${token() ?? ''}` },
      });
      const reply = (await response.json().catch(() => ({}))) as Row;
      setText(this.uploadResult, response.ok ? `stored ${str(reply.version)}` : `refused: ${str(reply.error) || response.status}`);
      void this.refresh();
    } catch (e) {
      this.uploadResult.textContent = `failed: ${(e as Error).message}`;
    }
  }
}

function table(headers: string[], rows: (string | Node)[][]): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, 'none');
  return h('div', { class: 'scroll' }, h('table', {},
    h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c)))))));
}

function link(workspaceId: string): HTMLElement {
  return h('a', { href: `/console/workspaces/${encodeURIComponent(workspaceId)}` }, workspaceId);
}

function pill(status: string): HTMLElement {
  return h('span', { class: `pill ${status === 'connected' ? 'ok' : 'off'}` }, status === 'connected' ? 'online' : status);
}

function errorLine(what: string, error: string): HTMLElement {
  return h('p', { class: 'muted' }, `${what}: ${error}`);
}

function list(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(', ') : str(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}
