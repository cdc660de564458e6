// The web console in a real browser (Debian's chromium through playwright-core), against
// a hub started by ConsoleIntegrationTests. Usage: node console.mjs '<options JSON>'.
// Prints "STEP <name>" and waits for a line on stdin when the Java side must act, and
// "PASS console" at the end. Every page's screenshot goes to options.screenshots.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';

const o = JSON.parse(process.argv[2]);
const WAIT = 20_000;
const stdin = createInterface({ input: process.stdin });
const answers = stdin[Symbol.asyncIterator]();

async function step(name) {
  console.log(`STEP ${name}`);
  const { value } = await answers.next();
  if (value !== 'ok') throw new Error(`step ${name}: ${value}`);
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
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const watch = (page) => {
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (outage && m.text().includes('net::ERR_CONNECTION_REFUSED')) refusedDuringOutage++;
      else errors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e}`));
  };

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

  // A command typed into the page streams its output and exit code.
  await page.fill('input[name="command"]', `echo ${o.commandText}`);
  await page.press('input[name="command"]', 'Enter');
  await waitForText(page, '[aria-label="Command output"]', o.commandText, 'command output streamed');
  await waitForText(page, '.tasks li[data-status="completed"]', 'exit code 0', 'command completed, exit code 0');
  await page.fill('input[name="command"]', 'sh -c "exit 3"');
  await page.press('input[name="command"]', 'Enter');
  await waitForText(page, '.tasks li[data-status="failed"]', 'exit code 3', 'failing command, exit code 3');
  await page.screenshot({ path: `${o.screenshots}/workspace.png`, fullPage: true });

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

  check(errors.length === 0, `no errors in the browser console ${JSON.stringify(errors)}`);
  console.log('PASS console');
} finally {
  await browser.close();
  stdin.close(); // else the open stdin keeps node running
}
