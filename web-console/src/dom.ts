// Small DOM helpers. Text always goes in as text nodes (never innerHTML): everything the
// hub relays comes from clients and is untrusted.

type Attrs = Record<string, string | number | boolean | undefined | null>;
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(visible(String(child))));
  }
}

/**
 * Runs `task` every `ms` while `el` is in the page, and stops for good once it left it (its
 * view was replaced: another page, the sign-in form).
 */
export function every(el: Element, ms: number, task: () => void): void {
  const timer = setInterval(() => {
    if (el.isConnected) task();
    else clearInterval(timer);
  }, ms);
}

/** Sets an element's text (shown as {@link visible}). */
export function setText(el: Element, text: string): void {
  el.textContent = visible(text);
}

/**
 * Characters that reorder the text around them (bidi embeddings, overrides, isolates and
 * marks): in text that agents, backends or other users control they would spoof what is
 * shown (a file `\u202Egnp.exe` reads `exe.png`), so they are shown as `[U+202E]`, not obeyed.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function visible(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

export function section(title: string, id: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel', 'aria-labelledby': `${id}-title`, id },
    h('h2', { id: `${id}-title` }, title), ...children);
}

export function time(iso?: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString();
}

export function bytes(n?: number | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}
