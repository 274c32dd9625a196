/**
 * The routes against DynamoDB Local through the real stores (`createDynamoStores`): the
 * workflow and the error codes that depend on the store's transactions, with every response
 * validated against openapi.yaml, and the capacity and idempotency guarantees under load.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  createDocumentClient,
  createDynamoStores,
  type DynamoStores,
} from '../../src/adapters/dynamodb/index.ts';
import { demoRules, demoVenue } from '../fakes/demo-rules.ts';
import { createEvent, createHarness, type Harness, mintToken } from '../helpers/api-harness.ts';
import { useTables } from '../helpers/dynamodb.ts';

let stores: DynamoStores;

const harness = (rules = demoRules()): Promise<Harness> => createHarness({ stores, rules });

describe('venue-api on DynamoDB Local', () => {
  before(async () => {
    // DynamoDB Local accepts any credentials; in AWS they come from the function's role
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    const { endpoint, tables } = await useTables();
    // generous retries: 1,000 transactions on one counter conflict a lot on one DynamoDB Local
    stores = createDynamoStores(createDocumentClient(endpoint), tables, {
      retry: { attempts: 30, maxDelayMs: 500 },
    });
  });

  it('runs the shopper and operator workflow end to end', async () => {
    const h = await harness();
    const event = await createEvent(h, {
      capacity: 3,
      startsAt: '2026-12-01T15:20:00Z',
      endsAt: '2026-12-01T16:00:00Z',
    });
    const listed = await h.call('GET', '/venues/flagship-001/events');
    assert.ok(listed.body.items.some((i: { eventId: string }) => i.eventId === event.eventId));
    const booked = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'alice',
      body: { partySize: 2 },
    });
    assert.equal(booked.status, 201);
    assert.equal((await h.call('GET', `/events/${event.eventId}`)).body.event.remaining, 1);
    const full = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'bob',
      body: { partySize: 2 },
    });
    assert.equal(full.body.error.code, 'CAPACITY_EXCEEDED');
    const again = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'alice',
      body: { partySize: 1 },
    });
    assert.equal(again.body.error.code, 'ALREADY_BOOKED');
    const below = await h.call('PATCH', `/events/${event.eventId}`, { as: 'olivia', body: { capacity: 1 } });
    assert.equal(below.body.error.code, 'CAPACITY_BELOW_BOOKED');
    const mine = await h.call('GET', '/me/reservations', { as: 'alice' });
    assert.ok(
      mine.body.items.some(
        (r: { reservationId: string }) => r.reservationId === booked.body.reservation.reservationId,
      ),
    );
    const checkIn = await h.call('POST', `/reservations/${booked.body.reservation.reservationId}/check-in`, {
      as: 'alice',
    });
    assert.equal(checkIn.status, 200);
    assert.equal(checkIn.body.reservation.status, 'checked_in');
    assert.equal(h.publisher.published.map((e) => e.detailType).join(), 'BookingConfirmed,CheckInCompleted');
    assert.deepEqual(await stores.outbox.listPending('9999', 10), []);

    const slots = await h.call('POST', '/venues/flagship-001/pickup-slots', {
      as: 'olivia',
      body: { date: '2026-12-01', from: '10:00', to: '11:00', slotMinutes: 30, capacity: 2 },
    });
    assert.equal(slots.status, 201);
    const day = await h.call('GET', '/venues/flagship-001/pickup-slots?date=2026-12-01&limit=1');
    assert.equal(day.body.items.length, 1);
    const rest = await h.call(
      'GET',
      `/venues/flagship-001/pickup-slots?date=2026-12-01&cursor=${day.body.nextCursor}`,
    );
    assert.equal(rest.body.items.length, 1);
    const slotId = slots.body.items[0].slotId;
    const pickup = await h.call('POST', `/pickup-slots/${slotId}/bookings`, {
      as: 'bob',
      body: { orderRef: 'ORD-5' },
      headers: { 'Idempotency-Key': 'k-5' },
    });
    assert.equal(pickup.status, 201);
    const replay = await h.call('POST', `/pickup-slots/${slotId}/bookings`, {
      as: 'bob',
      body: { orderRef: 'ORD-5' },
      headers: { 'Idempotency-Key': 'k-5' },
    });
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.body.reservation, pickup.body.reservation);
    const mismatch = await h.call('POST', `/pickup-slots/${slotId}/bookings`, {
      as: 'bob',
      body: { orderRef: 'ORD-6' },
      headers: { 'Idempotency-Key': 'k-5' },
    });
    assert.equal(mismatch.body.error.code, 'IDEMPOTENCY_MISMATCH');
    const opened = await h.call('POST', `/reservations/${pickup.body.reservation.reservationId}/check-in`, {
      as: 'bob',
    });
    const ticket = opened.body.ticket;
    assert.equal(ticket.serviceKind, 'pickup');
    assert.equal(ticket.position, 1);
    const dup = await h.call('POST', '/venues/flagship-001/queue/tickets', {
      as: 'bob',
      body: { serviceKind: 'returns', partySize: 1 },
    });
    assert.equal(dup.body.error.code, 'ALREADY_QUEUED');
    const board = await h.call('GET', '/venues/flagship-001/queue', { as: 'olivia' });
    assert.equal(board.body.stats.waiting, 1);
    const called = await h.call('POST', '/venues/flagship-001/lanes/L2/call-next', { as: 'olivia' });
    assert.equal(called.body.ticket.ticketId, ticket.ticketId);
    const served = await h.call('POST', `/queue/tickets/${ticket.ticketId}/complete`, {
      as: 'olivia',
      body: { outcome: 'served' },
    });
    assert.equal(served.body.ticket.status, 'done');
    assert.equal(h.publisher.published.at(-1)?.detailType, 'PickupCompleted');
    assert.equal((await stores.reservations.get(pickup.body.reservation.reservationId))?.status, 'completed');
    assert.equal(
      (await h.call('POST', '/venues/flagship-001/lanes/L2/call-next', { as: 'olivia' })).status,
      204,
    );

    const prefs = await h.call('PUT', '/me/preferences', {
      as: 'alice',
      body: {
        channels: { email: false, sms: true },
        phone: '+15550001111',
        interests: [],
        language: 'fr',
        accessibility: true,
        marketingOptIn: false,
      },
    });
    assert.equal(prefs.status, 200);
    assert.equal((await h.call('GET', '/me/preferences', { as: 'alice' })).body.preferences.language, 'fr');
    const cancel = await h.call('DELETE', `/reservations/${booked.body.reservation.reservationId}`, {
      as: 'bob',
    });
    assert.equal(cancel.status, 404);
  });

  it('calls and numbers planned tickets from their lane plan, as the board numbers them from the whole queue', async () => {
    const venueId = 'venue-lanes';
    const rules = demoRules();
    rules.venues[venueId] = demoVenue();
    let wholeQueueReads = 0;
    const counted = {
      ...stores,
      queue: Object.assign(Object.create(stores.queue) as DynamoStores['queue'], {
        listActive: (id: string) => {
          wholeQueueReads++;
          return stores.queue.listActive(id);
        },
      }),
    };
    const h = await createHarness({ stores: counted, rules });
    const tickets = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        stores.queue.join({
          ticket: {
            ticketId: `lanes-${i}`,
            venueId,
            userId: `lanes-user-${i}`,
            serviceKind: 'pickup',
            partySize: 1,
            accessibility: false,
            status: 'waiting',
            joinedAt: `2026-12-01T14:0${i}:00.000Z`,
          },
          maxLength: 100,
          maxJoinsPerHour: 10,
        }),
      ),
    );
    // L1 gets the even ones, L2 the odd ones, in the order they joined
    await stores.queue.applyPlan(
      venueId,
      tickets.map((t, i) => ({
        ticketId: t.ticketId,
        version: 1,
        laneId: i % 2 === 0 ? 'L1' : 'L2',
        position: Math.floor(i / 2) + 1,
        etaAt: `2026-12-01T15:0${i}:00.000Z`,
      })),
    );
    const called = await h.call('POST', `/venues/${venueId}/lanes/L1/call-next`, { as: 'olivia' });
    assert.equal(called.body.ticket.ticketId, 'lanes-0');
    assert.equal(wholeQueueReads, 0, 'call-next took the head of the lane plan');
    const board = await h.call('GET', `/venues/${venueId}/queue`, { as: 'olivia' });
    const before = wholeQueueReads;
    for (const entry of board.body.waiting as Array<{ ticketId: string; position: number; laneId: string }>) {
      const got = (await h.call('GET', `/queue/tickets/${entry.ticketId}`, { as: 'olivia' })).body.ticket;
      assert.deepEqual([got.laneId, got.position], [entry.laneId, entry.position], entry.ticketId);
    }
    assert.equal(wholeQueueReads, before, 'no GET read the whole queue');
    assert.deepEqual(
      (board.body.waiting as Array<{ ticketId: string; position: number }>).map((t) => [
        t.ticketId,
        t.position,
      ]),
      [
        ['lanes-1', 1],
        ['lanes-2', 1],
        ['lanes-3', 2],
        ['lanes-4', 2],
        ['lanes-5', 3],
      ],
    );
  });

  it('answers the store-enforced limits: RATE_LIMITED, QUEUE_FULL, INVALID_STATE on a second cancel', async () => {
    const rules = demoRules({
      limits: { activeReservationsPerUser: 1, queueJoinsPerHour: 1 },
      queue: {
        maxLength: 1,
        noShowGraceMinutes: 5,
        serviceMinutes: { pickup: 3, returns: 6, consultation: 15 },
      },
    });
    rules.venues['venue-limits'] = rules.venues['flagship-001']!;
    const h = await harness(rules);
    // fresh users: the tables are shared with the other tests of this file
    const carol = await mintToken({ sub: 'limits-carol' });
    const dave = await mintToken({ sub: 'limits-dave' });
    const a = await createEvent(h, { title: 'A' });
    const b = await createEvent(h, { title: 'B' });
    const book = (eventId: string) =>
      h.call('POST', `/events/${eventId}/reservations`, { token: carol, body: { partySize: 1 } });
    const first = await book(a.eventId);
    assert.equal(first.status, 201);
    assert.equal((await book(b.eventId)).body.error.code, 'RATE_LIMITED');
    const id = first.body.reservation.reservationId;
    assert.equal((await h.call('DELETE', `/reservations/${id}`, { token: carol })).status, 200);
    assert.equal(
      (await h.call('DELETE', `/reservations/${id}`, { token: carol })).body.error.code,
      'INVALID_STATE',
    );
    assert.equal((await h.call('GET', `/events/${a.eventId}`)).body.event.remaining, 10);
    assert.equal((await book(b.eventId)).status, 201);
    const join = (token: string) =>
      h.call('POST', '/venues/venue-limits/queue/tickets', {
        token,
        body: { serviceKind: 'returns', partySize: 1 },
      });
    const t = await join(carol);
    assert.equal(t.status, 201);
    assert.equal((await join(dave)).body.error.code, 'QUEUE_FULL');
    await h.call('DELETE', `/queue/tickets/${t.body.ticket.ticketId}`, { token: carol });
    assert.equal((await join(carol)).body.error.code, 'RATE_LIMITED');
  });

  it('1,000 concurrent bookings against capacity N: exactly N confirmed, N events', {
    timeout: 300_000,
  }, async () => {
    const capacity = 25;
    const h = await harness();
    const event = await createEvent(h, { capacity });
    const tokens = await Promise.all(Array.from({ length: 1000 }, (_, i) => mintToken({ sub: `load-${i}` })));
    const results = await Promise.all(
      tokens.map((token) =>
        h.call('POST', `/events/${event.eventId}/reservations`, { token, body: { partySize: 1 } }),
      ),
    );
    const byStatus = new Map<number, number>();
    for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    assert.equal(byStatus.get(201), capacity, JSON.stringify([...byStatus]));
    const refused = results.filter((r) => r.status !== 201);
    assert.ok(
      refused.every(
        (r) => r.body.error.code === 'CAPACITY_EXCEEDED' || r.body.error.code === 'SERVICE_UNAVAILABLE',
      ),
      JSON.stringify([...byStatus]),
    );
    const stored = await stores.catalog.get(event.eventId);
    assert.equal(stored?.booked, capacity);
    const confirmed = h.publisher.published.filter(
      (e) => e.detailType === 'BookingConfirmed' && e.detail.eventId === event.eventId,
    );
    assert.equal(confirmed.length, capacity);
    assert.equal(new Set(confirmed.map((e) => e.detail.reservationId)).size, capacity);
  });

  it('the same Idempotency-Key retried concurrently: one reservation, one event', async () => {
    const h = await harness();
    const event = await createEvent(h);
    const token = await mintToken({ sub: 'retrier' });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.call('POST', `/events/${event.eventId}/reservations`, {
          token,
          body: { partySize: 2 },
          headers: { 'Idempotency-Key': 'same-key' },
        }),
      ),
    );
    const ids = new Set(results.filter((r) => r.status < 300).map((r) => r.body.reservation.reservationId));
    assert.equal(ids.size, 1);
    assert.equal(results.filter((r) => r.status === 201).length, 1);
    assert.equal((await stores.catalog.get(event.eventId))?.booked, 2);
    assert.equal(h.publisher.published.filter((e) => e.detail.eventId === event.eventId).length, 1);
    const page = await stores.reservations.listByUser('retrier', { limit: 100 });
    assert.equal(page.items.length, 1);
  });
});
