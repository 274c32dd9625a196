/**
 * A hub that dies without stopping its children (SIGKILL, a closed terminal) must not leave
 * Java or the worker running: the reaper stops the one, the IPC channel the other.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { loadTemplate } from '../../src/local/cfn-template.ts';
import { bundleEnvironment } from '../../src/local/hub-env.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end >= 0) resolveLine(text.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before a line`)));
  });
}

describe('children of a killed hub', () => {
  it('the reaper stops a child once its parent is SIGKILLed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reaper-'));
    const script = join(dir, 'parent.ts');
    writeFileSync(
      script,
      `import { spawn } from 'node:child_process';
import { reapWithParent } from ${JSON.stringify(join(ROOT, 'src/local/reaper.ts'))};
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
reapWithParent(child.pid!);
console.log(child.pid);
setInterval(() => {}, 1000);
`,
    );
    const parent = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const childPid = Number(await firstLine(parent));
    assert.ok(alive(childPid));
    parent.kill('SIGKILL');
    await until('the orphan is stopped', () => !alive(childPid));
  });

  it('the worker stops by itself when the hub that started it is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'worker-orphan-'));
    // Nothing answers on port 9: every cycle fails and is logged; the loop goes on.
    const env = bundleEnvironment({
      template: loadTemplate(join(ROOT, 'template.yaml')),
      url: 'http://127.0.0.1:9',
      dynamodbEndpoint: 'http://127.0.0.1:9',
      tables: {
        events: 'e',
        reservations: 'r',
        pickupSlots: 'p',
        queueState: 'q',
        preferences: 'f',
      },
      topics: [],
      healthFile: join(dir, 'health'),
    });
    const worker = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'worker/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let log = '';
    worker.stdout!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
    await until('the worker started', () => log.includes('worker started'), 30_000);
    worker.disconnect(); // what the channel does when the hub dies
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'still running'>((r) => {
      timer = setTimeout(() => r('still running'), 15_000);
    });
    const outcome = await Promise.race([exited, gaveUp]);
    clearTimeout(timer);
    if (outcome === 'still running') worker.kill('SIGKILL');
    assert.equal(outcome, 0);
    assert.match(log, /parent gone/);
  });
});
