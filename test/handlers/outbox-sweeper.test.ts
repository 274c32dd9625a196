/**
 * The outbox-sweeper composition root as deployed, over DynamoDB Local: a booking whose API
 * publish failed leaves its event pending in the outbox; the real handler module, its clients
 * pointed (through the endpoint variables) at DynamoDB Local and at the EventBridge stand-in,
 * invoked with the sample scheduled event of events/eventbridge/scheduled.json, publishes it
 * and marks it; a bus out of reach fails the invocation and leaves the event pending.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { awsJsonError, type BusEvent, handleEventBridge } from '../../src/local/stand-ins/eventbridge.ts';
import type { SweepReport } from '../../src/outbox/outbox-sweep.ts';
import { useStores } from '../adapters/dynamodb/fixtures.ts';
import { createEvent, createHarness, type Harness } from '../helpers/api-harness.ts';
import { deployedRules, person } from '../security/support.ts';

const BUS = 'venue-hub-test-bus';
const received: BusEvent[] = [];
let busDown = false;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const answer = busDown
      ? awsJsonError(500, 'InternalException', 'the bus is down')
      : handleEventBridge(req.headers['x-amz-target'] as string | undefined, Buffer.concat(chunks), {
          busNames: [BUS],
          account: '123456789012',
          region: 'us-east-1',
          deliver: (events) => received.push(...events),
        });
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
});

const scheduled = (): ScheduledEvent =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../events/eventbridge/scheduled.json'), 'utf8'));
const context = { awsRequestId: 'sweep-test', getRemainingTimeInMillis: () => 45_000 } as Context;

const db = await useStores();
// The booking happened a minute ago, so that its event is past the sweeper's grace (15 s).
const bookedAt = new Date(Date.now() - 60_000);
const h = await createHarness({ stores: db.stores, rules: deployedRules(), now: bookedAt.toISOString() });
let handler: (event: ScheduledEvent, context: Context) => Promise<SweepReport>;

/** Books through an API whose publish fails (at `at`, its clock); answers the reservation id. */
async function bookWhileBusDown(api: Harness = h, at = bookedAt): Promise<string> {
  const alice = await person('alice');
  const day = 24 * 3600_000;
  const event = await createEvent(api, {
    startsAt: new Date(at.getTime() + day).toISOString(),
    endsAt: new Date(at.getTime() + day + 7200_000).toISOString(),
  });
  api.publisher.failures = 1;
  const res = await api.call('POST', `/events/${event.eventId}/reservations`, {
    token: alice.token,
    body: { partySize: 2 },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(api.publisher.failures, 0, 'the API tried to publish, and failed');
  return res.body.reservation.reservationId as string;
}

async function pendingFor(reservationId: string) {
  const pending = await db.stores.outbox.listPending('9999-12-31T00:00:00.000Z', 1000);
  return pending.filter((e) => e.detail.reservationId === reservationId);
}

describe('outbox-sweeper handler (composition root, DynamoDB Local)', () => {
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      EVENTS_TABLE: db.tables.events,
      RESERVATIONS_TABLE: db.tables.reservations,
      PICKUP_SLOTS_TABLE: db.tables.pickupSlots,
      QUEUE_STATE_TABLE: db.tables.queueState,
      PREFERENCES_TABLE: db.tables.preferences,
      DYNAMODB_ENDPOINT: db.endpoint,
      EVENTBRIDGE_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      EVENT_BUS_NAME: BUS,
      OUTBOX_GRACE_SECONDS: '15',
    });
    ({ handler } = await import('../../src/handlers/outbox-sweeper.ts'));
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('publishes the event a failed publish left pending, once, and marks it', async () => {
    const reservationId = await bookWhileBusDown();
    assert.equal((await pendingFor(reservationId)).length, 1, 'the event waits in the outbox');

    const report = await handler(scheduled(), context);
    assert.ok(report.published >= 1, JSON.stringify(report));
    const mine = received.filter((e) => e.detail.reservationId === reservationId);
    assert.deepEqual(
      mine.map((e) => [e.source, e['detail-type'], e.detail.venueId]),
      [['venue.hub', 'BookingConfirmed', 'flagship-001']],
    );
    assert.deepEqual(await pendingFor(reservationId), []);

    // the next minute's sweep finds nothing more to send
    assert.equal((await handler(scheduled(), context)).published, 0);
    assert.equal(received.filter((e) => e.detail.reservationId === reservationId).length, 1);
  });

  it('leaves an event younger than the grace to the API that wrote it', async () => {
    const justNow = new Date(Date.now() - 2000);
    const fresh = await createHarness({
      stores: db.stores,
      rules: deployedRules(),
      now: justNow.toISOString(),
    });
    const reservationId = await bookWhileBusDown(fresh, justNow);
    await handler(scheduled(), context);
    assert.equal((await pendingFor(reservationId)).length, 1);
  });

  it('fails the invocation when the bus is out of reach, and the event stays pending for the next', async () => {
    const reservationId = await bookWhileBusDown();
    busDown = true;
    await assert.rejects(handler(scheduled(), context), { name: 'OutboxSweepFailed' });
    assert.equal((await pendingFor(reservationId)).length, 1);
    busDown = false;
    await handler(scheduled(), context);
    assert.deepEqual(await pendingFor(reservationId), []);
  });
});
