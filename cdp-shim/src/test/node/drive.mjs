// Drives Chrome through the CDP shim with a real client, the way a tool in a container
// would: launch the shim as if it were chromium, open a page, read its title, take a
// screenshot, close the browser. Prints one JSON line with what it saw; exits non-zero
// on any failure. Used by CdpClientsIntegrationTests.
//
//   node drive.mjs <puppeteer-ws|puppeteer-pipe|playwright> <shim executable> <page url>
//
// CDP_HOST / CDP_PORT in the environment point the shim at the real Chrome.

const [mode, shim, url] = process.argv.slice(2);
if (!mode || !shim || !url) {
  console.error('usage: node drive.mjs <puppeteer-ws|puppeteer-pipe|playwright> <shim> <url>');
  process.exit(2);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function describePng(bytes) {
  const buffer = Buffer.from(bytes);
  return {
    pngBytes: buffer.length,
    pngSignature: PNG_SIGNATURE.every((b, i) => buffer[i] === b),
  };
}

async function withPuppeteer(pipe) {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath: shim,
    headless: true,
    pipe,
    timeout: 30_000,
    protocolTimeout: 30_000,
  });
  const version = await browser.version();
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  const title = await page.title();
  const png = await page.screenshot({ type: 'png' });
  const child = browser.process();
  await browser.close();
  return { version, title, ...describePng(png), shimExitCode: child ? child.exitCode : null };
}

async function withPlaywright() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: shim, headless: true, timeout: 30_000 });
  const version = browser.version();
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  const title = await page.title();
  const png = await page.screenshot({ type: 'png' });
  await browser.close();
  return { version, title, ...describePng(png) };
}

const drivers = {
  'puppeteer-ws': () => withPuppeteer(false),
  'puppeteer-pipe': () => withPuppeteer(true),
  playwright: withPlaywright,
};

if (!drivers[mode]) {
  console.error(`unknown mode ${mode}; one of ${Object.keys(drivers).join(', ')}`);
  process.exit(2);
}

const watchdog = setTimeout(() => {
  console.error(`${mode}: no result within 90 s`);
  process.exit(3);
}, 90_000);

try {
  const result = await drivers[mode]();
  console.log(JSON.stringify({ client: mode, ...result }));
  clearTimeout(watchdog);
} catch (error) {
  console.error(`${mode} failed:`, error);
  process.exit(1);
}
