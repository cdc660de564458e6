// Live terminal tabs (tab:started / tab:output / tab:stopped), as an ARIA tab list
// that works with the keyboard (arrows, Home, End). A running tab takes typed lines and
// has a Close control, unless the user may only watch the workspace.

import { h, setText } from './dom';
import { Term } from './terminal';

const MAX_TABS = 32;

/** What the tabs ask of the hub; failures are the driver's to show. */
export interface TabDriver {
  /** Text typed into a tab (whole lines, "\n" included), to go to its stdin in order. */
  input(tabId: string, text: string): void;
  /** Stops a tab; resolves false when the hub refused. */
  stop(tabId: string): Promise<boolean>;
}

interface Tab {
  id: string;
  button: HTMLButtonElement;
  panel: HTMLElement;
  term: Term;
  state: HTMLElement;
  close: HTMLButtonElement;
  running: boolean;
}

export class TerminalTabs {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly panels: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly tabs = new Map<string, Tab>();
  private selected: string | null = null;
  /** Whether the user may drive the workspace's tabs; null while unknown (then the hub says). */
  private drivable: boolean | null = null;

  constructor(private readonly driver: TabDriver) {
    this.list = h('div', { role: 'tablist', 'aria-label': 'Terminal tabs', class: 'tablist' });
    this.panels = h('div', { class: 'tabpanels' });
    this.empty = h('p', { class: 'muted' }, 'No terminal tabs yet: they appear when the agent or someone starts one.');
    this.element = h('div', {}, this.list, this.empty, this.panels);
    this.list.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** Whether the user may type into and close tabs (null: not known, offered anyway). */
  setDrivable(drivable: boolean | null): void {
    this.drivable = drivable;
    this.tabs.forEach((tab) => this.controls(tab));
  }

  /** Whether another tab can be shown. */
  hasRoom(): boolean {
    return this.tabs.size < MAX_TABS;
  }

  /** A tab this user just opened: shown, selected, and the keyboard in its terminal. */
  opened(tabId: string, command: string): void {
    const tab = this.tab(tabId);
    if (!tab) return;
    if (!tab.state.textContent) setText(tab.state, `running ${command}`);
    this.select(tabId);
    tab.term.focus();
  }

  started(tabId: string, command?: string): void {
    const tab = this.tab(tabId);
    if (!tab) return;
    setText(tab.state, command ? `running ${command}` : 'running');
    tab.button.classList.remove('stopped');
    tab.running = true;
    this.controls(tab);
  }

  /** A note of the console's own in a tab's terminal (dim, or red for a failure). */
  note(tabId: string, text: string, failed = false): void {
    this.tabs.get(tabId)?.term.write(`\r\n\x1b[${failed ? 31 : 2}m[${text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')}]\x1b[0m\r\n`);
  }

  output(tabId: string, text: string, stream?: string): void {
    const tab = this.tab(tabId);
    if (!tab) return;
    tab.term.write(stream === 'stderr' ? `\x1b[31m${text}\x1b[0m` : text);
  }

  stopped(tabId: string, exitCode?: number | null): void {
    const tab = this.tab(tabId);
    if (!tab) return;
    const code = exitCode ?? '?';
    tab.state.textContent = `stopped (exit ${code})`;
    tab.button.classList.add('stopped');
    tab.running = false;
    this.controls(tab);
    tab.term.write(`\r\n\x1b[2m[tab stopped, exit ${code}]\x1b[0m\r\n`);
  }

  /** Forgets every tab (the channel's history was lost; it is reloaded). */
  reset(): void {
    this.tabs.clear();
    this.list.replaceChildren();
    this.panels.replaceChildren();
    this.selected = null;
    this.empty.hidden = false;
  }

  private tab(tabId: string): Tab | null {
    const known = this.tabs.get(tabId);
    if (known) return known;
    if (this.tabs.size >= MAX_TABS) return null;
    const key = `tab-${this.tabs.size}`;
    const term = new Term(`Terminal tab ${tabId}`);
    const state = h('span', { class: 'tabstate muted', 'aria-live': 'polite' });
    const close = h('button', { type: 'button', class: 'close', 'aria-label': `Close tab ${tabId}` }, 'Close tab');
    close.hidden = true;
    close.addEventListener('click', () => {
      close.disabled = true;
      state.textContent = 'stopping…';
      void this.driver.stop(tabId).then((ok) => {
        close.disabled = false;
        if (!ok && state.textContent === 'stopping…') state.textContent = 'running';
      });
    });
    const button = h('button', {
      type: 'button', role: 'tab', id: `${key}-button`, 'aria-controls': `${key}-panel`,
      'aria-selected': 'false', tabindex: '-1', 'data-tab': tabId,
    }, tabId);
    const panel = h('div', {
      role: 'tabpanel', id: `${key}-panel`, 'aria-labelledby': `${key}-button`, class: 'tabpanel',
      'data-tab': tabId,
    }, h('div', { class: 'tabbar' }, state, close), term.element);
    panel.hidden = true;
    button.addEventListener('click', () => this.select(tabId));
    this.list.appendChild(button);
    this.panels.appendChild(panel);
    this.empty.hidden = true;
    const tab = { id: tabId, button, panel, term, state, close, running: true };
    this.tabs.set(tabId, tab);
    term.attach();
    this.controls(tab);
    if (!this.selected) this.select(tabId);
    return tab;
  }

  /** A running tab takes typing and can be closed, unless the user may only watch. */
  private controls(tab: Tab): void {
    const drive = tab.running && this.drivable !== false;
    tab.close.hidden = !drive;
    if (drive && !tab.term.typing) {
      tab.term.enableInput((text) => this.driver.input(tab.id, text),
        `Type into tab ${tab.id}: Enter sends the line, Backspace and Ctrl-U edit it, Ctrl-C drops it`);
    } else if (!drive) {
      tab.term.disableInput();
    }
  }

  private select(tabId: string, focus = false): void {
    for (const tab of this.tabs.values()) {
      const on = tab.id === tabId;
      tab.button.setAttribute('aria-selected', String(on));
      tab.button.tabIndex = on ? 0 : -1;
      tab.panel.hidden = !on;
      if (on) {
        tab.term.attach();
        if (focus) tab.button.focus();
      }
    }
    this.selected = tabId;
  }

  private onKey(e: KeyboardEvent): void {
    const ids = [...this.tabs.keys()];
    const at = this.selected ? ids.indexOf(this.selected) : -1;
    let next = -1;
    if (e.key === 'ArrowRight') next = (at + 1) % ids.length;
    else if (e.key === 'ArrowLeft') next = (at - 1 + ids.length) % ids.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = ids.length - 1;
    if (next >= 0 && ids.length > 0) {
      e.preventDefault();
      this.select(ids[next], true);
    }
  }
}
