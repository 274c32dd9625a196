/**
 * The queue worker (ECS Fargate): the composition root. SDK clients and adapters are built
 * once from src/config/env.ts; the loop runs every WORKER_INTERVAL_MS until SIGTERM/SIGINT,
 * finishes the cycle in flight (its conditional writes complete), gives up the worker lease
 * and exits 0.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { AppConfigRulesProvider } from '../src/adapters/appconfig/rules-provider.ts';
import { createDocumentClient, createDynamoStores } from '../src/adapters/dynamodb/index.ts';
import {
  appConfigSettings,
  awsRegion,
  serviceEndpoints,
  tableNames,
  workerSettings,
} from '../src/config/env.ts';
import { createLogger } from '../src/observability/log.ts';
import { QueueWorker } from '../src/worker/queue-worker.ts';
import { runLoop } from '../src/worker/run-loop.ts';

const logger = createLogger('worker');
const settings = workerSettings();
const endpoints = serviceEndpoints();
const region = awsRegion();

const stores = createDynamoStores(createDocumentClient(endpoints.dynamodb), tableNames());
const appConfig = new AppConfigDataClient({
  region,
  ...(endpoints.appconfigdata ? { endpoint: endpoints.appconfigdata } : {}),
});

// names this task in the lease (and in its logs): the host and a random part, unique per start
const owner = `${hostname()}-${randomUUID().slice(0, 8)}`;
const worker = new QueueWorker({
  rules: new AppConfigRulesProvider(appConfig, appConfigSettings(), logger.child({ component: 'rules' })),
  queue: stores.queue,
  slots: stores.slots,
  clock: { now: () => new Date() },
  logger,
  // one task at a time plans: ECS runs two during a rolling deployment (ADR 0507)
  lease: { store: stores.workerLease, owner, seconds: settings.leaseSeconds },
  // what it learns of service times passes to the next holder of the lease
  serviceTimes: stores.serviceTimes,
});

const stop = new AbortController();
const requestStop = (signal: string) => {
  logger.info('stop requested; finishing the current cycle', { signal });
  stop.abort();
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => requestStop(signal));
// Started by the local hub (a child with an IPC channel; ECS gives none): when the hub is
// gone, even SIGKILLed, the channel closes and the worker stops as on SIGTERM.
if (process.channel) {
  process.channel.unref();
  process.once('disconnect', () => requestStop('parent gone'));
}

logger.info('worker started', { intervalMs: settings.intervalMs, owner });
await runLoop({
  cycle: () => worker.runOnce(),
  intervalMs: settings.intervalMs,
  healthFile: settings.healthFile,
  logger,
  signal: stop.signal,
});
// the cycle in flight has finished: a standby may take over now rather than when the lease ends
await worker.release();
process.exitCode = 0;
