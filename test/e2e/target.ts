/**
 * Where the end-to-end suite runs: a local hub started as `npm start` in a child process
 * (HUB_STORE=memory, a free port), or a deployed stack when E2E_BASE_URL is set:
 *
 *   E2E_BASE_URL          the HTTP API's URL (e.g. https://abc.execute-api.us-east-1.amazonaws.com)
 *   E2E_SHOPPER_TOKEN     a Cognito access token of a user in `shoppers`
 *   E2E_SHOPPER2_TOKEN    a second shopper's access token
 *   E2E_OPERATOR_TOKEN    an access token of a user in `operators`
 *   E2E_VENUE_ID          the venue (default flagship-001)
 *
 * The local-only checks (/local/outbox, /local/appconfig) are skipped against a stack.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_ENTRY_POINTS } from '../../src/local/bundles.ts';
import { freePort, REPO_ROOT } from '../../src/local/dynamodb-local.ts';

export type Role = 'shopper' | 'shopper2' | 'operator';

export interface Target {
  baseUrl: string;
  venueId: string;
  local: boolean;
  token(role: Role): Promise<string>;
  /** local: everything the hub printed so far */
  output(): string;
  /**
   * local: SIGTERM to `npm start` alone (the hub must stop its own children), or to the whole
   * process group with `group`; SIGKILL to the group after 20 s either way.
   */
  stop(options?: { group?: boolean }): Promise<{ code: number | null; signal: string | null } | undefined>;
}

const USERS: Record<Role, { username: string; groups: string[] }> = {
  shopper: { username: 'e2e-shopper', groups: ['shoppers'] },
  shopper2: { username: 'e2e-shopper-two', groups: ['shoppers'] },
  operator: { username: 'e2e-operator', groups: ['operators'] },
};

function remoteTarget(baseUrl: string): Target {
  const tokens: Record<Role, string | undefined> = {
    shopper: process.env.E2E_SHOPPER_TOKEN,
    shopper2: process.env.E2E_SHOPPER2_TOKEN,
    operator: process.env.E2E_OPERATOR_TOKEN,
  };
  return {
    baseUrl: baseUrl.replace(/\/$/, ''),
    venueId: process.env.E2E_VENUE_ID ?? 'flagship-001',
    local: false,
    async token(role) {
      const token = tokens[role];
      if (!token) throw new Error(`E2E_${role.toUpperCase()}_TOKEN is not set`);
      return token;
    },
    output: () => '',
    stop: async () => undefined,
  };
}

/** Starts `npm start` and resolves once it prints that it is ready. */
export async function startLocalHub(
  extraEnv: Record<string, string> = {},
): Promise<Target & { child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    // Its own process group: the suite stops the whole tree (npm, node, Java, worker) at once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HUB_STORE: 'memory',
      // A private build folder: other test files may be building dist/ at the same time.
      HUB_BUILD_DIR: mkdtempSync(join(tmpdir(), 'hub-e2e-build-')),
      DYNAMODB_ENDPOINT: '',
      ...extraEnv,
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  const deadline = Date.now() + 240_000;
  while (!output.includes('Venue hub ready at')) {
    if (child.exitCode !== null)
      throw new Error(`npm start exited with ${child.exitCode}:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) {
      process.kill(-(child.pid as number), 'SIGKILL');
      throw new Error(`npm start was not ready within 240 s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    child,
    baseUrl,
    venueId: 'flagship-001',
    local: true,
    async token(role) {
      const response = await fetch(`${baseUrl}/local/cognito/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(USERS[role]),
      });
      return ((await response.json()) as { access_token: string }).access_token;
    },
    output: () => output,
    async stop(options = {}) {
      const pid = child.pid as number;
      if (child.exitCode === null && child.signalCode === null)
        process.kill(options.group ? -pid : pid, 'SIGTERM');
      const timer = setTimeout(() => {
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // already gone
        }
      }, 20_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

export async function openTarget(): Promise<Target> {
  const remote = process.env.E2E_BASE_URL;
  return remote ? remoteTarget(remote) : startLocalHub();
}

/** True when something accepts TCP connections on the port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolvePort(true);
    });
    socket.once('error', () => resolvePort(false));
  });
}

/** True while any process of the group still exists. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Entry points of the bundles that do not exist in this checkout. */
export function missingEntryPoints(): string[] {
  return Object.values(BUNDLE_ENTRY_POINTS).filter((entry) => !existsSync(join(REPO_ROOT, entry)));
}
