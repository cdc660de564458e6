// Live terminal tabs (tab:started / tab:output / tab:stopped), as an ARIA tab list
// that works with the keyboard (arrows, Home, End).

import { h } from './dom';
import { Term } from './terminal';

const MAX_TABS = 32;

interface Tab {
  id: string;
  button: HTMLButtonElement;
  panel: HTMLElement;
  term: Term;
  state: HTMLElement;
}

export class TerminalTabs {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly panels: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly tabs = new Map<string, Tab>();
  private selected: string | null = null;

  constructor() {
    this.list = h('div', { role: 'tablist', 'aria-label': 'Terminal tabs', class: 'tablist' });
    this.panels = h('div', { class: 'tabpanels' });
    this.empty = h('p', { class: 'muted' }, 'No terminal tabs yet: they appear when the agent starts one.');
    this.element = h('div', {}, this.list, this.empty, this.panels);
    this.list.addEventListener('keydown', (e) => this.onKey(e));
  }

  started(tabId: string, command?: string): void {
    const tab = this.tab(tabId);
    if (!tab) return;
    tab.state.textContent = command ? `running ${command}` : 'running';
    tab.button.classList.remove('stopped');
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
    const state = h('span', { class: 'tabstate muted' });
    const button = h('button', {
      type: 'button', role: 'tab', id: `${key}-button`, 'aria-controls': `${key}-panel`,
      'aria-selected': 'false', tabindex: '-1', 'data-tab': tabId,
    }, tabId);
    const panel = h('div', {
      role: 'tabpanel', id: `${key}-panel`, 'aria-labelledby': `${key}-button`, class: 'tabpanel',
      'data-tab': tabId,
    }, state, term.element);
    panel.hidden = true;
    button.addEventListener('click', () => this.select(tabId));
    this.list.appendChild(button);
    this.panels.appendChild(panel);
    this.empty.hidden = true;
    const tab = { id: tabId, button, panel, term, state };
    this.tabs.set(tabId, tab);
    term.attach();
    if (!this.selected) this.select(tabId);
    return tab;
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
