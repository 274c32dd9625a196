/**
 * outbox-sweeper Lambda (an EventBridge schedule, every minute): the composition root of the
 * outbox sweep (src/outbox/outbox-sweep.ts, ADR 0311). The DynamoDB and EventBridge clients
 * are built once per container from src/config/env.ts; each invocation sweeps the events the
 * API wrote and could not publish. It throws when the sweep could not finish (the store or the
 * bus out of reach), so that Lambda counts an error; the next scheduled sweep tries again.
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import { createDocumentClient, createDynamoStores } from '../adapters/dynamodb/index.ts';
import { awsRegion, eventBusName, outboxSweepSettings, serviceEndpoints, tableNames } from '../config/env.ts';
import { createLogger } from '../observability/log.ts';
import { type SweepReport, sweepOutbox } from '../outbox/outbox-sweep.ts';
import { createEventBridgePublisher } from './event-publisher.ts';

const logger = createLogger('outbox-sweeper');
const endpoints = serviceEndpoints();
const settings = outboxSweepSettings();
const stores = createDynamoStores(createDocumentClient(endpoints.dynamodb), tableNames());
const publisher = createEventBridgePublisher(awsRegion(), eventBusName(), endpoints.eventbridge);
const clock = { now: () => new Date() };

/**
 * Another round starts only while this much of the invocation is left: a round is one Query,
 * five PutEvents calls and their marks, each with the SDK's own retries.
 */
const ROUND_RESERVE_MS = 15_000;

/** Schedule → one sweep. The event carries nothing the sweep needs; its id and time are logged. */
export async function handler(event: ScheduledEvent, context: Context): Promise<SweepReport> {
  const log = logger.child({ requestId: context.awsRequestId });
  log.info('outbox sweep started', { scheduledAt: event?.time, eventId: event?.id });
  return sweepOutbox(
    {
      outbox: stores.outbox,
      publisher,
      clock,
      logger: log,
      graceSeconds: settings.graceSeconds,
      batch: settings.batch,
    },
    { mayGoOn: () => context.getRemainingTimeInMillis() > ROUND_RESERVE_MS },
  );
}
