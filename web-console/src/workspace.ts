// The workspace view: /console/workspaces/{id}.

import { api, claims } from './auth';
import { splitArgv } from './argv';
import { StatsChart } from './chart';
import { bytes, every, fill, h, section, setText, time } from './dom';
import { HubError, type Hub, type HubEvent } from './hub';
import { TerminalTabs } from './tabs';
import { Term } from './terminal';
import { FileUpload } from './upload';

/** Events replayed when the view opens (terminal scroll-back, recent state, stats). */
const BACKLOG = 500;
const MAX_FEED = 100;
const MAX_TASKS = 50;
const WATCHERS_EVERY_MS = 10_000;
/** The most one tab:input may carry (characters); a longer paste goes in pieces. */
const MAX_TAB_INPUT = 16_384;

interface Overview {
  workspaceId: string;
  channel: string;
  epoch: string;
  offset: number;
  agent: Record<string, string | null> | null;
  watchers: { userId: string; connections: number }[];
  /** Whether this user may run commands, drive tabs and upload here (absent from older gateways). */
  mayExec?: boolean;
  /** The largest file the console may upload, bytes (absent from older gateways). */
  uploadMaxSize?: number;
}

type Data = Record<string, unknown>;

export class WorkspaceView {
  private readonly channel: string;
  private readonly agent = h('span', { class: 'pill', id: 'agent-state' }, 'unknown');
  private readonly version = h('span', { id: 'agent-version' }, '–');
  private readonly lifecycle = h('span', { id: 'agent-lifecycle' }, '–');
  private readonly container = h('span', { id: 'container-status' }, '–');
  private readonly progress = h('progress', { max: '100', value: '0', 'aria-labelledby': 'startup-label' });
  private readonly progressText = h('span', { id: 'startup-text' }, '–');
  private readonly tailscale = h('span', { id: 'tailscale' }, 'not reported');
  private readonly tabs = new TerminalTabs({
    input: (tabId, text) => this.tabInput(tabId, text),
    stop: (tabId) => this.stopTab(tabId),
  });
  /** Per tab, the end of its chain of tab:input requests (sent one after another). */
  private readonly inputs = new Map<string, Promise<unknown>>();
  private readonly tabError = h('p', { class: 'error', role: 'alert', id: 'tab-error', hidden: true });
  private readonly watchOnly = h('p', { class: 'note-box', id: 'watch-only', role: 'status', hidden: true },
    'You may watch this workspace but not run commands in it (your token\'s exec claim): '
    + 'opening, typing into and closing tabs, the command box and uploading files are not available.');
  private readonly driveControls: (HTMLInputElement | HTMLButtonElement)[] = [];
  private readonly commandTerm = new Term('Command output');
  private readonly tasks = h('ul', { class: 'tasks', 'aria-live': 'polite', 'aria-label': 'Commands' });
  private readonly taskLabels = new Map<string, string>();
  private readonly git = h('div', { class: 'git' }, h('p', { class: 'muted' }, 'No git status reported yet.'));
  private readonly chart = new StatsChart();
  private readonly statsText = h('p', { class: 'stats-text', 'aria-live': 'off' }, 'No stats reported yet.');
  private readonly watchers = h('ul', { class: 'people' });
  private readonly feed = h('ul', { class: 'feed', 'aria-live': 'polite' });
  private readonly error = h('p', { class: 'error', role: 'alert', hidden: true });
  private mayExec: boolean | null = null;
  private shellNote: HTMLElement | null = null;
  private readonly files: FileUpload;

  constructor(private readonly hub: Hub, private readonly workspaceId: string) {
    this.channel = `workspace:${workspaceId}`;
    this.files = new FileUpload(workspaceId, () => this.showRights(false));
  }

  render(main: HTMLElement): void {
    const commandInput = h('input', {
      name: 'command', id: 'command', type: 'text', autocomplete: 'off', spellcheck: 'false',
      placeholder: 'e.g. git status', required: true,
    });
    const form = h('form', { class: 'command', 'aria-label': 'Run a command in the workspace' },
      h('label', { for: 'command' }, 'Command'), commandInput, h('button', { type: 'submit' }, 'Run'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.run(commandInput.value).then((ok) => ok && (commandInput.value = ''));
    });
    const shellInput = h('input', {
      name: 'tab-command', id: 'tab-command', type: 'text', autocomplete: 'off', spellcheck: 'false',
      value: 'sh', required: true, 'aria-describedby': 'tab-note',
    });
    const shellButton = h('button', { type: 'submit' }, 'New shell');
    const shellForm = h('form', { class: 'command newtab', 'aria-label': 'Open a shell in the workspace' },
      h('label', { for: 'tab-command' }, 'Program'), shellInput, shellButton);
    shellForm.addEventListener('submit', (e) => {
      e.preventDefault();
      shellButton.disabled = true;
      void this.openTab(shellInput.value).finally(() => (shellButton.disabled = this.mayExec === false));
    });
    const shellNote = h('p', { class: 'muted small', id: 'tab-note' },
      'A tab is a program on pipes, not a terminal: no prompt, no echo of its own, no full-screen programs. '
      + 'Click its terminal (or Tab to it) and type: the console echoes what you type, Backspace and Ctrl-U edit the line, '
      + 'Enter sends it, Ctrl-C drops it (it does not interrupt the program; "Close tab" stops it).');
    this.shellNote = shellNote;
    this.driveControls.push(shellInput, shellButton, commandInput,
      form.querySelector('button') as HTMLButtonElement);
    fill(main,
      h('h1', {}, 'Workspace ', h('code', {}, this.workspaceId)),
      this.error,
      this.watchOnly,
      h('div', { class: 'grid' },
        section('Status', 'status', h('dl', { class: 'facts' },
          h('dt', {}, 'Agent'), h('dd', {}, this.agent, ' ', h('span', { class: 'muted' }, 'version '), this.version),
          h('dt', {}, 'Lifecycle'), h('dd', {}, this.lifecycle),
          h('dt', {}, 'Container'), h('dd', {}, this.container),
          h('dt', { id: 'startup-label' }, 'Start-up'), h('dd', {}, this.progress, ' ', this.progressText),
          h('dt', {}, 'Tailscale'), h('dd', {}, this.tailscale))),
        section('CPU and memory', 'stats', this.chart.element,
          h('p', { class: 'legend' }, h('span', { class: 'key cpu' }, 'CPU'), ' ', h('span', { class: 'key memory' }, 'memory'),
            h('span', { class: 'muted' }, ' — last 120 samples, 0–100 %')), this.statsText),
        section('Terminals', 'terminals', shellForm, shellNote, this.tabError, this.tabs.element),
        section('Commands', 'commands', form, this.commandTerm.element, this.tasks),
        section('Git', 'git', this.git),
        section('Watching', 'watching', h('p', { class: 'muted' }, 'People with this workspace open on this gateway:'), this.watchers),
        section('Notifications and chat', 'feed', this.feed,
          h('p', { class: 'muted' }, 'Chat is posted by backends (POST /api/chat-messages); the console shows it.')),
        section('Files', 'files', h('p', { class: 'muted' }, 'Upload a file into the workspace\'s container.'),
          this.files.element)));
    this.commandTerm.attach();
    this.hub.onHubEvent((event) => this.onEvent(event));
    this.hub.onRestart((channel) => {
      if (channel === this.channel) void this.load(true);
    });
    void this.load(false);
    every(this.watchers, WATCHERS_EVERY_MS, () => void this.refreshWatchers());
    // Presence: away while this tab is hidden.
    document.addEventListener('visibilitychange', () => {
      if (!this.watchers.isConnected) return; // another view replaced this one
      this.hub.request('user_presence', { status: document.hidden ? 'away' : 'online' }).catch(() => {});
    });
  }

  /** Reads the channel's position and the agent, then subscribes with the backlog. */
  private async load(reset: boolean): Promise<void> {
    try {
      const overview = await api<Overview>(`/api/console/workspaces/${encodeURIComponent(this.workspaceId)}`);
      if (reset) this.reset();
      this.showRights(typeof overview.mayExec === 'boolean' ? overview.mayExec : null);
      this.files.setMaxSize(overview.uploadMaxSize);
      this.showAgent(overview.agent);
      this.showWatchers(overview.watchers);
      const since = { epoch: overview.epoch, offset: Math.max(0, overview.offset - BACKLOG) };
      const reply = await this.hub.subscribe(this.channel, since);
      void this.refreshWatchers();
      if (reply.recovered === false) {
        this.note('info', 'Earlier events are no longer kept; showing live events from now.');
      }
    } catch (e) {
      this.error.hidden = false;
      this.error.textContent = `Cannot open workspace ${this.workspaceId}: ${(e as Error).message}`;
    }
  }

  private reset(): void {
    this.tabs.reset();
    this.inputs.clear();
    this.commandTerm.clear();
    this.chart.clear();
  }

  private async refreshWatchers(): Promise<void> {
    try {
      const overview = await api<Overview>(`/api/console/workspaces/${encodeURIComponent(this.workspaceId)}`);
      this.showWatchers(overview.watchers);
    } catch {
      // shown again at the next refresh
    }
  }

  private async run(line: string): Promise<boolean> {
    let argv: string[];
    try {
      argv = splitArgv(line);
    } catch (e) {
      this.taskLine('', line, `not run: ${(e as Error).message}`, 'failed');
      return false;
    }
    if (argv.length === 0) return false;
    // The hub names the task; ours is only an idempotency key until its ack says which.
    const key = crypto.randomUUID();
    this.taskLabels.set(key, line);
    this.taskLine(key, line, 'sent', 'queued');
    this.commandTerm.writeln(`\x1b[1;36m$ ${line}\x1b[0m`);
    try {
      const reply = await this.hub.request<{ taskId?: string }>('command', {
        workspaceId: this.workspaceId,
        command: argv[0],
        args: argv.slice(1),
        taskId: key,
      });
      if (reply && typeof reply.taskId === 'string' && reply.taskId !== key) {
        this.rekeyTask(key, reply.taskId, line);
      }
      return true;
    } catch (e) {
      this.taskLine(key, line, `not run: ${(e as Error).message}`, 'failed');
      this.commandTerm.writeln(`\x1b[31m${(e as Error).message}\x1b[0m`);
      return false;
    }
  }

  /**
   * Offers the controls that drive the workspace only to a user who may (null: not known,
   * e.g. an older gateway: offered, and the hub's refusal is shown if it comes).
   */
  private showRights(mayExec: boolean | null): void {
    this.mayExec = mayExec;
    this.watchOnly.hidden = mayExec !== false;
    if (this.shellNote) this.shellNote.hidden = mayExec === false;
    this.driveControls.forEach((control) => (control.disabled = mayExec === false));
    this.tabs.setDrivable(mayExec);
    this.files.setAllowed(mayExec);
  }

  /** Opens a tab running what was typed (split like the command box: argv, no shell). */
  private async openTab(line: string): Promise<void> {
    this.tabError.hidden = true;
    let argv: string[];
    try {
      argv = splitArgv(line);
    } catch (e) {
      this.tabProblem(`Not opened: ${(e as Error).message}`);
      return;
    }
    if (argv.length === 0) return;
    if (!this.tabs.hasRoom()) {
      this.tabProblem('Not opened: the page shows at most 32 tabs; reload it to start over.');
      return;
    }
    const name = (argv[0].split('/').pop() ?? '').replace(/[^A-Za-z0-9._@-]/g, '').slice(0, 32) || 'tab';
    const tabId = `${name}-${crypto.randomUUID().slice(0, 8)}`;
    try {
      const reply = await this.hub.request<{ tabId?: string }>('tab:start', {
        workspaceId: this.workspaceId, tabId, command: argv[0], args: argv.slice(1),
      });
      this.tabs.opened(typeof reply?.tabId === 'string' ? reply.tabId : tabId, line);
    } catch (e) {
      this.tabProblem(`Could not open ${line}: ${explain(e)}`, e);
    }
  }

  /**
   * Sends what was typed into a tab: after what was typed before (each request waits for
   * the previous one's ack), in pieces of at most MAX_TAB_INPUT characters. When a piece
   * is refused, the rest of that paste is not sent (it would arrive without its start).
   */
  private tabInput(tabId: string, text: string): void {
    const pieces = split(text, MAX_TAB_INPUT);
    const previous = this.inputs.get(tabId) ?? Promise.resolve();
    const done = previous.then(async () => {
      for (const [i, piece] of pieces.entries()) {
        try {
          await this.hub.request('tab:input', { workspaceId: this.workspaceId, tabId, data: piece });
        } catch (e) {
          const rest = pieces.length - i;
          const what = rest > 1 ? `${rest} pieces of what you typed` : 'what you typed';
          this.tabs.note(tabId, `not sent: ${explain(e)}`, true);
          this.tabProblem(`Tab ${tabId}: ${what} was not sent: ${explain(e)}`, e);
          return;
        }
      }
    });
    this.inputs.set(tabId, done);
  }

  private async stopTab(tabId: string): Promise<boolean> {
    this.tabError.hidden = true;
    try {
      await this.hub.request('tab:stop', { workspaceId: this.workspaceId, tabId });
      return true;
    } catch (e) {
      this.tabProblem(`Could not close tab ${tabId}: ${explain(e)}`, e);
      return false;
    }
  }

  /** Shows a failure of the terminals; a `forbidden` also turns their controls off. */
  private tabProblem(text: string, cause?: unknown): void {
    setText(this.tabError, text);
    this.tabError.hidden = false;
    if (cause instanceof HubError && cause.code === 'forbidden') this.showRights(false);
  }

  private onEvent(event: HubEvent): void {
    const d = event.data;
    if (event.channel === this.channel) {
      this.onWorkspaceEvent(event.type, d);
    }
    switch (event.type) {
      case 'notification':
        this.note(str(d.level) || 'info', str(d.message));
        break;
      case 'chat_message':
        this.note('chat', `${str(d.sender)}: ${str(d.content)}`, str(d.timestamp));
        break;
      case 'user_presence':
        this.presence(str(d.userId), str(d.status));
        break;
      default:
    }
  }

  private onWorkspaceEvent(type: string, d: Data): void {
    switch (type) {
      case 'workspace:state':
        this.showAgent({ status: d.agentConnected ? 'connected' : str(d.status) || 'disconnected',
          version: str(d.agentVersion) || null, lifecycle: str(d.lifecycle) || null });
        break;
      case 'container:status':
        setText(this.container, str(d.status) || str(d.state) || JSON.stringify(d));
        break;
      case 'startup:progress': {
        const percent = Number(d.percent ?? 0);
        this.progress.value = Number.isFinite(percent) ? percent : 0;
        setText(this.progressText, `${percent}% ${str(d.step)}${d.message ? ` — ${str(d.message)}` : ''}`);
        break;
      }
      case 'tab:started':
        this.tabs.started(str(d.tabId), str(d.command));
        break;
      case 'tab:output':
        this.tabs.output(str(d.tabId), str(d.data), str(d.stream));
        break;
      case 'tab:stopped':
        this.tabs.stopped(str(d.tabId), num(d.exitCode));
        break;
      case 'task:output':
        this.taskOutput(str(d.taskId), str(d.output), d.isError === true);
        break;
      case 'task:status':
        this.taskStatus(str(d.taskId), str(d.status), num(d.exitCode), str(d.error));
        break;
      case 'git:status':
        this.showGit(d);
        break;
      case 'stats':
        this.showStats(d);
        break;
      case 'tailscale:status':
        setText(this.tailscale, `${str(d.hostname) || '?'} ${str(d.ip) || ''} (${d.online ? 'online' : 'offline'})`);
        break;
      default:
    }
  }

  private showAgent(agent: Record<string, string | null> | null): void {
    const online = agent?.status === 'connected';
    this.agent.textContent = agent ? (online ? 'online' : 'offline') : 'never connected';
    this.agent.className = `pill ${online ? 'ok' : 'off'}`;
    if (agent?.version) setText(this.version, agent.version);
    if (agent?.lifecycle) setText(this.lifecycle, agent.lifecycle);
  }

  private showWatchers(watchers: { userId: string; connections: number }[]): void {
    const me = claims()?.sub;
    fill(this.watchers, ...watchers.map((w) => h('li', { 'data-user': w.userId },
      w.userId, w.userId === me ? ' (you)' : '', w.connections > 1 ? ` ×${w.connections}` : '',
      ' ', h('span', { class: 'presence muted' }, 'online'))));
  }

  private presence(userId: string, status: string): void {
    for (const li of this.watchers.querySelectorAll<HTMLElement>('li[data-user]')) {
      if (li.dataset.user === userId) {
        const badge = li.querySelector('.presence');
        if (badge) setText(badge, status);
      }
    }
  }

  /** The hub's id for a task sent under our key; its events may have come first. */
  private rekeyTask(key: string, taskId: string, line: string): void {
    this.taskLabels.delete(key);
    this.taskLabels.set(taskId, line);
    const sent = this.tasks.querySelector<HTMLElement>(`li[data-task="${CSS.escape(key)}"]`);
    const early = this.tasks.querySelector<HTMLElement>(`li[data-task="${CSS.escape(taskId)}"]`);
    if (early) {
      sent?.remove();
      const detail = early.querySelector('span.status')?.textContent ?? '';
      this.taskLine(taskId, line, detail, early.dataset.status ?? 'queued');
    } else if (sent) {
      sent.dataset.task = taskId;
    }
  }

  private taskOutput(taskId: string, output: string, isError: boolean): void {
    if (!this.taskLabels.has(taskId)) {
      this.taskLabels.set(taskId, `task ${taskId}`);
      this.commandTerm.writeln(`\x1b[2m── task ${taskId} (started elsewhere) ──\x1b[0m`);
    }
    this.commandTerm.write(isError ? `\x1b[31m${output}\x1b[0m` : output);
  }

  private taskStatus(taskId: string, status: string, exitCode: number | null, error: string): void {
    const label = this.taskLabels.get(taskId) ?? `task ${taskId}`;
    const ended = status === 'completed' || status === 'failed' || status === 'cancelled';
    const detail = ended ? `${status}, exit code ${exitCode ?? '–'}${error ? ` (${error})` : ''}` : status;
    this.taskLine(taskId, label, detail, status);
    if (ended) {
      const colour = status === 'completed' ? 32 : 31;
      this.commandTerm.writeln(`\x1b[${colour}m[${status}, exit code ${exitCode ?? '–'}]\x1b[0m`);
    }
  }

  private taskLine(taskId: string, label: string, detail: string, status: string): void {
    let li = taskId ? this.tasks.querySelector<HTMLElement>(`li[data-task="${CSS.escape(taskId)}"]`) : null;
    if (!li) {
      li = h('li', { 'data-task': taskId });
      this.tasks.prepend(li);
      while (this.tasks.children.length > MAX_TASKS) this.tasks.lastElementChild?.remove();
    }
    li.dataset.status = status;
    fill(li, h('code', {}, label), ' — ', h('span', { class: `status ${status}` }, detail));
  }

  private showGit(d: Data): void {
    const files = Array.isArray(d.files) ? (d.files as Data[]) : [];
    const ahead = num(d.ahead) ?? 0;
    const behind = num(d.behind) ?? 0;
    fill(this.git,
      h('p', {}, 'Branch ', h('code', {}, str(d.branch) || '?'),
        d.upstream ? ` → ${str(d.upstream)}` : '', ` · ${ahead} ahead, ${behind} behind`),
      files.length === 0 ? h('p', { class: 'muted' }, 'Working tree clean.')
        : h('ul', { class: 'files' }, ...files.slice(0, 200).map((f) =>
          h('li', {}, h('span', { class: 'xy' }, str(f.xy) || '  '), ' ', str(f.path), f.origPath ? ` ← ${str(f.origPath)}` : ''))),
      d.truncated ? h('p', { class: 'muted' }, `${num(d.fileCount)} files in all`) : null);
  }

  private showStats(d: Data): void {
    const cpu = Number(d.cpu ?? 0);
    const memory = (d.memory ?? {}) as Data;
    const disk = (d.disk ?? {}) as Data;
    const memPercent = Number(memory.percent ?? 0);
    this.chart.add(cpu, memPercent);
    this.statsText.textContent = `CPU ${cpu.toFixed(1)} % · memory ${memPercent.toFixed(1)} % `
      + `(${bytes(num(memory.usedBytes))} of ${bytes(num(memory.totalBytes))})`
      + (disk.percent !== undefined ? ` · disk ${Number(disk.percent).toFixed(1)} %` : '');
  }

  private note(level: string, text: string, at?: string): void {
    this.feed.prepend(h('li', { class: `note ${level}` }, h('span', { class: 'muted' }, time(at) || new Date().toLocaleTimeString()), ' ',
      h('strong', {}, level), ' ', text));
    while (this.feed.children.length > MAX_FEED) this.feed.lastElementChild?.remove();
  }
}

/** A refusal in words, with the hub's code and message. */
function explain(e: unknown): string {
  const message = (e as Error).message;
  if (!(e instanceof HubError)) return message;
  switch (e.code) {
    case 'forbidden':
      return `you may watch this workspace but not run commands in it (${message})`;
    case 'no_agent':
      return `no agent is connected for this workspace, nothing was sent (${message})`;
    case 'too_large':
      return `too large for the hub (${message})`;
    default:
      return message;
  }
}

/** Cuts text into pieces of at most `max` UTF-16 units, never inside a surrogate pair. */
function split(text: string, max: number): string[] {
  const pieces: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + max, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    pieces.push(text.slice(at, end));
    at = end;
  }
  return pieces;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
