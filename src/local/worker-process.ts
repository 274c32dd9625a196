/**
 * Runs the worker bundle as a child process, as ECS runs the worker image: its own process
 * with the hub's environment, stopped with SIGTERM (the worker drains and exits). Its log
 * lines at warn and above are passed on; a crash is reported and the worker restarted after a
 * pause, as the ECS service would replace a stopped task.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Logger } from '../observability/log.ts';

function forwardWarnings(stream: NodeJS.ReadableStream | null): void {
  let pending = '';
  stream?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      let level = 'info';
      try {
        level = (JSON.parse(line) as { level?: string }).level ?? 'info';
      } catch {
        level = 'warn';
      }
      if (level === 'warn' || level === 'error') process.stderr.write(`[worker] ${line}\n`);
    }
  });
}

export interface SupervisedWorker {
  /** the current worker process id */
  pid(): number | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; no restart afterwards */
  stop(graceMs?: number): Promise<void>;
}

export function superviseWorker(
  bundle: string,
  env: Record<string, string>,
  logger: Logger,
): SupervisedWorker {
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  const start = (): ChildProcess => {
    const child = spawn(process.execPath, ['--enable-source-maps', bundle], {
      env: { ...process.env, ...env },
      // the IPC channel closes when the hub ends, however it ends: the worker then stops too
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    forwardWarnings(child.stdout);
    forwardWarnings(child.stderr);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      logger.error('worker exited; restarting in 2 s', { code, signal });
      restartTimer = setTimeout(() => {
        if (!stopping) current = start();
      }, 2000);
    });
    return child;
  };
  let current = start();
  return {
    pid: () => current.pid,
    async stop(graceMs = 5000) {
      stopping = true;
      clearTimeout(restartTimer);
      if (current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise<void>((r) => current.once('exit', () => r()));
      current.kill('SIGTERM');
      const timer = setTimeout(() => current.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
