// The workspace view's "Files" panel: upload a file into the workspace's container through
// the gateway (POST /api/console/workspaces/{id}/files, streamed on to agent-service, whose
// sidecar writes it atomically with its mode). Only for a user who may drive the workspace.

import { token } from './auth';
import { bytes, fill, h } from './dom';

/** The gateway's bound when its overview does not say (agent-service's default, 100 MB). */
const DEFAULT_MAX = 100 * 1024 * 1024;
/** Files up to this size get a SHA-256 computed here, checked by the agent end to end. */
const MAX_HASHED = 64 * 1024 * 1024;
const MODE = /^0?[0-7]{3}$/;

interface Uploaded {
  taskId?: string;
  path?: string;
  size?: number;
  sha256?: string;
  mode?: string;
}

export class FileUpload {
  readonly element: HTMLElement;
  private readonly file = h('input', { type: 'file', id: 'upload-file', name: 'file', required: true });
  private readonly path = h('input', {
    type: 'text', id: 'upload-path', name: 'path', required: true, autocomplete: 'off', spellcheck: 'false',
    maxlength: '4096', placeholder: 'e.g. notes.txt or /tmp/notes.txt', 'aria-describedby': 'upload-note',
  });
  private readonly mode = h('input', {
    type: 'text', id: 'upload-mode', name: 'mode', value: '0600', required: true, size: '5', autocomplete: 'off',
    pattern: '0?[0-7]{3}', title: 'octal, e.g. 0600 or 644',
  });
  private readonly button = h('button', { type: 'submit', id: 'upload-button' }, 'Upload');
  private readonly note = h('p', { class: 'muted small', id: 'upload-note' });
  private readonly progress = h('progress', { id: 'upload-progress', max: '100', value: '0', hidden: true,
    'aria-label': 'Upload progress' });
  private readonly result = h('p', { id: 'upload-result', role: 'status', 'aria-live': 'polite' });
  private autoPath = '';
  private maxSize = DEFAULT_MAX;
  private mayUpload: boolean | null = null;
  private busy = false;

  constructor(private readonly workspaceId: string, private readonly onForbidden: () => void) {
    const form = h('form', { class: 'upload', id: 'upload-form', 'aria-label': 'Upload a file into the container' },
      h('label', { for: 'upload-file' }, 'File'), this.file,
      h('label', { for: 'upload-path' }, 'Path in the container'), this.path,
      h('label', { for: 'upload-mode' }, 'Mode'), this.mode,
      this.button);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.upload();
    });
    this.file.addEventListener('change', () => this.picked());
    this.element = h('div', {}, form, this.note, h('div', { class: 'upload-state' }, this.progress, ' ', this.result));
    this.showNote();
  }

  /** Whether the user may upload (null: not known; offered, the hub's refusal is shown). */
  setAllowed(may: boolean | null): void {
    this.mayUpload = may;
    this.enable();
    this.showNote();
  }

  /** The gateway's bound on one file (bytes). */
  setMaxSize(max: number | undefined): void {
    if (typeof max === 'number' && Number.isFinite(max) && max > 0) this.maxSize = max;
    this.showNote();
  }

  private enable(): void {
    const off = this.mayUpload === false || this.busy;
    [this.file, this.path, this.mode, this.button].forEach((control) => (control.disabled = off));
  }

  private showNote(): void {
    if (this.mayUpload === false) {
      this.note.textContent = 'You may watch this workspace but not upload files into it (your token\'s exec claim).';
      return;
    }
    this.note.textContent = `A relative path is under the workspace's repository directory (where the agent works); `
      + `an absolute one anywhere the agent may write (not under /proc, /sys or /dev; the directory must exist). `
      + `A file already there is replaced. At most ${bytes(this.maxSize)}.`;
  }

  /** A new file: its name becomes the path, unless the user typed one of their own. */
  private picked(): void {
    const file = this.file.files?.[0];
    this.result.textContent = '';
    this.result.className = '';
    if (!file) return;
    if (this.path.value === '' || this.path.value === this.autoPath) {
      this.path.value = file.name;
      this.autoPath = file.name;
    }
    if (file.size > this.maxSize) this.tooLarge(file);
  }

  private tooLarge(file: File): void {
    this.show('error', `Not uploaded: ${file.name} is ${bytes(file.size)}, more than the hub accepts (${bytes(this.maxSize)}).`);
  }

  private async upload(): Promise<void> {
    const file = this.file.files?.[0];
    const path = this.path.value.trim();
    const mode = this.mode.value.trim();
    if (!file) return this.show('error', 'Choose a file first.');
    if (!path) return this.show('error', 'Say where the file goes in the container.');
    if (!MODE.test(mode)) return this.show('error', `Not uploaded: the mode must be octal such as 0600 or 644, not ${mode}.`);
    if (file.size > this.maxSize) return this.tooLarge(file);
    this.busy = true;
    this.enable();
    try {
      let sha256: string | null = null;
      if (file.size <= MAX_HASHED && globalThis.crypto?.subtle) {
        this.show('', `checking ${file.name}…`);
        sha256 = hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
      }
      const query = new URLSearchParams({ path, mode });
      if (sha256) query.set('sha256', sha256);
      this.progress.hidden = false;
      this.progress.value = 0;
      this.show('', `uploading ${file.name}…`);
      const reply = await this.send(`/api/console/workspaces/${encodeURIComponent(this.workspaceId)}/files?${query}`, file);
      if (reply.status === 201) {
        const u = reply.body as Uploaded;
        this.progress.value = 100;
        this.show('ok', `Uploaded ${file.name} to `, h('code', {}, str(u.path)), h('br'),
          `${bytes(num(u.size))} (${num(u.size) ?? '?'} bytes), mode ${str(u.mode)}`, h('br'),
          'sha256 ', h('code', { class: 'sha' }, str(u.sha256)));
      } else {
        this.progress.hidden = true;
        const code = str(reply.body.code) || String(reply.status);
        const error = str(reply.body.error) || `the hub answered ${reply.status}`;
        this.show('error', `Not uploaded (${code}): ${refusal(code, error)} — ${error}`);
        if (code === 'forbidden') this.onForbidden();
      }
    } catch (e) {
      this.progress.hidden = true;
      this.show('error', `Not uploaded: ${(e as Error).message}`);
    } finally {
      this.busy = false;
      this.enable();
    }
  }

  /** POSTs the file's bytes with progress (fetch cannot report an upload's progress). */
  private send(url: string, file: File): Promise<{ status: number; body: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.setRequestHeader('Authorization', `Bearer ${token() ?? ''}`);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => {
        if (!e.lengthComputable || e.total === 0) return;
        const percent = Math.floor((e.loaded / e.total) * 100);
        this.progress.value = percent;
        this.show('', e.loaded < e.total
          ? `uploading ${file.name}… ${percent} % (${bytes(e.loaded)} of ${bytes(e.total)})`
          : `sent ${bytes(e.total)}, waiting for the agent to write ${file.name}…`);
      };
      xhr.onload = () => {
        let body: Record<string, unknown> = {};
        try {
          const parsed: unknown = JSON.parse(xhr.responseText);
          if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
        } catch {
          // not JSON: the status says enough
        }
        resolve({ status: xhr.status, body });
      };
      xhr.onerror = () => reject(new Error('the connection to the hub failed'));
      xhr.onabort = () => reject(new Error('the upload was cancelled'));
      xhr.send(file);
    });
  }

  private show(kind: '' | 'ok' | 'error', ...parts: (string | Node)[]): void {
    this.result.className = kind;
    fill(this.result, ...parts);
  }
}

/** What a refusal means, in words. */
function refusal(code: string, error: string): string {
  if (error.startsWith('refused_path')) return 'the agent does not write to that path';
  if (error.startsWith('disk_full')) return 'the container\'s disk is full';
  if (error.startsWith('checksum_mismatch')) return 'what was written differs from what was sent, so it was not kept';
  switch (code) {
    case 'forbidden':
      return 'you may watch this workspace but not upload files into it';
    case 'no_agent':
      return 'no agent is connected for this workspace, nothing was written';
    case 'too_large':
      return 'the file is larger than the hub accepts';
    case 'unavailable':
      return 'the hub cannot take the upload now, try again';
    case 'request_timeout':
      return 'the file came too slowly';
    case 'unauthorized':
      return 'your token is not accepted (expired?), sign in again';
    default:
      return 'the hub refused the upload';
  }
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
