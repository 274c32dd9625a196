/**
 * The fan-out over the real DynamoDB stores (DynamoDB Local, tables from templates/data.yaml):
 * bookings written by the reservation store, their BookingConfirmed events taken from the
 * outbox as the scheduled outbox sweeper would, fanned out with delivery markers in the preferences
 * table (lease scenarios: delivery-lease.test.ts).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  createDocumentClient,
  createDynamoStores,
  type DynamoStores,
} from '../../src/adapters/dynamodb/index.ts';
import type { TableNames } from '../../src/config/tables.ts';
import { DEFAULT_PREFERENCES, type Reservation } from '../../src/domain/model.ts';
import { bookingConfirmed } from '../../src/events/venue-events.ts';
import {
  createNotificationFanout,
  type FanoutDeps,
  FanoutFailed,
  type FanoutOutcome,
} from '../../src/fanout/notification-fanout.ts';
import { createLogger } from '../../src/observability/log.ts';
import { type TestTables, useTables } from '../helpers/dynamodb.ts';
import { sampleRules } from '../helpers/sample-rules.ts';
import { RecordingNotifier } from './fakes.ts';

const NOW = new Date('2026-11-20T14:00:00.000Z');
const startsAt = '2026-12-05T20:00:00.000Z';
const endsAt = '2026-12-05T21:30:00.000Z';

let db: TestTables;
let stores: DynamoStores;

function fanoutWith(
  notifier: RecordingNotifier,
): (type: string, detail: unknown) => ReturnType<ReturnType<typeof createNotificationFanout>> {
  const deps: FanoutDeps = {
    preferences: stores.preferences,
    catalog: stores.catalog,
    slots: stores.slots,
    queue: stores.queue,
    ledger: stores.deliveries,
    notifier,
    rules: { current: async () => ({ document: sampleRules(), version: 'it' }) },
    clock: { now: () => NOW },
    logger: createLogger('test', { level: 'error', sink: () => {} }),
  };
  return createNotificationFanout(deps);
}

async function marker(tables: TableNames, detailId: string, channel: string) {
  const out = await db.client.send(
    new GetItemCommand({
      TableName: tables.preferences,
      Key: { pk: { S: `DELIVERY#${detailId}#${channel}` }, sk: { S: 'DELIVERY' } },
    }),
  );
  return out.Item;
}

async function createEvent(capacity: number): Promise<string> {
  const eventId = randomUUID();
  await stores.catalog.create({
    eventId,
    venueId: 'flagship-001',
    kind: 'event',
    title: 'Latte Art Class',
    status: 'published',
    startsAt,
    endsAt,
    capacity,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  });
  return eventId;
}

async function book(eventId: string, userId: string): Promise<Reservation> {
  const now = NOW.toISOString();
  const reservation: Reservation = {
    reservationId: randomUUID(),
    userId,
    venueId: 'flagship-001',
    type: 'event',
    eventId,
    partySize: 1,
    status: 'confirmed',
    startsAt,
    endsAt,
    createdAt: now,
    updatedAt: now,
  };
  const event = bookingConfirmed(reservation, {
    correlationId: `req-${userId}`,
    occurredAt: now,
    title: 'Latte Art Class',
  });
  return stores.reservations.book({ reservation, now, maxActiveReservations: 10, event });
}

describe('notification fan-out over DynamoDB Local', () => {
  before(async () => {
    // DynamoDB Local accepts any credentials; in AWS they come from the function's role
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    db = await useTables();
    stores = createDynamoStores(createDocumentClient(db.endpoint), db.tables, {
      now: () => NOW,
      retry: { attempts: 20, maxDelayMs: 200 },
    });
  });

  it('fans out outbox events once per channel, alerts operators once, and keeps markers with a TTL', async () => {
    const eventId = await createEvent(2);
    await stores.preferences.put(
      'ana',
      { ...DEFAULT_PREFERENCES, channels: { email: true, sms: true }, phone: '+12125550100', language: 'es' },
      NOW.toISOString(),
    );
    await book(eventId, 'ana');
    await book(eventId, 'ben');
    const pending = await stores.outbox.listPending(new Date(NOW.getTime() + 60_000).toISOString(), 10);
    const events = pending.filter((e) => e.detail.eventId === eventId);
    assert.equal(events.length, 2);

    const notifier = new RecordingNotifier();
    const fanOut = fanoutWith(notifier);
    for (let round = 0; round < 3; round += 1) for (const e of events) await fanOut(e.detailType, e.detail);

    const shopper = notifier.sent.filter((n) => n.topic === 'shopper');
    assert.deepEqual(shopper.map((n) => [n.body.userId, n.channel, n.body.language]).sort(), [
      ['ana', 'email', 'es'],
      ['ana', 'sms', 'es'],
      ['ben', 'email', 'en'],
    ]);
    const alerts = notifier.sent.filter((n) => n.topic === 'operator');
    assert.equal(alerts.length, 1, 'one capacity alert for the item');
    assert.deepEqual([alerts[0]?.body.booked, alerts[0]?.body.capacity], [2, 2]);

    const ana = events.find((e) => e.detail.userId === 'ana');
    const stored = await marker(db.tables, String(ana?.detail.id), 'sms');
    assert.ok(stored?.expiresAt?.N, 'marker carries a TTL');
    assert.equal(Number(stored.expiresAt.N), Math.floor(NOW.getTime() / 1000) + 7 * 86_400);
    assert.ok(await marker(db.tables, `capacity:${eventId}`, 'operator'));
  });

  it('publishes once per channel when the same event arrives concurrently', async () => {
    const eventId = await createEvent(100);
    await stores.preferences.put(
      'dee',
      { ...DEFAULT_PREFERENCES, channels: { email: true, sms: true }, phone: '+12125550199' },
      NOW.toISOString(),
    );
    const reservation = await book(eventId, 'dee');
    const pending = await stores.outbox.listPending(new Date(NOW.getTime() + 60_000).toISOString(), 50);
    const event = pending.find((e) => e.detail.reservationId === reservation.reservationId);
    assert.ok(event);
    const notifier = new RecordingNotifier();
    const fanOut = fanoutWith(notifier);
    const copies = await Promise.allSettled(
      Array.from({ length: 8 }, () => fanOut(event.detailType, event.detail)),
    );
    // Each message was leased by one copy; every other copy found it sent (a duplicate) or
    // still leased (in flight: that copy fails, to be retried).
    const outcomes = copies.map((c) =>
      c.status === 'fulfilled' ? c.value : (c.reason as FanoutFailed).outcome,
    );
    const total = (key: keyof FanoutOutcome) => outcomes.reduce((sum, o) => sum + o[key], 0);
    assert.deepEqual([total('sent'), total('duplicates') + total('inFlight'), total('failed')], [2, 14, 0]);
    for (const c of copies) if (c.status === 'rejected') assert.ok(c.reason instanceof FanoutFailed);
    assert.deepEqual(await fanOut(event.detailType, event.detail), {
      sent: 0,
      duplicates: 2,
      failed: 0,
      inFlight: 0,
    });
    assert.deepEqual(notifier.sent.map((n) => n.channel).sort(), ['email', 'sms']);
  });

  it('releases the claim of a failed publish so the retry delivers exactly once', async () => {
    const eventId = await createEvent(100);
    const reservation = await book(eventId, 'cy');
    const pending = await stores.outbox.listPending(new Date(NOW.getTime() + 60_000).toISOString(), 50);
    const event = pending.find((e) => e.detail.reservationId === reservation.reservationId);
    assert.ok(event);
    const notifier = new RecordingNotifier();
    const fanOut = fanoutWith(notifier);
    notifier.failing.add('email');
    await assert.rejects(fanOut(event.detailType, event.detail));
    assert.equal(await marker(db.tables, event.detail.id, 'email'), undefined);
    notifier.failing.clear();
    await fanOut(event.detailType, event.detail);
    await fanOut(event.detailType, event.detail);
    assert.equal(notifier.sent.length, 1);
    assert.ok(await marker(db.tables, event.detail.id, 'email'));
  });
});
