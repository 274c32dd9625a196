/**
 * The Lambda face of the fan-out: takes one EventBridge event, runs the fan-out, logs with the
 * correlation id of the request that caused the event, and emits EMF metrics (sent, skipped as
 * duplicate, failed, in flight elsewhere, invalid). Any failure is rethrown so that the
 * asynchronous invocation is retried and, in the end, dead-lettered; nothing is swallowed. The
 * Lambda context's remaining time bounds the delivery leases the fan-out takes.
 */
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { emitMetrics, errorName, type Logger, type LogSink } from '../observability/log.ts';
import type { FanoutInvocation } from './leased-delivery.ts';
import { FanoutFailed, type FanoutOutcome, InvalidVenueEvent } from './notification-fanout.ts';

export const METRICS_NAMESPACE = 'VenueHub';
const SOURCE = 'venue.hub';

export type FanOut = (
  detailType: string,
  detail: unknown,
  invocation?: FanoutInvocation,
) => Promise<FanoutOutcome>;

export interface FanoutHandlerDeps {
  fanOut: FanOut;
  logger: Logger;
  /** where EMF records go (stdout in Lambda) */
  metricsSink?: LogSink;
}

function field(detail: unknown, name: string): string | undefined {
  if (typeof detail !== 'object' || detail === null) return undefined;
  const value = (detail as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.slice(0, 256) : undefined;
}

/** Builds the `handler` of notification-fanout around a fan-out function. */
export function createFanoutHandler(deps: FanoutHandlerDeps) {
  return async function handler(
    event: EventBridgeEvent<string, unknown>,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<FanoutOutcome> {
    const detailType = String(event?.['detail-type'] ?? '');
    const detail = event?.detail;
    const log = deps.logger.child({
      correlationId: field(detail, 'correlationId'),
      detailId: field(detail, 'id'),
      eventBridgeId: event?.id,
      detailType,
    });
    const metrics = (values: Partial<FanoutOutcome> & { invalid?: number }) =>
      emitMetrics(
        METRICS_NAMESPACE,
        { Service: 'notification-fanout', DetailType: detailType || 'unknown' },
        {
          NotificationsSent: { value: values.sent ?? 0, unit: 'Count' },
          NotificationsDuplicate: { value: values.duplicates ?? 0, unit: 'Count' },
          NotificationsFailed: { value: values.failed ?? 0, unit: 'Count' },
          NotificationsInFlight: { value: values.inFlight ?? 0, unit: 'Count' },
          InvalidEvents: { value: values.invalid ?? 0, unit: 'Count' },
        },
        deps.metricsSink,
      );

    try {
      if (event?.source !== SOURCE)
        throw new InvalidVenueEvent(detailType, [{ path: '', message: `source must be ${SOURCE}` }]);
      const remainingMs = context?.getRemainingTimeInMillis?.();
      const outcome = await deps.fanOut(detailType, detail, remainingMs === undefined ? {} : { remainingMs });
      metrics(outcome);
      return outcome;
    } catch (error) {
      if (error instanceof InvalidVenueEvent) {
        // Logged with paths and rule messages only: the values may be personal data.
        log.error('invalid event rejected; it will end in the dead-letter queue', {
          problems: error.problems,
        });
        metrics({ invalid: 1 });
      } else if (error instanceof FanoutFailed) {
        metrics(error.outcome);
      } else {
        log.error('event fan-out failed; it will be retried', {
          errorName: errorName(error),
        });
        metrics({ failed: 1 });
      }
      throw error;
    }
  };
}
