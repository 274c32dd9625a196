/**
 * The worker's outer loop: a cycle, a touch of the health file, a pause, until stopped. A stop
 * (SIGTERM from ECS, SIGINT) cuts the pause short but never a cycle: the writes in flight
 * finish, then the loop returns and the process exits 0. A failing cycle is logged and retried
 * after the pause; the health file is touched only after a cycle that completed, so a worker
 * stuck failing goes stale and ECS replaces it.
 */
import { utimes, writeFile } from 'node:fs/promises';
import { errorName, type Logger } from '../observability/log.ts';

export interface LoopOptions {
  cycle: () => Promise<unknown>;
  intervalMs: number;
  healthFile?: string;
  logger: Logger;
  signal: AbortSignal;
}

/** Touches (creates or re-stamps) the health file. */
async function touchHealthFile(path: string): Promise<void> {
  const at = new Date();
  try {
    await utimes(path, at, at);
  } catch {
    await writeFile(path, `${at.toISOString()}\n`);
    await utimes(path, at, at);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Runs cycles until `signal` aborts; resolves with the number of cycles that completed. */
export async function runLoop(options: LoopOptions): Promise<number> {
  const { logger, signal } = options;
  let completed = 0;
  while (!signal.aborted) {
    const started = Date.now();
    try {
      await options.cycle();
      completed++;
      if (options.healthFile !== undefined) await touchHealthFile(options.healthFile);
    } catch (error) {
      logger.error('worker cycle failed', { error: errorName(error) });
    }
    await pause(Math.max(0, options.intervalMs - (Date.now() - started)), signal);
  }
  logger.info('worker stopped', { cycles: completed });
  return completed;
}
