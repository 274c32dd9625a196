/**
 * Browser-test harness: the local hub (`npm start`, HUB_STORE=memory, a free port) as a child
 * process, Debian's Chromium through playwright-core, axe-core injected into each screen, and
 * screenshots into the git-ignored `artifacts/screenshots/`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startHubProcess } from '../../scripts/hub-process.ts';

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

export interface RunningHub {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `npm start` in its own process group and waits until it is ready (demo data
 * included). With `SITE_TEST_HUB_URL` set, uses that running hub instead (quicker when
 * iterating on the site).
 */
export async function startHub(timeoutMs = 180_000): Promise<RunningHub> {
  const running = process.env.SITE_TEST_HUB_URL;
  if (running) return { url: running.replace(/\/$/, ''), output: () => '', stop: async () => undefined };
  const hub = await startHubProcess({
    group: true,
    privateBuild: true,
    env: { NODE_ENV: 'development' },
    timeoutMs,
  });
  // The hub stops Java and the worker on SIGTERM; the group signal covers npm's wrapper too.
  return { url: hub.url, output: hub.output, stop: async () => void (await hub.stop({ group: true })) };
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

/** Waits until keyboard focus is on an element matching `selector` (and reading `text`). */
export async function focusReaches(page: Page, selector: string, text?: string): Promise<void> {
  await page.waitForFunction(
    ([s, t]) => {
      const el = document.activeElement;
      return Boolean(el?.matches(s)) && (t === undefined || el?.textContent === t);
    },
    [selector, text] as const,
    { timeout: 5000 },
  );
}
