// A read-only xterm.js terminal: ANSI colours, scroll-back, and screen-reader mode, so
// its text is also in the DOM for assistive technology (and for the tests).
//
// What it shows comes from agents and from other users' tasks, so it is not trusted:
// - hyperlinks (OSC 8) to the console's own origin are not followed (such a link can carry
//   a #token=… or drive the console); others open in a new tab without opener or referrer;
// - the full and soft resets (ESC c, CSI ! p) and the erasing of the scroll-back
//   (CSI 3 J, what `clear` sends) are dropped, and erasing the screen (CSI 2 J) pushes
//   what it showed into the scroll-back instead of deleting it, so output cannot wipe
//   what ran before it (full-screen programs still clear their screen). They are handled
//   by the terminal's parser, so a sequence split across two writes, or sent with the
//   8-bit CSI, is caught as well.

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
      scrollOnEraseInDisplay: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      theme: { background: '#0d1117', foreground: '#e6edf3', cursor: '#0d1117' },
      linkHandler: { activate: (_event, uri) => openLink(uri), allowNonHttpProtocols: false },
    });
    this.term.parser.registerEscHandler({ final: 'c' }, () => true); // RIS
    this.term.parser.registerCsiHandler({ intermediates: '!', final: 'p' }, () => true); // DECSTR
    // ED 3 (erase the scroll-back) is swallowed; ED 0–2 go on to the terminal's own
    this.term.parser.registerCsiHandler({ final: 'J' }, (params) => params.includes(3));
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

/** Opens a terminal hyperlink: http(s) on another origin only, in a new tab, no opener. */
export function openLink(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri, location.href);
  } catch {
    return false;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin === location.origin) {
    console.warn(`Terminal link not followed (the console's own origin, or not http): ${url.origin}`);
    return false;
  }
  window.open(url.href, '_blank', 'noopener,noreferrer');
  return true;
}
