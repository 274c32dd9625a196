/**
 * The local hub as a child process, the one way every suite and script starts it: the e2e
 * suite and the browser tests run `npm start` exactly as the README says (in its own process
 * group, with a private build folder), the fuzz and load scripts the start script itself. Its
 * output is kept (and optionally written to a log file); it is ready when it prints its banner,
 * which comes after the demo data. Plus the two calls every script needs: a token from the
 * local issuer, and JSON requests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, REPO_ROOT } from '../src/local/dynamodb-local.ts';

export { REPO_ROOT };

export interface HubProcessOptions {
  /** `npm start` as the README says (default), or `scripts/start.ts` without npm's wrapper */
  via?: 'npm' | 'node';
  /** its own process group, so that `stop({ group: true })` reaches npm, node, Java and the worker */
  group?: boolean;
  /** a build folder of its own (removed on stop): other suites may be building dist/ meanwhile */
  privateBuild?: boolean;
  /** environment on top of this process's (HUB_STORE=memory unless set) */
  env?: Record<string, string>;
  /** also write everything it prints here */
  logFile?: string;
  timeoutMs?: number;
  /** on a crowded machine DynamoDB Local can miss the start-up deadline: try again on a new port */
  attempts?: number;
}

export interface Exit {
  code: number | null;
  signal: string | null;
}

export interface HubProcess {
  url: string;
  child: ChildProcess;
  /** everything it printed so far */
  output(): string;
  /** SIGTERM to the hub (or its whole group), SIGKILL to the group after 20 s */
  stop(options?: { group?: boolean }): Promise<Exit>;
}

const READY = 'Venue hub ready at';

/** Starts the hub and resolves once it is ready (demo data included). */
export async function startHubProcess(options: HubProcessOptions = {}): Promise<HubProcess> {
  const attempts = options.attempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt >= attempts) throw error;
      process.stderr.write(`hub start failed (${(error as Error).message.split('\n')[0]}); trying again\n`);
    }
  }
}

async function startOnce(options: HubProcessOptions): Promise<HubProcess> {
  const port = await freePort();
  const timeoutMs = options.timeoutMs ?? 240_000;
  const buildDir = options.privateBuild ? mkdtempSync(join(tmpdir(), 'hub-build-')) : undefined;
  const [command, args] =
    options.via === 'node' ? [process.execPath, ['--import', 'tsx', 'scripts/start.ts']] : ['npm', ['start']];
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    detached: options.group === true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      HUB_STORE: 'memory',
      ...(buildDir ? { HUB_BUILD_DIR: buildDir } : {}),
      ...options.env,
      PORT: String(port),
    },
  });
  let output = '';
  const log = options.logFile === undefined ? undefined : openLog(options.logFile);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      log?.write(chunk);
    });
  }
  const exited = new Promise<Exit>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const kill = (signal: NodeJS.Signals, group: boolean) => {
    try {
      process.kill(group && options.group ? -(child.pid as number) : (child.pid as number), signal);
    } catch {
      // already gone
    }
  };
  const stop = async (how: { group?: boolean } = {}): Promise<Exit> => {
    if (child.exitCode === null && child.signalCode === null) kill('SIGTERM', how.group === true);
    const timer = setTimeout(() => kill('SIGKILL', true), 20_000);
    const result = await exited;
    clearTimeout(timer);
    log?.end();
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
    return result;
  };
  const deadline = Date.now() + timeoutMs;
  while (!output.includes(READY)) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(
        `the hub exited with ${child.exitCode ?? child.signalCode} before it was ready:\n${output.slice(-4000)}`,
      );
    }
    if (Date.now() > deadline) {
      await stop({ group: true });
      throw new Error(`the hub was not ready within ${timeoutMs / 1000} s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: `http://127.0.0.1:${port}`, child, output: () => output, stop };
}

function openLog(file: string) {
  mkdirSync(dirname(file), { recursive: true });
  return createWriteStream(file);
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
