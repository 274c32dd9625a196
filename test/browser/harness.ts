/**
 * Browser-test harness: the local hub (`npm start`, HUB_STORE=memory, a free port) as a child
 * process, Debian's Chromium through playwright-core, axe-core injected into each screen, and
 * screenshots into the git-ignored `artifacts/screenshots/`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { startHubProcess } from '../../scripts/hub-process.ts';
import { sessionFromToken } from '../../site/src/session.ts';

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

// The suites always run against the real hub; on a checkout where the hub or the code it runs
// (API handler, worker) has not landed yet there is nothing to run them against.
const HUB_PARTS = ['scripts/start.ts', 'src/handlers/venue-api.ts', 'worker/main.ts'];

/** Why a browser suite cannot run on this checkout (its `skip`), or false. */
export function hubMissing(): string | false {
  const missing = HUB_PARTS.filter((part) => !existsSync(join(root, part)));
  return missing.length > 0 && `the local hub cannot run yet: ${missing.join(', ')} missing`;
}

/**
 * The hub and Chromium of one browser suite: started before its tests, stopped after them
 * (with every browser context the suite opened). Construct it inside the suite's `describe`.
 */
export class BrowserSuite {
  private running: RunningHub | undefined;
  private chromium: Browser | undefined;
  private readonly contexts: BrowserContext[] = [];

  constructor() {
    before(async () => {
      this.running = await startHub();
      this.chromium = await launchChromium();
    });
    after(async () => {
      for (const context of this.contexts) await context.close().catch(() => undefined);
      await this.chromium?.close().catch(() => undefined);
      await this.running?.stop();
    });
  }

  /** The hub's base URL. */
  get url(): string {
    if (!this.running) throw new Error('the hub has not started');
    return this.running.url;
  }

  /** A page in a browser context of its own (its own session and storage). */
  async newPage(options: BrowserContextOptions): Promise<Page> {
    if (!this.chromium) throw new Error('Chromium has not started');
    const context = await this.chromium.newContext(options);
    this.contexts.push(context);
    return context.newPage();
  }
}

/** Signs `page` in as a sign-in would: the token's session in the session store. */
export async function storeSession(page: Page, accessToken: string): Promise<void> {
  const session = JSON.stringify(sessionFromToken(accessToken));
  await page.evaluate((value) => sessionStorage.setItem('venue-hub.session', value), session);
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

/** What the keyboard focus is on: tag, name or id, and text, for assertion messages. */
export function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}[${el.getAttribute('name') ?? ''}] ${el.textContent?.slice(0, 40)}`;
  });
}

/**
 * Waits until keyboard focus is on an element matching `selector` (and reading `text`); when
 * it never gets there, fails saying where the focus is instead.
 */
export async function focusReaches(page: Page, selector: string, text?: string): Promise<void> {
  await page
    .waitForFunction(
      ([s, t]) => {
        const el = document.activeElement;
        return Boolean(el?.matches(s)) && (t === undefined || el?.textContent === t);
      },
      [selector, text] as const,
      { timeout: 5000 },
    )
    .catch(async () => assert.fail(`focus is on ${await describeFocus(page)}, not ${selector}`));
}

/**
 * Records what the page's live regions (`role="status"`, `aria-live`) say: `drawn:<text>`
 * when a region appears, `filled:<text>` when its text changes before the page has been
 * rendered with it, `said:<text>` when its text changes once it has been (two animation frames
 * after it appeared; regions already on the page when recording starts have been), and
 * `busy:<text>` when it changes inside an `aria-busy` element, which assistive technology may
 * hold back. Screen readers announce only `said`: a region inserted and filled before the page
 * is rendered again is new to them, not changed. A change is logged once per region and
 * batch of mutations (a `replace` is several), with the text the region then holds, whether
 * it was written into the region, into an element inside it, or into a text node.
 */
export async function recordStatusRegions(page: Page): Promise<void> {
  await page.evaluate(() => {
    const LIVE = '[role="status"], [aria-live]:not([aria-live="off"])';
    const log: string[] = [];
    const shown = new WeakSet<Element>(Array.from(document.querySelectorAll(LIVE)));
    (window as unknown as { statusLog: string[] }).statusLog = log;
    new MutationObserver((records) => {
      const changed = new Set<Element>();
      for (const record of records) {
        for (const node of Array.from(record.addedNodes)) {
          if (!(node instanceof Element)) continue;
          for (const el of [node, ...Array.from(node.querySelectorAll(LIVE))]) {
            if (!el.matches(LIVE)) continue;
            log.push(`drawn:${el.textContent}`);
            requestAnimationFrame(() => requestAnimationFrame(() => shown.add(el)));
          }
        }
        const target = record.target instanceof Element ? record.target : record.target.parentElement;
        // a region's own insertion is "drawn" above (its parent is the target, not a region)
        const region = target?.closest(LIVE);
        if (region && (record.type === 'characterData' || record.addedNodes.length > 0)) changed.add(region);
      }
      for (const region of changed) {
        const state = region.closest('[aria-busy="true"]') ? 'busy' : shown.has(region) ? 'said' : 'filled';
        log.push(`${state}:${region.textContent}`);
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

/**
 * Waits until the router has drawn the screen: its view is no longer `aria-busy` (the
 * "Loading…" the screen showed is gone with it).
 */
export async function screenDrawn(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const view = document.querySelector('#main > .view');
      return view !== null && !view.hasAttribute('aria-busy');
    },
    undefined,
    { timeout },
  );
}

/** What `recordStatusRegions` has seen so far. */
export function statusLog(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { statusLog: string[] }).statusLog);
}
