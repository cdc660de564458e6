// Sign-in: a token pasted into the form, or given in the URL fragment (#token=…), which
// is then removed from the address bar (and never sent to a server: fragments are not).
// A fragment token for another user than the signed-in one is adopted only if the user
// says so. The token lives in this tab's sessionStorage only.

const KEY = 'agent-hub.console.token';

export interface Claims {
  sub?: string;
  roles?: string[];
  workspaces?: string[];
  exp?: number;
}

/**
 * Moves a #token=… from the address bar into the session; true when the session's token
 * changed. A link can be made by anyone (a chat message, a hyperlink printed in a
 * terminal), so a token for another user than the one signed in is not adopted silently
 * (that would make this tab act as the link's author): the user is asked, and keeps their
 * own token unless they accept. The fragment is removed either way.
 */
export function adoptFragmentToken(): boolean {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const offered = params.get('token')?.trim();
  if (!params.has('token')) return false;
  params.delete('token');
  const rest = params.toString();
  history.replaceState(history.state, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
  const current = token();
  if (!offered || offered === current) return false;
  if (current) {
    const was = claims(current)?.sub;
    const now = claims(offered)?.sub;
    if (was === undefined || was !== now) {
      const switchUser = window.confirm(`This link signs this tab in as ${label(now)} instead of ${label(was)}: `
        + `whatever you do here then is done as ${label(now)}.\n\n`
        + `Switch to ${label(now)}? (Cancel stays signed in as ${label(was)}.)`);
      if (!switchUser) return false;
    }
  }
  setToken(offered);
  return true;
}

/** A user id for a dialog: quoted, one line, bounded. */
function label(sub: string | undefined): string {
  if (typeof sub !== 'string') return 'an unknown user';
  const line = sub.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return JSON.stringify(line.length > 64 ? `${line.slice(0, 64)}…` : line);
}

export function token(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setToken(value: string): void {
  sessionStorage.setItem(KEY, value.trim());
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

/**
 * The token's claims, read (not verified: the hub verifies) to label the page and list
 * the user's workspaces. Null when it is not a JWT.
 */
export function claims(value: string | null = token()): Claims | null {
  if (!value) return null;
  const parts = value.split('.');
  if (parts.length !== 3) return null;
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'));
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Claims) : null;
  } catch {
    return null;
  }
}

export function isAdmin(c: Claims | null): boolean {
  return !!c?.roles?.includes('admin');
}

export function expired(c: Claims | null): boolean {
  return !!c?.exp && c.exp * 1000 < Date.now();
}

/** fetch() on the console's own origin with the token as a bearer. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token() ?? ''}`);
  headers.set('Accept', 'application/json');
  const response = await fetch(path, { ...init, headers });
  const body: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = (body as { error?: string }).error ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, error);
  }
  return body as T;
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
