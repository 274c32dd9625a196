/**
 * The local hub as a child process, for the fuzz and load scripts: `npm start` with
 * HUB_STORE=memory on a free port, its (verbose) output kept in a log file, stopped with
 * SIGTERM so that DynamoDB Local and the worker go with it. Plus the two calls every script
 * needs: a token from the local issuer, and JSON requests.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..');

export interface HubProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
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

/**
 * Starts `scripts/start.ts` (HUB_STORE=memory) and resolves once it prints that it is ready. On
 * a crowded machine DynamoDB Local can miss the hub's start-up deadline; one more attempt (on a
 * new port) is made before giving up.
 */
export async function startHubProcess(
  logFile: string,
  timeoutMs = 240_000,
  attempts = 2,
): Promise<HubProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(logFile, timeoutMs);
    } catch (error) {
      if (attempt >= attempts) throw error;
      process.stderr.write(`hub start failed (${(error as Error).message}); trying again\n`);
    }
  }
}

async function startOnce(logFile: string, timeoutMs: number): Promise<HubProcess> {
  const port = await freePort();
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HUB_STORE: 'memory' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
  await new Promise<void>((resolveReady, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the hub was not ready within ${timeoutMs / 1000} s (log: ${logFile})`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes('Venue hub ready at')) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited with ${code} before it was ready (log: ${logFile})`));
    });
  });
  return { url, pid: child.pid ?? 0, stop };
}

/** An access token for `username` from the hub's local issuer. */
export async function hubToken(url: string, username: string, groups: string[]): Promise<string> {
  const res = await fetch(`${url}/local/cognito/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, groups }),
  });
  if (!res.ok) throw new Error(`token for ${username}: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A JSON request; throws unless the status is the expected one. */
export async function requestJson(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; expect?: number } = {},
  // biome-ignore lint/suspicious/noExplicitAny: scripts read arbitrary JSON answers
): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  if (options.expect !== undefined && res.status !== options.expect) {
    throw new Error(`${method} ${path}: expected ${options.expect}, got ${res.status} ${text}`);
  }
  return text === '' ? undefined : JSON.parse(text);
}
