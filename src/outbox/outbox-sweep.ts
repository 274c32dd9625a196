/**
 * The outbox sweep (ADR 0100, 0311): the events a transaction wrote and nobody confirmed
 * published (the API's own publish failed, or its process died between the commit and the
 * publish) go to the bus, oldest first, through the ports only. The scheduled
 * `outbox-sweeper` function runs it every minute (src/handlers/outbox-sweeper.ts); nothing
 * else sweeps. Events younger than the grace are left to the API request that wrote them.
 */
import type { Clock, EventSweepPublisher, OutboxStore } from '../domain/ports.ts';
import { emitMetrics, errorName, type Logger, type LogSink } from '../observability/log.ts';

/** The sweep's metrics (template.yaml's OutboxDeadLetteredAlarm reads them). */
export const OUTBOX_METRICS_NAMESPACE = 'VenueHub/Outbox';
export const OUTBOX_SWEEPER_SERVICE = 'outbox-sweeper';

export interface OutboxSweepDeps {
  outbox: OutboxStore;
  publisher: EventSweepPublisher;
  clock: Clock;
  logger: Logger;
  /** where EMF records go (stdout by default) */
  metricsSink?: LogSink;
  /** outbox events younger than this are left to the API that wrote them */
  graceSeconds: number;
  /** events per round (one Query of the pending index, then PutEvents ten at a time) */
  batch?: number;
}

export interface SweepLimits {
  /** whether another round may start (the invocation's time left); one round always runs */
  mayGoOn?: () => boolean;
}

export interface SweepReport {
  /** rounds run: a full batch is followed by another while time is left */
  rounds: number;
  published: number;
  /** events the bus refused this sweep (due again later, backing off) */
  refused: number;
  /** events the bus refused for the last time this sweep */
  deadLettered: number;
}

/** A sweep that could not finish: the store or the bus out of reach. What it did still counts. */
export class OutboxSweepFailed extends Error {
  constructor(
    readonly report: SweepReport,
    options: { cause: unknown },
  ) {
    super(
      `the outbox sweep stopped after ${report.published} published: ${errorName(options.cause)}`,
      options,
    );
    this.name = 'OutboxSweepFailed';
  }
}

const DEFAULT_BATCH = 50;

/**
 * A sweep: publishes the due pending events entry by entry and marks those the bus accepted.
 * One the bus refuses is due again later, and dead-lettered after `OUTBOX_MAX_ATTEMPTS`
 * refusals (an error in the log, `OutboxDeadLettered` in the metrics): it never holds up the
 * events behind it. A full batch is followed by another (a backlog after a bus outage drains in
 * one invocation) while `mayGoOn` allows; every round either marks, defers or fails on what it
 * listed, so none lists the same events twice. A store or bus out of reach leaves the rest
 * pending and throws OutboxSweepFailed, after the metrics.
 */
export async function sweepOutbox(deps: OutboxSweepDeps, limits: SweepLimits = {}): Promise<SweepReport> {
  const report: SweepReport = { rounds: 0, published: 0, refused: 0, deadLettered: 0 };
  const batch = deps.batch ?? DEFAULT_BATCH;
  let failure: unknown;
  try {
    for (;;) {
      report.rounds += 1;
      const listed = await sweepRound(deps, batch, report);
      if (listed < batch || !(limits.mayGoOn?.() ?? true)) break;
    }
  } catch (error) {
    failure = error;
  }
  emitMetrics(
    OUTBOX_METRICS_NAMESPACE,
    { Service: OUTBOX_SWEEPER_SERVICE },
    {
      OutboxPublished: { value: report.published, unit: 'Count' },
      OutboxRefused: { value: report.refused, unit: 'Count' },
      OutboxDeadLettered: { value: report.deadLettered, unit: 'Count' },
      OutboxSweepFailed: { value: failure === undefined ? 0 : 1, unit: 'Count' },
    },
    deps.metricsSink,
  );
  if (failure !== undefined) {
    deps.logger.warn('outbox sweep failed; events stay pending', { error: errorName(failure) });
    throw new OutboxSweepFailed(report, { cause: failure });
  }
  return report;
}

/** One round; answers how many events it listed. */
async function sweepRound(deps: OutboxSweepDeps, batch: number, report: SweepReport): Promise<number> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const olderThan = new Date(now.getTime() - deps.graceSeconds * 1000).toISOString();
  const pending = await deps.outbox.listPending(olderThan, batch);
  if (pending.length === 0) return 0;
  const outcome = await deps.publisher.publishEach(pending);
  if (outcome.accepted.length > 0) {
    await deps.outbox.markPublished(outcome.accepted, at);
    report.published += outcome.accepted.length;
    deps.logger.info('outbox events published', { count: outcome.accepted.length });
  }
  if (outcome.refused.length > 0) {
    const dead = await deps.outbox.deferRefused(outcome.refused, at);
    report.refused += outcome.refused.length;
    report.deadLettered += dead.length;
    deps.logger.warn('outbox events refused by the bus; due again later', { refused: outcome.refused });
    if (dead.length > 0) deps.logger.error('outbox events dead-lettered', { eventIds: dead });
  }
  if (outcome.unreachable !== undefined) throw outcome.unreachable;
  return pending.length;
}
