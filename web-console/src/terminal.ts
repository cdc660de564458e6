// A read-only xterm.js terminal: ANSI colours, scroll-back, and screen-reader mode, so
// its text is also in the DOM for assistive technology (and for the tests).

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';

const SCROLLBACK = 5000;

export class Term {
  readonly element: HTMLElement;
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private opened = false;

  constructor(label: string) {
    this.element = document.createElement('div');
    this.element.className = 'term';
    this.element.setAttribute('aria-label', label);
    this.term = new Terminal({
      screenReaderMode: true,
      convertEol: true,
      disableStdin: true,
      cursorBlink: false,
      scrollback: SCROLLBACK,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      theme: { background: '#0d1117', foreground: '#e6edf3', cursor: '#0d1117' },
    });
    this.term.loadAddon(this.fit);
    new ResizeObserver(() => this.resize()).observe(this.element);
  }

  /** Opens the terminal once its element is in the document. */
  attach(): void {
    if (!this.opened && this.element.isConnected) {
      this.term.open(this.element);
      this.opened = true;
    }
    this.resize();
  }

  write(text: string): void {
    this.term.write(text);
  }

  writeln(text: string): void {
    this.term.write(`${text}\n`);
  }

  clear(): void {
    this.term.reset();
  }

  private resize(): void {
    if (this.opened && this.element.offsetWidth > 0 && this.element.offsetHeight > 0) {
      try {
        this.fit.fit();
      } catch {
        // not laid out yet; the next resize fits it
      }
    }
  }
}
