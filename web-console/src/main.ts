// Entry point: signs in (fragment token or pasted), then routes by path:
//   /console/                    sign-in and the workspaces of the token
//   /console/workspaces/{id}     a workspace
//   /console/operator            the operator view (admin)

import '@xterm/xterm/css/xterm.css';
import './style.css';
import { adoptFragmentToken, api, claims, expired, isAdmin, setToken, signOut, token } from './auth';
import { fill, h, setText } from './dom';
import { Hub, type ConnectionState } from './hub';
import { OperatorView } from './operator';
import { WorkspaceView } from './workspace';

/** The hub's channel ids (letters, digits, - _ . @: Channel.isValidId), starting with a letter or digit. */
const WORKSPACE_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
const MAX_CARDS = 50;

adoptFragmentToken();
// A #token=… link to this very page changes only the fragment (no page load).
window.addEventListener('hashchange', () => {
  if (adoptFragmentToken()) location.reload();
});
const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const connection = document.getElementById('connection') as HTMLElement;

route();

function route(): void {
  const path = location.pathname.replace(/\/+$/, '');
  const c = claims();
  if (!token() || expired(c)) {
    signIn(expired(c) ? 'Your token has expired; paste a new one.' : null);
    return;
  }
  navigation();
  const workspace = /^\/console\/workspaces\/([^/]+)$/.exec(path);
  if (workspace) {
    const id = decodeURIComponent(workspace[1]);
    if (!WORKSPACE_ID.test(id)) {
      fill(main, h('h1', {}, 'Not a workspace id'), h('p', {}, 'Workspace ids are letters, digits, ".", "_", "@" and "-".'));
      return;
    }
    document.title = `${id} · Agent hub console`;
    const hub = connect();
    new WorkspaceView(hub, id).render(main);
    hub.connect();
    return;
  }
  if (path === '/console/operator') {
    document.title = 'Operator · Agent hub console';
    new OperatorView().render(main);
    return;
  }
  home();
}

function connect(): Hub {
  return new Hub(token() as string).onState(showConnection);
}

function showConnection(state: ConnectionState): void {
  const text: Record<ConnectionState['kind'], string> = {
    connecting: 'connecting…',
    connected: 'live',
    resumed: 'reconnected — resumed with no gap',
    restarted: 'reconnected — some history was lost',
    disconnected: 'connection lost — reconnecting…',
    refused: 'refused',
  };
  const detail = 'how' in state ? state.how : 'why' in state ? state.why : '';
  connection.textContent = text[state.kind];
  connection.title = detail;
  connection.dataset.state = state.kind;
  if (state.kind === 'refused') {
    signIn(expired(claims()) ? 'Your token has expired; paste a new one.' : `The hub refused the token: ${detail}`);
  }
}

function navigation(): void {
  const c = claims();
  const out = h('button', { type: 'button', class: 'link' }, 'Sign out');
  out.addEventListener('click', () => {
    signOut();
    location.assign('/console/');
  });
  fill(nav, h('a', { href: '/console/' }, 'Workspaces'),
    isAdmin(c) ? h('a', { href: '/console/operator' }, 'Operator') : null,
    h('span', { class: 'muted who' }, c?.sub ?? ''), out);
}

function home(): void {
  const c = claims();
  const all = c?.workspaces?.includes('*');
  const listed = (c?.workspaces ?? []).filter((w) => w !== '*' && WORKSPACE_ID.test(w));
  const input = h('input', { id: 'open-id', name: 'workspace', type: 'text', required: true, pattern: WORKSPACE_ID.source });
  const open = h('form', { class: 'inline' }, h('label', { for: 'open-id' }, 'Open workspace'), input,
    h('button', { type: 'submit' }, 'Open'));
  open.addEventListener('submit', (e) => {
    e.preventDefault();
    location.assign(`/console/workspaces/${encodeURIComponent(input.value.trim())}`);
  });
  fill(main, h('h1', {}, 'Workspaces'),
    listed.length ? h('ul', { class: 'cards' }, ...listed.slice(0, MAX_CARDS).map((w) => card(w))) : null,
    all || listed.length === 0 ? open : null,
    isAdmin(c) ? h('p', {}, h('a', { href: '/console/operator' }, 'Operator view →')) : null);
}

/** A workspace with its agent's state, read from the gateway. */
function card(workspaceId: string): HTMLElement {
  const state = h('span', { class: 'pill' }, '…');
  void api<{ agent: { status?: string; version?: string } | null }>(
    `/api/console/workspaces/${encodeURIComponent(workspaceId)}`,
  ).then((w) => {
    const online = w.agent?.status === 'connected';
    setText(state, w.agent ? `${online ? 'online' : 'offline'}${w.agent.version ? ` · ${w.agent.version}` : ''}` : 'no agent yet');
    state.className = `pill ${online ? 'ok' : 'off'}`;
  }).catch((e: Error) => {
    state.textContent = e.message;
  });
  return h('li', {}, h('a', { href: `/console/workspaces/${encodeURIComponent(workspaceId)}` },
    h('strong', {}, workspaceId), ' ', state));
}

function signIn(message: string | null): void {
  fill(nav);
  const field = h('textarea', { id: 'token', name: 'token', rows: '4', required: true, autocomplete: 'off', spellcheck: 'false' });
  const form = h('form', { class: 'signin' },
    h('label', { for: 'token' }, 'Token'), field,
    h('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setToken(field.value);
    fill(main);
    route();
  });
  fill(main, h('h1', {}, 'Sign in'),
    message ? h('p', { class: 'error', role: 'alert' }, message) : null,
    h('p', {}, 'Paste a hub token (', h('code', {}, './hub run'), ' prints development tokens and ready links), or open a link ending in ',
      h('code', {}, '#token=…'), '.'),
    form);
  field.focus();
}
