/**
 * The venue API (createVenueApi, with the real services) over these adapters and DynamoDB
 * Local: the contract check that the stores behave as the services expect, route by route.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createEvent, createHarness, type Harness } from '../../helpers/api-harness.ts';
import { cancellingAnEventReleasesItsBookings } from '../../helpers/cancel-event-scenario.ts';
import { type StoreFixture, useStores } from './fixtures.ts';

describe('venue API over the DynamoDB stores', () => {
  let f: StoreFixture;
  let h: Harness;
  before(async () => {
    f = await useStores();
    h = await createHarness({ stores: f.stores });
  });

  it('browses, books idempotently, lists and cancels', async () => {
    const event = await createEvent(h, { capacity: 3 });
    const list = await h.call('GET', '/venues/flagship-001/events?limit=5');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((i: { eventId: string }) => i.eventId),
      [event.eventId],
    );
    const book = () =>
      h.call('POST', `/events/${event.eventId}/reservations`, {
        as: 'alice',
        body: { partySize: 2 },
        headers: { 'idempotency-key': 'key-1' },
      });
    const first = await book();
    assert.equal(first.status, 201);
    const replay = await book();
    assert.equal(replay.status, 200);
    assert.equal(replay.body.reservation.reservationId, first.body.reservation.reservationId);
    const mismatch = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'alice',
      body: { partySize: 1 },
      headers: { 'idempotency-key': 'key-1' },
    });
    assert.equal(mismatch.body.error.code, 'IDEMPOTENCY_MISMATCH');
    const full = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'bob',
      body: { partySize: 2 },
    });
    assert.equal(full.body.error.code, 'CAPACITY_EXCEEDED');
    assert.equal((await h.call('GET', `/events/${event.eventId}`)).body.event.remaining, 1);
    const mine = await h.call('GET', '/me/reservations', { as: 'alice' });
    assert.equal(mine.body.items.length, 1);
    const id = first.body.reservation.reservationId;
    assert.equal((await h.call('DELETE', `/reservations/${id}`, { as: 'bob' })).status, 404);
    const cancelled = await h.call('DELETE', `/reservations/${id}`, { as: 'alice' });
    assert.equal(cancelled.body.reservation.status, 'cancelled');
    assert.equal(
      (await h.call('DELETE', `/reservations/${id}`, { as: 'alice' })).body.error.code,
      'INVALID_STATE',
    );
    assert.equal((await h.call('GET', `/events/${event.eventId}`)).body.event.remaining, 3);
    const lower = await h.call('PATCH', `/events/${event.eventId}`, { as: 'olivia', body: { capacity: 1 } });
    assert.equal(lower.status, 200);
    assert.equal(lower.body.event.capacity, 1);
  });

  it('books a pickup, checks in into the queue, is called and served', async () => {
    const slots = await h.call('POST', '/venues/flagship-001/pickup-slots', {
      as: 'olivia',
      body: { date: '2026-12-01', from: '10:00', to: '11:00', slotMinutes: 30, capacity: 5 },
    });
    assert.equal(slots.status, 201);
    assert.equal(slots.body.items.length, 2);
    const day = await h.call('GET', '/venues/flagship-001/pickup-slots?date=2026-12-01');
    assert.equal(day.body.items.length, 2);
    const slotId = slots.body.items[1].slotId;
    const booked = await h.call('POST', `/pickup-slots/${slotId}/bookings`, {
      as: 'alice',
      body: { orderRef: 'ORD-1' },
    });
    assert.equal(booked.status, 201);
    const reservationId = booked.body.reservation.reservationId;
    const checkIn = await h.call('POST', `/reservations/${reservationId}/check-in`, { as: 'alice' });
    assert.equal(checkIn.status, 200);
    const ticket = checkIn.body.ticket;
    assert.equal(ticket.status, 'waiting');
    assert.equal(ticket.position, 1);
    const board = await h.call('GET', '/venues/flagship-001/queue', { as: 'olivia' });
    assert.equal(board.body.stats.waiting, 1);
    const called = await h.call('POST', '/venues/flagship-001/lanes/L2/call-next', { as: 'olivia' });
    assert.equal(called.body.ticket.ticketId, ticket.ticketId);
    const done = await h.call('POST', `/queue/tickets/${ticket.ticketId}/complete`, {
      as: 'olivia',
      body: { outcome: 'served' },
    });
    assert.equal(done.body.ticket.status, 'done');
    assert.equal((await f.stores.reservations.get(reservationId))?.status, 'completed');
    assert.deepEqual(h.publisher.published.map((e) => e.detailType).slice(-3), [
      'BookingConfirmed',
      'CheckInCompleted',
      'PickupCompleted',
    ]);
    assert.deepEqual(await f.stores.outbox.listPending('9999', 100), []);
  });

  it('keeps one ticket per user, and preferences round-trip', async () => {
    const join = () =>
      h.call('POST', '/venues/flagship-001/queue/tickets', {
        as: 'bob',
        body: { serviceKind: 'returns', partySize: 1 },
      });
    assert.equal((await join()).status, 201);
    assert.equal((await join()).body.error.code, 'ALREADY_QUEUED');
    const prefs = {
      channels: { email: true, sms: false },
      interests: ['sneakers'],
      language: 'en',
      accessibility: false,
      marketingOptIn: true,
    };
    assert.equal((await h.call('PUT', '/me/preferences', { as: 'bob', body: prefs })).status, 200);
    const read = await h.call('GET', '/me/preferences', { as: 'bob' });
    assert.deepEqual(read.body.preferences, prefs);
  });

  it('answers 400 (never 500) to a cursor of another day or beyond `to`, which DynamoDB refuses as a start key', async () => {
    for (const date of ['2026-12-02', '2026-12-03']) {
      const made = await h.call('POST', '/venues/flagship-001/pickup-slots', {
        as: 'olivia',
        body: { date, from: '10:00', to: '11:00', slotMinutes: 15, capacity: 1 },
      });
      assert.equal(made.status, 201);
    }
    const first = await h.call('GET', '/venues/flagship-001/pickup-slots?date=2026-12-02&limit=1');
    assert.ok(first.body.nextCursor);
    const other = await h.call(
      'GET',
      `/venues/flagship-001/pickup-slots?date=2026-12-03&limit=1&cursor=${first.body.nextCursor}`,
    );
    assert.equal(other.status, 400, JSON.stringify(other.body));
    assert.deepEqual(
      other.body.error.details.map((d: { path: string }) => d.path),
      ['cursor'],
    );
    await createEvent(h, { startsAt: '2026-12-05T15:00:00.000Z', endsAt: '2026-12-05T16:00:00.000Z' });
    const schedule = await h.call('GET', '/venues/flagship-001/events?limit=1');
    assert.ok(schedule.body.nextCursor);
    const beyond = await h.call(
      'GET',
      `/venues/flagship-001/events?limit=1&to=2026-12-01T00:00:00.000Z&cursor=${schedule.body.nextCursor}`,
    );
    assert.equal(beyond.status, 400, JSON.stringify(beyond.body));
  });

  it('lets the bookings of a cancelled event go (the byTarget index, filtered to confirmed)', async () => {
    await cancellingAnEventReleasesItsBookings(await createHarness({ stores: f.stores }));
  });
});
