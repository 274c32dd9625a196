/**
 * Browser-test harness: the local hub (`npm start`, HUB_STORE=memory, a free port) as a child
 * process, Debian's Chromium through playwright-core, axe-core injected into each screen, and
 * screenshots into the git-ignored `artifacts/screenshots/`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(root, 'artifacts/screenshots');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface RunningHub {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `npm start` in its own process group and waits until /health answers. With
 * `SITE_TEST_HUB_URL` set, uses that running hub instead (quicker when iterating on the site).
 */
export async function startHub(timeoutMs = 180_000): Promise<RunningHub> {
  const running = process.env.SITE_TEST_HUB_URL;
  if (running) return { url: running.replace(/\/$/, ''), output: () => '', stop: async () => undefined };
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  // its own build folder, so that other suites starting a hub in parallel never rebuild under it
  const buildDir = mkdtempSync(join(tmpdir(), 'site-browser-build-'));
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      HUB_STORE: 'memory',
      HUB_BUILD_DIR: buildDir,
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    log += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    log += chunk;
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      // The hub stops Java and the worker on SIGTERM; the group signal covers npm's wrapper too.
      process.kill(-child.pid, 'SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
      if (!done) process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(buildDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the hub exited early:\n${log}`);
    // /health proves the API answers; the banner proves start-up (demo data included) is over.
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy && log.includes('ready at')) return { url, output: () => log, stop };
    await sleep(500);
  }
  await stop();
  throw new Error(`the hub did not become ready in ${timeoutMs} ms:\n${log}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core on the current screen and returns its serious and critical violations. The
 * script is evaluated through the DevTools protocol, which the page's CSP does not govern, so
 * the site's own CSP stays strict during the test.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, { resultTypes: ['violations'] })) as { violations: unknown[] };
    return result.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/** Saves a full-page screenshot as artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Presses Tab until the focused element matches `selector` (keyboard-only navigation); fails
 * if it is not reached within `maxTabs` presses.
 */
export async function tabTo(page: Page, selector: string, maxTabs = 80): Promise<void> {
  for (let i = 0; i < maxTabs; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}
