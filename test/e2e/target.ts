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
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { hubToken, REPO_ROOT, startHubProcess } from '../../scripts/hub-process.ts';
import { BUNDLE_ENTRY_POINTS } from '../../src/local/bundles.ts';

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

/** Starts `npm start` (its own process group) and resolves once it prints that it is ready. */
export async function startLocalHub(
  extraEnv: Record<string, string> = {},
): Promise<Target & { child: ChildProcess }> {
  const hub = await startHubProcess({
    group: true,
    privateBuild: true,
    env: { DYNAMODB_ENDPOINT: '', ...extraEnv },
  });
  return {
    child: hub.child,
    baseUrl: hub.url,
    venueId: 'flagship-001',
    local: true,
    token: (role) => hubToken(hub.url, USERS[role].username, USERS[role].groups),
    output: hub.output,
    stop: (options = {}) => hub.stop(options),
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
