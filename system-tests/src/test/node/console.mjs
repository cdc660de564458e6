// The web console in a real browser (Debian's chromium through playwright-core), against
// a hub started by ConsoleIntegrationTests. Usage: node console.mjs '<options JSON>'.
// Prints "STEP <name>" and waits for a line on stdin when the Java side must act, and
// "PASS console" at the end. Every page's screenshot goes to options.screenshots.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { createHash, createHmac } from 'node:crypto';

const o = JSON.parse(process.argv[2]);
const WAIT = 20_000;
const stdin = createInterface({ input: process.stdin });
const answers = stdin[Symbol.asyncIterator]();

async function step(name) {
  console.log(`STEP ${name}`);
  const { value } = await answers.next();
  if (value !== 'ok') throw new Error(`step ${name}: ${value}`);
}

/** Output of the agent's tab t1, sent by the Java side (as another user's output would be). */
async function tabOutput(text) {
  await step(`tab-output ${Buffer.from(text, 'utf8').toString('base64')}`);
}

/** Moves the mouse onto `text` in a terminal, waits until xterm.js shows it as a link, clicks. */
async function clickLink(page, terminal, text) {
  const point = await page.evaluate(([s, t]) => {
    for (const row of document.querySelectorAll(`${s} .xterm-rows > div`)) {
      let at = row.textContent.indexOf(t);
      if (at < 0) continue;
      at += 1; // a character inside the link
      const nodes = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      for (let n = nodes.nextNode(); n; n = nodes.nextNode()) {
        if (at < n.textContent.length) {
          const range = document.createRange();
          range.setStart(n, at);
          range.setEnd(n, at + 1);
          const box = range.getBoundingClientRect();
          return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
        }
        at -= n.textContent.length;
      }
    }
    return null;
  }, [terminal, text]);
  if (!point) throw new Error(`no "${text}" on the screen of ${terminal}`);
  await page.mouse.move(point.x, point.y);
  await page.waitForSelector(`${terminal} .xterm-screen.xterm-cursor-pointer`, { timeout: WAIT });
  await page.mouse.down();
  await page.mouse.up();
  await page.evaluate(() => 0); // the click's handlers have run
}

/** A hub token (HS256) signed here, for a lifetime the Java side cannot time. */
function hs256(secret, claims) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log(`ok: ${message}`);
}

async function textOf(page, selector) {
  return page.evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.textContent).join('\n'), selector);
}

async function waitForText(page, selector, text, what) {
  try {
    await page.waitForFunction(([s, t]) => [...document.querySelectorAll(s)].some((e) => e.textContent.includes(t)),
      [selector, text], { timeout: WAIT });
  } catch (e) {
    throw new Error(`${what}: no "${text}" in ${selector} (has: ${JSON.stringify(await textOf(page, selector))})`);
  }
  console.log(`ok: ${what}`);
}

mkdirSync(o.screenshots, { recursive: true });
const browser = await chromium.launch({ executablePath: o.chromium, headless: true, args: ['--no-sandbox'], timeout: 60_000 });
const errors = [];
// While the gateway restarts, the browser itself logs its refused reconnect attempts;
// those (and only those, only then) are expected.
let outage = false;
let refusedDuringOutage = 0;
// While an upload is refused on purpose, the browser logs the 400 it gets; that one is expected.
let refusal = false;
let refusedUploads = 0;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const watch = (page) => {
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (outage && m.text().includes('net::ERR_CONNECTION_REFUSED')) refusedDuringOutage++;
      else if (refusal && m.text().includes('status of 400')) refusedUploads++;
      else errors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e}`));
  };

  // A token that expires while its page is open: the hub ends the connection for good, and
  // the page says so and asks for a new token (it does not claim to be reconnecting).
  // The page it left stops asking the hub (its watcher list, every 10 s) while the sign-in
  // form waits: checked at the end, when the rest has run for well over 10 s.
  const expiring = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  let askedAfterSignIn = 0;
  let signedOut = false;
  {
    const soon = await expiring.newPage(); // its watcher list is refused (401) once the token expired
    soon.on('request', (r) => signedOut && r.url().includes('/api/') && askedAfterSignIn++);
    await soon.goto(`${o.base}/console/workspaces/${o.workspace}#token=${hs256(o.secret, {
      sub: 'erin', roles: ['user'], workspaces: [o.workspace], exp: Math.floor(Date.now() / 1000) + 6 })}`);
    await soon.waitForSelector('#connection[data-state="connected"]', { timeout: WAIT });
    check(true, 'a page whose token expires soon is live');
    try {
      await soon.waitForSelector('form.signin', { timeout: WAIT });
    } catch (e) {
      throw new Error(`no sign-in form once the token expired (connection: ${JSON.stringify(await textOf(soon, '#connection'))})`);
    }
    signedOut = true;
    await waitForText(soon, 'main .error', 'expired', 'once its token expired the page asks for a new one');
    await soon.screenshot({ path: `${o.screenshots}/expired.png`, fullPage: true });
  }

  // Workspace ids are the hub's channel ids (letters, digits, - _ . @): one with an @ is
  // listed and opens.
  {
    const at = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const home = await at.newPage();
    watch(home);
    await home.goto(`${o.base}/console/#token=${o.atToken}`);
    const card = `a[href="/console/workspaces/${encodeURIComponent(o.atWorkspace)}"]`;
    try {
      await home.waitForSelector(card, { timeout: WAIT });
    } catch (e) {
      throw new Error(`${o.atWorkspace} is not listed (${JSON.stringify(await textOf(home, 'main'))})`);
    }
    check(true, `the workspaces page lists ${o.atWorkspace}`);
    await home.click(card);
    await waitForText(home, 'main h1', `Workspace ${o.atWorkspace}`, `${o.atWorkspace} opens`);
    await waitForText(home, '#agent-state', 'never connected', 'with its (absent) agent read from the hub');
    await at.close();
  }

  // A workspace by deep link; the token in the fragment signs in and leaves the address bar.
  const page = await context.newPage();
  watch(page);
  const response = await page.goto(`${o.base}/console/workspaces/${o.workspace}#token=${o.userToken}`);
  check(response.status() === 200, `deep link answered ${response.status()}`);
  const csp = response.headers()['content-security-policy'] ?? '';
  check(csp.includes("script-src 'self'") && !csp.includes("script-src 'self' 'unsafe-inline'"), `CSP: ${csp}`);
  await page.waitForFunction(() => !location.hash.includes('token='), null, { timeout: WAIT });
  check(!page.url().includes('token='), 'the token left the address bar');

  // The sidecar is online with its version; its tab's output is in the terminal.
  await waitForText(page, '#agent-state', 'online', 'agent online');
  await waitForText(page, '#agent-version', o.version, `agent version ${o.version}`);
  await waitForText(page, '[aria-label="Terminal tab t1"]', o.tabText, 'tab output in the terminal');

  // A shell opened from the page runs in the workspace: typed lines reach it (the page
  // echoes and edits them: no pty), a long paste goes in pieces, and Close stops it.
  await page.waitForSelector('form.newtab button:not([disabled])', { timeout: WAIT });
  check(await page.inputValue('input[name="tab-command"]') === 'sh', 'a new tab runs sh by default');
  await page.click('form.newtab button');
  const shellButton = await page.waitForSelector('[role="tab"][aria-selected="true"]:not([data-tab="t1"])', { timeout: WAIT });
  const shellId = await shellButton.getAttribute('data-tab');
  const shell = `[aria-label="Terminal tab ${shellId}"]`;
  const shellPanel = `.tabpanel[data-tab="${shellId}"]`;
  await waitForText(page, `${shellPanel} .tabstate`, 'running', `the new tab ${shellId} runs`);
  check(await page.evaluate((s) => document.querySelector(s)?.contains(document.activeElement), shell),
    'the new tab is selected and its terminal has the keyboard');
  await page.keyboard.type('echo hi-$((6*7))');
  await page.keyboard.press('Enter');
  await waitForText(page, shell, 'hi-42', 'a line typed into the shell ran: hi-42');
  await page.keyboard.type('echo typo-fixeX');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('d');
  await page.keyboard.press('Enter');
  await waitForText(page, shell, 'typo-fixed', 'Backspace edits the line before it is sent');
  const long = 'x'.repeat(40_000);
  await page.evaluate(([s, text]) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.querySelector(`${s} textarea`).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, [shell, `echo ${long} | wc -c\n`]);
  await waitForText(page, `${shell} .xterm-rows`, '40001', 'a 40,000-character pasted line arrived whole (in pieces of at most 16,384)');
  await page.screenshot({ path: `${o.screenshots}/workspace-shell.png`, fullPage: true });
  await page.click(`${shellPanel} button.close`);
  await waitForText(page, `${shellPanel} .tabstate`, 'stopped', 'Close stopped the shell');
  await waitForText(page, shell, '[tab stopped', 'the terminal says the tab stopped');
  check(await page.locator(`${shellPanel} button.close`).isHidden()
    && await page.locator(`${shell}.typing`).count() === 0, 'a stopped tab has no Close and takes no typing');
  check(await page.locator('#tab-error').isHidden(), 'no error shown');
  await page.click('[role="tab"][data-tab="t1"]'); // back to the agent's tab for what follows

  // A command typed into the page streams its output and exit code.
  // (xterm.js renders only while the terminal is on screen.)
  await page.locator('[aria-label="Command output"]').scrollIntoViewIfNeeded();
  await page.fill('input[name="command"]', `echo ${o.commandText}`);
  await page.press('input[name="command"]', 'Enter');
  await waitForText(page, '[aria-label="Command output"]', o.commandText, 'command output streamed');
  await waitForText(page, '.tasks li[data-status="completed"]', 'exit code 0', 'command completed, exit code 0');
  await page.fill('input[name="command"]', 'sh -c "exit 3"');
  await page.press('input[name="command"]', 'Enter');
  await waitForText(page, '.tasks li[data-status="failed"]', 'exit code 3', 'failing command, exit code 3');
  // Bidi controls in text others control are shown, not obeyed: "spoof-\u202Etxt.exe" would
  // read "spoof-exe.txt" to everyone watching the workspace.
  await page.fill('input[name="command"]', 'echo spoof-\u202Etxt.exe');
  await page.press('input[name="command"]', 'Enter');
  await waitForText(page, '.tasks li', 'spoof-[U+202E]txt.exe', 'a bidi override in a command is shown as [U+202E]');
  check(!(await textOf(page, 'main')).includes('\u202E'), 'no bidi override reaches the page\'s text');
  await page.screenshot({ path: `${o.screenshots}/workspace.png`, fullPage: true });

  // A file uploaded from the page lands in the sidecar's repository directory (a relative
  // path), with its mode; the page shows where, how large, its sha256.
  const uploads = [];
  page.on('request', (r) => r.url().includes('/files?') && uploads.push(r.url()));
  await page.locator('#files').scrollIntoViewIfNeeded();
  await page.waitForSelector('#upload-button:not([disabled])', { timeout: WAIT });
  check(true, 'the upload is offered to a user who may drive');
  const content = `uploaded from the console ${Date.now()}\n`;
  await page.setInputFiles('#upload-file', { name: 'console-upload.txt', mimeType: 'text/plain', buffer: Buffer.from(content) });
  check(await page.inputValue('#upload-path') === 'console-upload.txt', 'the path defaults to the file\'s name');
  await page.fill('#upload-mode', '0640');
  await page.click('#upload-button');
  const sha = createHash('sha256').update(content).digest('hex');
  await waitForText(page, '#upload-result.ok', 'Uploaded console-upload.txt to ', 'the upload succeeded');
  const result = await textOf(page, '#upload-result');
  check(result.includes(`${Buffer.byteLength(content)} bytes`) && result.includes(sha) && result.includes('0640')
    && result.includes('/console-upload.txt'), `the page shows path, size, mode and sha256: ${result}`);
  await step(`file console-upload.txt 0640 ${Buffer.from(content).toString('base64')}`);
  await page.screenshot({ path: `${o.screenshots}/workspace-upload.png`, fullPage: true });
  // A path the sidecar refuses is shown refused, with the hub's code, in words.
  await page.fill('#upload-path', '/proc/console-upload.txt');
  refusal = true;
  await page.click('#upload-button');
  await waitForText(page, '#upload-result.error', 'bad_request', 'a refused path is refused with the hub\'s code');
  // The browser may log the refusal's 400 after the page shows it: wait for that line (if
  // it comes at all) before a 400 counts as an error again.
  if (refusedUploads === 0) {
    await page.waitForEvent('console', { predicate: (m) => m.text().includes('status of 400'), timeout: 5000 })
      .catch(() => {});
  }
  refusal = false;
  check(refusedUploads <= 1, `(the browser logged the refusal's 400 ${refusedUploads} time(s))`);
  await waitForText(page, '#upload-result.error', 'refused_path', 'and the agent\'s reason');
  await waitForText(page, '#upload-result.error', 'the agent does not write to that path', 'in words');
  await page.screenshot({ path: `${o.screenshots}/workspace-upload-refused.png`, fullPage: true });
  // A file over the hub's bound is refused before a byte is sent.
  const sent = uploads.length;
  await page.setInputFiles('#upload-file', { name: 'too-big.bin', mimeType: 'application/octet-stream',
    buffer: Buffer.alloc(o.uploadMaxSize + 1) });
  await page.fill('#upload-path', 'too-big.bin');
  await page.click('#upload-button');
  await waitForText(page, '#upload-result.error', 'more than the hub accepts', 'a file over the bound is refused in the page');
  check(uploads.length === sent, `nothing was sent for it (${uploads.length - sent} requests)`);

  // The gateway restarts; what the agent sent meanwhile arrives, and the page says it resumed.
  outage = true;
  await step('restart-gateway');
  await waitForText(page, '#connection', 'resumed with no gap', 'the page says it resumed with no gap');
  outage = false;
  console.log(`(${refusedDuringOutage} refused reconnect attempts during the restart)`);
  await waitForText(page, '[aria-label="Terminal tab t1"]', o.missedText, 'output sent during the outage arrived');
  await page.screenshot({ path: `${o.screenshots}/workspace-resumed.png`, fullPage: true });

  // Narrow screen, keyboard: the command box is reachable with Tab and usable.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.focus('input[name="command"]');
  await page.keyboard.type(`echo ${o.commandText}-2`);
  await page.keyboard.press('Enter');
  await waitForText(page, '.tasks li[data-status="completed"]', `${o.commandText}-2`, 'command run by keyboard on a narrow screen');
  // xterm.js renders only while the terminal is on screen.
  await page.locator('[aria-label="Command output"]').scrollIntoViewIfNeeded();
  await waitForText(page, '[aria-label="Command output"]', `${o.commandText}-2`, 'its output in the terminal');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 1, `no horizontal scrolling on a narrow screen (${overflow}px)`);
  await page.screenshot({ path: `${o.screenshots}/workspace-narrow.png`, fullPage: true });

  // Other people's output cannot wipe the terminal: a full reset (ESC c, also split across
  // two events) and a soft reset (CSI ! p) in the tab's output leave its lines on screen.
  await page.setViewportSize({ width: 1280, height: 1000 });
  const t1 = '[aria-label="Terminal tab t1"]';
  await page.locator(t1).scrollIntoViewIfNeeded();
  await tabOutput('\x1bc');
  await tabOutput('\x1b');
  await tabOutput('c');
  await tabOutput('\x1b[!p');
  await tabOutput('after-the-resets\r\n');
  await waitForText(page, t1, 'after-the-resets', 'tab output after the reset sequences');
  const kept = await textOf(page, `${t1} .xterm-rows`);
  check(kept.includes(o.tabText) && kept.includes(o.missedText),
    `the reset sequences in the output did not wipe the terminal (on screen: ${JSON.stringify(kept.trim())})`);
  // `clear` (CSI H, CSI 2 J, CSI 3 J; the 3 J also split across two events): the screen is
  // cleared, what it showed goes to the scroll-back and stays there.
  await tabOutput('\x1b[H\x1b[2J\x1b[3J');
  await tabOutput('\x1b[3');
  await tabOutput('J');
  await tabOutput('after-the-clear\r\n');
  await waitForText(page, t1, 'after-the-clear', 'tab output after clear');
  const cleared = await textOf(page, `${t1} .xterm-rows`);
  check(!cleared.includes('after-the-resets'), `clear cleared the screen (on screen: ${JSON.stringify(cleared.trim())})`);
  const box = await page.locator(`${t1} .xterm-screen`).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -400);
  await page.waitForFunction(([s, t]) => [...document.querySelectorAll(s)].some((e) => e.textContent.includes(t)),
    [`${t1} .xterm-rows`, 'after-the-resets'], { timeout: WAIT }).catch(() => {});
  const scrolledBack = await textOf(page, `${t1} .xterm-rows`);
  check(scrolledBack.includes(o.tabText) && scrolledBack.includes('after-the-resets'),
    `clear left what ran in the scroll-back (scrolled back: ${JSON.stringify(scrolledBack.trim())})`);

  // Terminal hyperlinks (OSC 8) in output: one to the console itself carrying another
  // user's token is not followed (no dialog, no new tab, the page stays as it is); one to
  // another origin (localhost instead of 127.0.0.1) opens in a new tab without opener.
  const dialogs = [];
  let acceptDialogs = false;
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void (acceptDialogs ? d.accept() : d.dismiss());
  });
  await page.evaluate(() => {
    window.consoleTestOpened = [];
    const open = window.open;
    window.open = function (...args) {
      window.consoleTestOpened.push(args.map(String));
      return open.apply(this, args);
    };
  });
  const elsewhere = new URL(o.base);
  elsewhere.hostname = 'localhost';
  const osc8 = (uri, text) => `\x1b]8;;${uri}\x1b\\${text}\x1b]8;;\x1b\\`;
  await tabOutput(`${osc8(`${o.base}/console/workspaces/${o.workspace}#token=${o.otherToken}`, 'Re-open-here')} `
    + `${osc8(`${elsewhere.origin}/console/`, 'Open-elsewhere')}\r\n`);
  await waitForText(page, t1, 'Open-elsewhere', 'terminal hyperlinks in the tab output');
  const before = page.url();
  await clickLink(page, t1, 'Re-open-here');
  const opened = await page.evaluate(() => window.consoleTestOpened);
  check(dialogs.length === 0 && opened.length === 0 && page.url() === before,
    `a link to the console's own origin in the output is not followed (dialogs ${JSON.stringify(dialogs)}, opened ${JSON.stringify(opened)}, at ${page.url()})`);
  const popup = context.waitForEvent('page', { timeout: WAIT });
  await clickLink(page, t1, 'Open-elsewhere');
  const other = await popup;
  const openedElsewhere = await page.evaluate(() => window.consoleTestOpened);
  check(JSON.stringify(openedElsewhere) === JSON.stringify([[`${elsewhere.origin}/console/`, '_blank', 'noopener,noreferrer']])
    && new URL(other.url()).hostname === 'localhost' && dialogs.length === 0,
    `a link to another origin opens in a new tab, noopener (${JSON.stringify(openedElsewhere)}, ${other.url()})`);
  await other.close();

  // A #token=… link for another user: the page asks, and without a yes stays signed in
  // as its user (whose token stays in the tab), the fragment gone.
  const KEY = 'agent-hub.console.token';
  const signedInAs = async (user, token, what) => {
    await waitForText(page, '#nav .who', user, what);
    const stored = await page.evaluate((k) => sessionStorage.getItem(k), KEY);
    check(stored === token && !page.url().includes('token='), `${what}: the tab holds its token, no token in ${page.url()}`);
  };
  await page.goto(`${o.base}/console/#token=${o.otherToken}`);
  check(dialogs.length === 1 && dialogs[0].includes(`"${o.otherUser}"`) && dialogs[0].includes(`"${o.user}"`),
    `a token link for ${o.otherUser} asks ${o.user} (${JSON.stringify(dialogs)})`);
  await signedInAs(o.user, o.userToken, `dismissed: still ${o.user}`);
  // The same on a page already open (only the fragment changes, no page load).
  await page.goto(`${o.base}/console/workspaces/${o.workspace}`);
  await waitForText(page, '#agent-state', 'online', 'workspace open again');
  await page.goto(`${o.base}/console/workspaces/${o.workspace}#token=${o.otherToken}`);
  await page.waitForFunction(() => !location.hash.includes('token='), null, { timeout: WAIT });
  check(dialogs.length === 2, `a token link to the open page asks too (${dialogs.length} dialogs)`);
  await signedInAs(o.user, o.userToken, `dismissed on the open page: still ${o.user}`);
  // The same user's new token is taken without asking.
  await page.goto(`${o.base}/console/#token=${o.sameUserToken}`);
  await signedInAs(o.user, o.sameUserToken, `a new token of ${o.user} is taken`);
  check(dialogs.length === 2, 'without asking');
  // Accepted: the other user.
  acceptDialogs = true;
  await page.goto(`${o.base}/console/workspaces/${o.workspace}#token=${o.otherToken}`);
  check(dialogs.length === 3, 'asked again');
  await signedInAs(o.otherUser, o.otherToken, `accepted: now ${o.otherUser}`);

  // A refusal that says when to come back is not a bad token: with the user's connections
  // at its cap on this node, the page waits and retries (no sign-in form), and connects
  // once one of them is gone.
  await page.goto('about:blank'); // its own connection ends
  await step(`fill-cap ${o.otherUser}`);
  await page.goto(`${o.base}/console/workspaces/${o.workspace}`); // the tab's token
  await page.waitForSelector('#connection[data-state="disconnected"]', { timeout: WAIT });
  const told = await page.getAttribute('#connection', 'title');
  check(told.includes('connections on this node') && told.includes('retrying in'),
    `a page over its user's cap says it waits and retries (${told})`);
  check(await page.locator('form.signin').count() === 0, 'and asks for no token');
  await step('free-cap');
  await page.waitForSelector('#connection[data-state="connected"]', { timeout: WAIT });
  check(true, 'it connects once a place is free');

  // A user who may only watch (exec claim without the workspace) is told so: no New shell,
  // no Close, no typing into tabs.
  const watcherContext = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const watcher = await watcherContext.newPage();
  watch(watcher);
  await watcher.goto(`${o.base}/console/workspaces/${o.workspace}#token=${o.watcherToken}`);
  await waitForText(watcher, '#agent-state', 'online', 'a watcher opens the workspace');
  await waitForText(watcher, '#watch-only', 'may watch this workspace but not run commands', 'the watcher is told it may only watch');
  await waitForText(watcher, '[aria-label="Terminal tab t1"]', o.tabText, 'and sees the tab');
  check(await watcher.locator('form.newtab button').isDisabled() && await watcher.locator('input[name="command"]').isDisabled(),
    'New shell and the command box are disabled for the watcher');
  check(await watcher.locator('.tabbar button.close:visible').count() === 0 && await watcher.locator('.term.typing').count() === 0,
    'no Close control and no terminal that takes typing for the watcher');
  check(await watcher.locator('#upload-button').isDisabled() && await watcher.locator('#upload-file').isDisabled(),
    'the upload is disabled for the watcher');
  await waitForText(watcher, '#upload-note', 'may watch this workspace but not upload files', 'and the Files panel says why');
  await watcher.screenshot({ path: `${o.screenshots}/workspace-watcher.png`, fullPage: true });
  // A page that cannot know the user's rights (a gateway without mayExec) offers the
  // controls; the hub refuses, and the page shows the refusal and turns them off.
  await watcher.route('**/api/console/workspaces/*', async (route) => {
    const answer = await route.fetch();
    const body = await answer.json();
    delete body.mayExec;
    await route.fulfill({ response: answer, json: body });
  });
  await watcher.reload();
  await waitForText(watcher, '#agent-state', 'online', 'the watcher\'s page without its rights');
  await watcher.waitForSelector('form.newtab button:not([disabled])', { timeout: WAIT });
  check(await watcher.locator('#watch-only').isHidden(), 'it offers New shell');
  // The tabs so far (t1 and the shell closed above) are replayed before New shell is clicked.
  await watcher.waitForFunction(() => document.querySelectorAll('[role="tab"]').length >= 2, null, { timeout: WAIT });
  const tabsBefore = await watcher.locator('[role="tab"]').count();
  await watcher.click('form.newtab button');
  await waitForText(watcher, '#tab-error', 'forbidden', 'the hub\'s refusal (forbidden) is shown');
  await waitForText(watcher, '#tab-error', 'may watch this workspace but not run commands', 'in words');
  check(await watcher.locator('form.newtab button').isDisabled() && await watcher.locator('.term.typing').count() === 0
    && !(await watcher.locator('#watch-only').isHidden()), 'after the refusal the controls are off');
  const tabsAfter = await watcher.locator('[role="tab"]').count();
  check(tabsAfter === tabsBefore, `no tab was opened (${tabsBefore} tabs before, ${tabsAfter} after)`);
  await watcher.screenshot({ path: `${o.screenshots}/workspace-refused.png`, fullPage: true });
  await watcherContext.close();

  // The operator view (admin token) lists the workspace.
  const operator = await context.newPage();
  watch(operator);
  await operator.goto(`${o.base}/console/operator#token=${o.adminToken}`);
  await waitForText(operator, '#workspaces a', o.workspace, 'operator view lists the workspace');
  await waitForText(operator, '#channels', `workspace:${o.workspace}`, 'operator view lists its channel');
  await operator.screenshot({ path: `${o.screenshots}/operator.png`, fullPage: true });

  // `/` leads to the console.
  const root = await context.newPage();
  watch(root);
  await root.goto(`${o.base}/`);
  check(new URL(root.url()).pathname === '/console/', `/ leads to ${root.url()}`);
  await root.screenshot({ path: `${o.screenshots}/home.png`, fullPage: true });

  check(askedAfterSignIn === 0, `the signed-out page asked the hub nothing more (${askedAfterSignIn} requests)`);
  await expiring.close();

  check(errors.length === 0, `no errors in the browser console ${JSON.stringify(errors)}`);
  console.log('PASS console');
} finally {
  await browser.close();
  stdin.close(); // else the open stdin keeps node running
}
