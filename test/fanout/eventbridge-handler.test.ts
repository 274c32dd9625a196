import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFanoutHandler, type FanOut } from '../../src/fanout/eventbridge-handler.ts';
import { LEASE_MARGIN_MS } from '../../src/fanout/leased-delivery.ts';
import { createNotificationFanout, FanoutFailed } from '../../src/fanout/notification-fanout.ts';
import { createLogger } from '../../src/observability/log.ts';
import { sampleEvent } from '../helpers/sample-events.ts';
import { harness } from './fakes.ts';

function setup(fanOut?: FanOut) {
  const h = harness();
  const logs: Record<string, unknown>[] = [];
  const metrics: Record<string, unknown>[] = [];
  const handler = createFanoutHandler({
    fanOut: fanOut ?? createNotificationFanout(h.deps),
    logger: createLogger('notification-fanout', { sink: (l) => logs.push(JSON.parse(l)) }),
    metricsSink: (l) => metrics.push(JSON.parse(l)),
  });
  return { h, handler, logs, metrics };
}

describe('notification-fanout handler core', () => {
  it('fans out a sample event and emits sent/duplicate/failed metrics', async () => {
    const { h, handler, metrics } = setup();
    const event = sampleEvent('booking-confirmed');
    assert.deepEqual(await handler(event), { sent: 1, duplicates: 0, failed: 0, inFlight: 0 });
    await handler(event);
    assert.equal(h.notifier.sent.length, 1);
    assert.deepEqual(
      metrics.map((m) => [
        m.NotificationsSent,
        m.NotificationsDuplicate,
        m.NotificationsFailed,
        m.DetailType,
      ]),
      [
        [1, 0, 0, 'BookingConfirmed'],
        [0, 1, 0, 'BookingConfirmed'],
      ],
    );
    const emf = (metrics[0]?._aws as { CloudWatchMetrics: { Namespace: string }[] } | undefined)
      ?.CloudWatchMetrics[0];
    assert.equal(emf?.Namespace, 'VenueHub');
  });

  it('rejects an invalid event with a log line carrying the correlation id, and rethrows', async () => {
    const { handler, logs, metrics } = setup();
    const event = sampleEvent('booking-confirmed');
    const bad = { ...event, detail: { ...event.detail, partySize: 'two' } };
    await assert.rejects(handler(bad), /invalid BookingConfirmed event/);
    const line = logs.find((l) => l.level === 'error');
    assert.equal(line?.correlationId, event.detail.correlationId);
    assert.deepEqual(line?.problems, [{ path: '/partySize', message: 'must be integer' }]);
    assert.equal(metrics[0]?.InvalidEvents, 1);
  });

  it('rejects an event from another source', async () => {
    const { h, handler } = setup();
    await assert.rejects(
      handler({ ...sampleEvent('pickup-completed'), source: 'someone.else' }),
      /source must be venue.hub/,
    );
    assert.equal(h.notifier.sent.length, 0);
  });

  it('rethrows a publish failure after counting it', async () => {
    const { h, handler, metrics } = setup();
    h.notifier.failing.add('email');
    await assert.rejects(handler(sampleEvent('booking-confirmed')), FanoutFailed);
    assert.equal(metrics[0]?.NotificationsFailed, 1);
  });

  it('leases to the end of the Lambda invocation, and fails a copy that meets the lease', async () => {
    const { h, handler, metrics } = setup();
    const event = sampleEvent('booking-confirmed');
    const slow = h.notifier.gate('email', 'before');
    const first = handler(event, { getRemainingTimeInMillis: () => 8_000 });
    await slow.reached;
    const marker = h.ledger.markers.get(`${event.detail.id}#email`);
    assert.equal(marker?.leaseUntil, Date.parse('2026-11-20T14:02:11.000Z') + 8_000 + LEASE_MARGIN_MS);
    await assert.rejects(handler(event), FanoutFailed);
    assert.equal(metrics[0]?.NotificationsInFlight, 1);
    slow.open();
    assert.deepEqual(await first, { sent: 1, duplicates: 0, failed: 0, inFlight: 0 });
    assert.equal(h.ledger.markers.get(`${event.detail.id}#email`)?.status, 'sent');
  });

  it('rethrows an unexpected failure (rules or store unavailable) with a log line', async () => {
    const boom = Object.assign(new Error('rules down'), { name: 'ServiceUnavailable' });
    const { handler, logs } = setup(async () => {
      throw boom;
    });
    await assert.rejects(handler(sampleEvent('check-in-completed')), boom);
    assert.ok(logs.some((l) => l.errorName === 'ServiceUnavailable' && l.correlationId === 'req-5e8f0a2b'));
  });
});
