// An xterm.js terminal: ANSI colours, scroll-back, and screen-reader mode, so its text is
// also in the DOM for assistive technology (and for the tests). Read-only unless
// enableInput() makes it take typed lines (see typed() below).
//
// What it shows comes from agents and from other users' tasks, so it is not trusted:
// - hyperlinks (OSC 8) to the console's own origin are not followed (such a link can carry
//   a #token=… or drive the console); others open in a new tab without opener or referrer;
// - the full and soft resets (ESC c, CSI ! p) and the erasing of the scroll-back
//   (CSI 3 J, what `clear` sends) are dropped, and erasing the screen (CSI 2 J) pushes
//   what it showed into the scroll-back instead of deleting it, so output cannot wipe
//   what ran before it (full-screen programs still clear their screen). They are handled
//   by the terminal's parser, so a sequence split across two writes, or sent with the
//   8-bit CSI, is caught as well;
// - a terminal answers some queries in its output by "typing" the answer (device
//   attributes, cursor position, mode and colour reports, focus and mouse reports): in a
//   terminal that takes input, that answer would go to the tab's stdin as if this user had
//   typed it. The queries are dropped by the parser, and the line editor ignores anything
//   that starts with ESC (a report, or a key such as an arrow that means nothing here);
// - bidi controls (U+202E and its kin) are shown as [U+202E], not obeyed: the rows are
//   text in the page, where they would reorder what is shown (dom.ts, visible()).

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { visible } from './dom';

const SCROLLBACK = 5000;

/** The longest line the editor holds before Enter (a larger paste is cut there). */
const MAX_LINE = 1 << 20;

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

const THEME = { background: '#0d1117', foreground: '#e6edf3', cursor: '#0d1117' };

export class Term {
  readonly element: HTMLElement;
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private opened = false;
  private sink: ((text: string) => void) | null = null;
  private inputLabel = '';
  private line = '';

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
      theme: THEME,
      linkHandler: { activate: (_event, uri) => openLink(uri), allowNonHttpProtocols: false },
    });
    this.term.parser.registerEscHandler({ final: 'c' }, () => true); // RIS
    this.term.parser.registerCsiHandler({ intermediates: '!', final: 'p' }, () => true); // DECSTR
    // ED 3 (erase the scroll-back) is swallowed; ED 0–2 go on to the terminal's own
    this.term.parser.registerCsiHandler({ final: 'J' }, (params) => params.includes(3));
    // Queries the terminal would answer as typed input: DA1, DA2, DSR, DECRQM, DECRQSS,
    // and the colour queries of OSC 4, 10, 11, 12 (setting a colour still works).
    this.term.parser.registerCsiHandler({ final: 'c' }, () => true);
    this.term.parser.registerCsiHandler({ prefix: '>', final: 'c' }, () => true);
    this.term.parser.registerCsiHandler({ final: 'n' }, () => true);
    this.term.parser.registerCsiHandler({ prefix: '?', final: 'n' }, () => true);
    this.term.parser.registerCsiHandler({ intermediates: '$', final: 'p' }, () => true);
    this.term.parser.registerCsiHandler({ prefix: '?', intermediates: '$', final: 'p' }, () => true);
    this.term.parser.registerDcsHandler({ intermediates: '$', final: 'q' }, () => true);
    for (const osc of [4, 10, 11, 12]) {
      this.term.parser.registerOscHandler(osc, (data) => data.includes('?'));
    }
    this.term.onData((data) => this.typed(data));
    // Ctrl-C with text selected copies it (the browser's own), as everywhere else.
    this.term.attachCustomKeyEventHandler((e) => !(e.ctrlKey && e.key === 'c' && this.term.hasSelection()));
    this.term.loadAddon(this.fit);
    new ResizeObserver(() => this.resize()).observe(this.element);
  }

  /** Opens the terminal once its element is in the document. */
  attach(): void {
    if (!this.opened && this.element.isConnected) {
      this.term.open(this.element);
      this.opened = true;
      this.labelInput();
    }
    this.resize();
  }

  /**
   * Lets the user type into the terminal. There is no terminal on the other end (a tab is
   * a process on pipes), so nothing echoes what is typed: this terminal does, and edits
   * the line itself — Backspace, Ctrl-U (erase the line), Ctrl-C (discard the line) —
   * and hands each line to `send` with "\n" on Enter. A paste goes in whole: each of its
   * lines is sent, a last one without a newline waits for Enter. `label` names the input
   * for screen readers.
   */
  enableInput(send: (text: string) => void, label: string): void {
    this.sink = send;
    this.inputLabel = label;
    this.term.options.disableStdin = false;
    this.term.options.cursorBlink = true;
    this.term.options.theme = { ...THEME, cursor: THEME.foreground };
    this.element.classList.add('typing');
    this.labelInput();
  }

  /** Back to read-only; a line being typed is dropped. */
  disableInput(): void {
    if (!this.sink) return;
    this.sink = null;
    this.line = '';
    this.term.options.disableStdin = true;
    this.term.options.cursorBlink = false;
    this.term.options.theme = THEME;
    this.element.classList.remove('typing');
    this.labelInput();
  }

  get typing(): boolean {
    return this.sink !== null;
  }

  focus(): void {
    this.term.focus();
  }

  write(text: string): void {
    this.term.write(visible(text));
  }

  writeln(text: string): void {
    this.term.write(`${visible(text)}\n`);
  }

  clear(): void {
    this.term.reset();
  }

  /** The line editor: what xterm.js reports as typed (keys, pastes, and its own answers). */
  private typed(data: string): void {
    if (!this.sink) return;
    let text = data;
    if (text.startsWith(PASTE_START) && text.endsWith(PASTE_END)) {
      text = text.slice(PASTE_START.length, text.length - PASTE_END.length);
    } else if (text.startsWith('\x1b')) {
      return; // a key that means nothing to a line (arrows, Alt+…) or a report
    }
    let echo = '';
    let send = '';
    for (const c of text) {
      if (c === '\r' || c === '\n') {
        send += `${this.line}\n`;
        this.line = '';
        echo += '\r\n';
      } else if (c === '\x7f' || c === '\b') {
        const chars = [...this.line];
        if (chars.length > 0) {
          chars.pop();
          this.line = chars.join('');
          echo += '\b \b';
        }
      } else if (c === '\x15') { // Ctrl-U
        echo += '\b \b'.repeat([...this.line].length);
        this.line = '';
      } else if (c === '\x03') { // Ctrl-C: there is no signal to send; the line is dropped
        echo += '^C\r\n';
        this.line = '';
      } else if (c === '\t' || !/[\u0000-\u001f\u007f-\u009f]/.test(c)) {
        if (this.line.length + c.length > MAX_LINE) continue;
        this.line += c;
        echo += c === '\t' ? ' ' : c;
      }
    }
    if (echo) this.term.write(echo);
    if (send) this.sink(send);
  }

  private labelInput(): void {
    const textarea = this.term.textarea;
    if (!textarea) return;
    if (this.sink) {
      textarea.setAttribute('aria-label', this.inputLabel);
    } else {
      textarea.setAttribute('aria-label', `${this.element.getAttribute('aria-label') ?? 'Terminal'} (read-only)`);
    }
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
