/**
 * Runs the worker bundle as a child process, as ECS runs the worker image: its own process
 * with the hub's environment, stopped with SIGTERM (the worker drains and exits). Its log
 * lines at warn and above are passed on; a crash is reported and the worker restarted after a
 * pause, as the ECS service would replace a stopped task.
 *
 * Before each start the hub ends the worker lease (ADR 0507) that an earlier worker process
 * left behind: it runs the only worker there is, and that one has exited (a crash, or a hub
 * that died and left its kept tables), so nobody else can hold it, and the new worker plans at
 * once instead of standing by for up to WORKER_LEASE_SECONDS. In AWS a replacement task waits,
 * because another task may still be running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Db } from '../adapters/dynamodb/db.ts';
import { DynamoWorkerLease } from '../adapters/dynamodb/worker-state.ts';
import type { TableNames } from '../config/tables.ts';
import { errorName, type Logger } from '../observability/log.ts';

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

/**
 * Ends the lease on the queue-state table's `WORKER#LEASE` item, if there is one, as a stopping
 * worker releases it (`leaseUntil` 0, `renewedAt` kept for the operators' board); true when
 * there was one to end.
 */
export function endLeftoverLease(doc: DynamoDBDocumentClient, tables: TableNames): Promise<boolean> {
  return new DynamoWorkerLease(new Db(doc, tables)).endLeftover();
}

export interface SuperviseOptions {
  /** runs before each start of the worker process (a failure is logged; the worker starts anyway) */
  beforeStart?: () => Promise<void>;
}

export function superviseWorker(
  bundle: string,
  env: Record<string, string>,
  logger: Logger,
  options: SuperviseOptions = {},
): SupervisedWorker {
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let current: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    await options.beforeStart?.().catch((error: unknown) => {
      logger.warn('before the worker started', { error: errorName(error) });
    });
    if (!stopping) current = start();
  };
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
        if (!stopping) starting = launch();
      }, 2000);
    });
    return child;
  };
  let starting = launch();
  return {
    pid: () => current?.pid,
    async stop(graceMs = 5000) {
      stopping = true;
      clearTimeout(restartTimer);
      await starting;
      const child = current;
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
