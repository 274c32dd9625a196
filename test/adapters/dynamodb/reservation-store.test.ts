import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../src/adapters/dynamodb/index.ts';
import {
  AlreadyBooked,
  AlreadyQueued,
  CapacityExceeded,
  InvalidState,
  NotBookable,
  NotFound,
  RateLimited,
  ValidationFailed,
} from '../../../src/domain/errors.ts';
import { IdempotencyKeyTaken } from '../../../src/domain/ports.ts';
import {
  booking,
  catalogItem,
  join,
  NOW,
  reservationFor,
  type StoreFixture,
  ticket,
  useStores,
  venueEvent,
} from './fixtures.ts';

/** How many settled as confirmed, and how many failed with each error, e.g. `{confirmed: 100, CapacityExceeded: 100}`. */
function outcomes(results: PromiseSettledResult<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 'fulfilled' ? 'confirmed' : (r.reason as Error).name;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * The outcome of a burst against one counter: seats confirmed, the counter, and the refusals.
 * A refusal is CapacityExceeded, or — when an overloaded machine makes DynamoDB Local drop a
 * connection — ServiceUnavailable (the documented 503: nothing was written). Anything else,
 * or a confirmed count other than the capacity, fails the test.
 */
function burst(results: PromiseSettledResult<unknown>[], booked: number | undefined) {
  const { confirmed = 0, CapacityExceeded = 0, ServiceUnavailable = 0, ...other } = outcomes(results);
  return { confirmed, booked, refused: CapacityExceeded + ServiceUnavailable, other };
}

describe('DynamoReservationStore', () => {
  let f: StoreFixture;
  before(async () => {
    f = await useStores();
  });

  async function seats(eventId: string): Promise<number | undefined> {
    return (await f.stores.catalog.get(eventId))?.booked;
  }

  async function activeCount(userId: string): Promise<number> {
    const doc = createDocumentClient(f.endpoint);
    const out = await doc.send(
      new GetCommand({
        TableName: f.tables.reservations,
        Key: { pk: `USER#${userId}#flagship-001`, sk: 'COUNTERS' },
      }),
    );
    return Number(out.Item?.active ?? 0);
  }

  it('books: reservation, seats, outbox event, and a replay record', async () => {
    const event = await f.stores.catalog.create(catalogItem({ capacity: 5 }));
    const r = reservationFor({ eventId: event.eventId }, { partySize: 2 });
    const cmd = booking(r, {
      idempotency: { userId: r.userId, key: 'k-1', requestHash: 'h1', expiresAt: '2026-12-02T12:00:00.000Z' },
    });
    assert.deepEqual(await f.stores.reservations.book(cmd), r);
    assert.deepEqual(await f.stores.reservations.get(r.reservationId), r);
    const after = await f.stores.catalog.get(event.eventId);
    assert.equal(after?.booked, 2);
    assert.equal(after?.remaining, 3);
    assert.equal(await activeCount(r.userId), 1);
    const pending = await f.stores.outbox.listPending('9999', 100);
    assert.ok(pending.some((e) => e.detail.id === cmd.event.detail.id));
    assert.deepEqual(await f.stores.reservations.findIdempotency(r.userId, 'k-1', NOW), {
      userId: r.userId,
      key: 'k-1',
      requestHash: 'h1',
      reservationId: r.reservationId,
      expiresAt: '2026-12-02T12:00:00.000Z',
    });
    assert.equal(
      await f.stores.reservations.findIdempotency(r.userId, 'k-1', '2026-12-03T00:00:00.000Z'),
      undefined,
    );
    assert.equal(await f.stores.reservations.findIdempotency(r.userId, 'other', NOW), undefined);
  });

  it('tells the failures apart: not found, not bookable, sold out, already booked, rate limited', async () => {
    const missing = reservationFor({ eventId: 'no-such-event' });
    await assert.rejects(f.stores.reservations.book(booking(missing)), NotFound);
    const missingSlot = reservationFor({ slotId: 'no-such-slot' });
    await assert.rejects(f.stores.reservations.book(booking(missingSlot)), NotFound);

    for (const item of [
      catalogItem({ status: 'draft' }),
      catalogItem({ status: 'cancelled' }),
      catalogItem({ endsAt: NOW }),
      catalogItem({ kind: 'product', capacity: undefined, booked: undefined, priceCents: 500 }),
    ]) {
      await f.stores.catalog.create(item);
      await assert.rejects(
        f.stores.reservations.book(booking(reservationFor({ eventId: item.eventId }))),
        NotBookable,
      );
    }

    const small = await f.stores.catalog.create(catalogItem({ capacity: 3 }));
    const big = reservationFor({ eventId: small.eventId }, { partySize: 4 });
    await assert.rejects(f.stores.reservations.book(booking(big)), CapacityExceeded);

    const first = reservationFor({ eventId: small.eventId });
    await f.stores.reservations.book(booking(first));
    const again = reservationFor({ eventId: small.eventId }, { userId: first.userId });
    await assert.rejects(f.stores.reservations.book(booking(again)), AlreadyBooked);
    assert.equal(await seats(small.eventId), 1);

    const other = await f.stores.catalog.create(catalogItem());
    const capped = reservationFor({ eventId: other.eventId }, { userId: first.userId });
    await assert.rejects(
      f.stores.reservations.book(booking(capped, { maxActiveReservations: 1 })),
      RateLimited,
    );
    assert.equal(await seats(other.eventId), 0);
    assert.equal(await activeCount(first.userId), 1);
  });

  it('an Idempotency-Key already recorded wins over every other failure; an expired one is free', async () => {
    const event = await f.stores.catalog.create(catalogItem());
    const r = reservationFor({ eventId: event.eventId });
    const claim = { userId: r.userId, key: 'k-2', requestHash: 'h', expiresAt: '2026-12-02T12:00:00.000Z' };
    await f.stores.reservations.book(booking(r, { idempotency: claim }));
    const replay = reservationFor({ eventId: event.eventId }, { userId: r.userId });
    await assert.rejects(
      f.stores.reservations.book(booking(replay, { idempotency: claim })),
      IdempotencyKeyTaken,
    );

    // the twin of a request that took the last seat is a replay, not "sold out"
    const single = await f.stores.catalog.create(catalogItem({ capacity: 1 }));
    const twin = reservationFor({ eventId: single.eventId }, { userId: 'user-twin' });
    const twinClaim = {
      userId: 'user-twin',
      key: 'k-twin',
      requestHash: 'h',
      expiresAt: '2026-12-02T12:00:00.000Z',
    };
    await f.stores.reservations.book(booking(twin, { idempotency: twinClaim }));
    const second = reservationFor({ eventId: single.eventId }, { userId: 'user-twin' });
    await assert.rejects(
      f.stores.reservations.book(booking(second, { idempotency: twinClaim })),
      IdempotencyKeyTaken,
    );
    // without a key the same request is simply sold out
    await assert.rejects(f.stores.reservations.book(booking(second)), CapacityExceeded);

    const later = '2026-12-05T12:00:00.000Z';
    const other = await f.stores.catalog.create(catalogItem());
    const fresh = reservationFor({ eventId: other.eventId }, { userId: r.userId });
    const renewed = { ...claim, expiresAt: '2026-12-06T12:00:00.000Z' };
    await f.stores.reservations.book(booking(fresh, { now: later, idempotency: renewed }));
    assert.equal(
      (await f.stores.reservations.findIdempotency(r.userId, 'k-2', later))?.reservationId,
      fresh.reservationId,
    );
  });

  it('200 concurrent bookings of 1 seat against capacity 100: exactly 100 confirmed', async () => {
    const event = await f.stores.catalog.create(catalogItem({ capacity: 100 }));
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        f.stores.reservations.book(booking(reservationFor({ eventId: event.eventId }))),
      ),
    );
    assert.deepEqual(burst(results, await seats(event.eventId)), {
      confirmed: 100,
      booked: 100,
      refused: 100,
      other: {},
    });
  });

  it('200 concurrent bookings of a pickup slot of capacity 100: exactly 100 confirmed', async () => {
    const [slot] = await f.stores.slots.createMany([
      {
        slotId: '',
        venueId: 'flagship-001',
        startsAt: '2026-12-10T15:00:00.000Z',
        endsAt: '2026-12-10T15:15:00.000Z',
        capacity: 100,
        booked: 0,
        remaining: 100,
      },
    ]);
    assert.ok(slot);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        f.stores.reservations.book(booking(reservationFor({ slotId: slot.slotId }, { orderRef: `o-${i}` }))),
      ),
    );
    assert.deepEqual(burst(results, (await f.stores.slots.get(slot.slotId))?.booked), {
      confirmed: 100,
      booked: 100,
      refused: 100,
      other: {},
    });
    // every confirmed booking is awaited at check-in, none counted twice or lost
    const [counted] = await f.stores.slots.awaitingCheckIns('flagship-001', {
      from: slot.startsAt,
      to: slot.endsAt,
    });
    assert.equal(counted?.awaiting, 100);
  });

  it('cancel gives the seats back exactly once, even when raced', async () => {
    const event = await f.stores.catalog.create(catalogItem({ capacity: 4 }));
    const r = reservationFor({ eventId: event.eventId }, { partySize: 3 });
    await f.stores.reservations.book(booking(r));
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => f.stores.reservations.cancel(r, '2026-12-01T13:00:00.000Z')),
    );
    assert.equal(results.filter((x) => x.status === 'fulfilled').length, 1);
    for (const x of results) {
      if (x.status === 'rejected') {
        assert.ok(x.reason instanceof InvalidState);
        // the message comes from the ALL_OLD item of the failed condition
        assert.match(x.reason.message, /is cancelled, not confirmed/);
      }
    }
    assert.equal(await seats(event.eventId), 0);
    assert.equal(await activeCount(r.userId), 0);
    const stored = await f.stores.reservations.get(r.reservationId);
    assert.equal(stored?.status, 'cancelled');
    assert.equal(stored?.updatedAt, '2026-12-01T13:00:00.000Z');
    // the guard went with it: the same user may book the item again
    await f.stores.reservations.book(
      booking(reservationFor({ eventId: event.eventId }, { userId: r.userId })),
    );
    await assert.rejects(
      f.stores.reservations.cancel(reservationFor({ eventId: event.eventId }), NOW),
      NotFound,
    );
  });

  it('lists a user’s reservations newest first, page by page', async () => {
    const userId = 'user-lister';
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const item = await f.stores.catalog.create(catalogItem());
      const r = reservationFor(
        { eventId: item.eventId },
        { userId, createdAt: `2026-12-01T12:0${i}:00.000Z` },
      );
      await f.stores.reservations.book(booking(r));
      created.unshift(r.reservationId);
    }
    const first = await f.stores.reservations.listByUser(userId, { limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.nextCursor);
    const second = await f.stores.reservations.listByUser(userId, { limit: 2, cursor: first.nextCursor });
    const third = await f.stores.reservations.listByUser(userId, { limit: 2, cursor: second.nextCursor });
    assert.equal(third.nextCursor, undefined);
    assert.deepEqual(
      [...first.items, ...second.items, ...third.items].map((r) => r.reservationId),
      created,
    );
    await assert.rejects(
      f.stores.reservations.listByUser('someone-else', { limit: 2, cursor: first.nextCursor }),
      ValidationFailed,
    );
  });

  it('lists an item’s reservations oldest first, page by page, and only that item’s', async () => {
    const item = await f.stores.catalog.create(catalogItem({ capacity: 10 }));
    const other = await f.stores.catalog.create(catalogItem({ capacity: 10 }));
    const booked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = reservationFor({ eventId: item.eventId }, { createdAt: `2026-12-01T12:0${i}:00.000Z` });
      await f.stores.reservations.book(booking(r));
      booked.push(r.reservationId);
    }
    await f.stores.reservations.book(booking(reservationFor({ eventId: other.eventId })));
    const first = await f.stores.reservations.listByTarget(item.eventId, { limit: 2 });
    const rest = await f.stores.reservations.listByTarget(item.eventId, {
      limit: 2,
      cursor: first.nextCursor,
    });
    assert.equal(rest.nextCursor, undefined);
    assert.deepEqual(
      [...first.items, ...rest.items].map((r) => r.reservationId),
      booked,
    );
  });

  it('checks in an event reservation with its event, once', async () => {
    const item = await f.stores.catalog.create(catalogItem());
    const r = reservationFor({ eventId: item.eventId });
    await f.stores.reservations.book(booking(r));
    const event = venueEvent('CheckInCompleted', { reservationId: r.reservationId });
    const out = await f.stores.reservations.checkIn({ reservation: r, now: NOW, event });
    assert.deepEqual(out, { reservation: { ...r, status: 'checked_in', updatedAt: NOW } });
    assert.equal((await f.stores.reservations.get(r.reservationId))?.status, 'checked_in');
    // a checked-in reservation no longer counts against the user's cap; its guard stays
    assert.equal(await activeCount(r.userId), 0);
    await assert.rejects(
      f.stores.reservations.book(booking(reservationFor({ eventId: item.eventId }, { userId: r.userId }))),
      AlreadyBooked,
    );
    await assert.rejects(
      f.stores.reservations.checkIn({ reservation: r, now: NOW, event: venueEvent('CheckInCompleted') }),
      InvalidState,
    );
    await assert.rejects(f.stores.reservations.cancel(r, NOW), InvalidState);
  });

  it('checks a pickup in and opens its queue ticket in the same transaction', async () => {
    const [slot] = await f.stores.slots.createMany([
      {
        slotId: '',
        venueId: 'flagship-001',
        startsAt: '2026-12-11T15:00:00.000Z',
        endsAt: '2026-12-11T15:15:00.000Z',
        capacity: 5,
        booked: 0,
        remaining: 5,
      },
    ]);
    assert.ok(slot);
    const r = reservationFor({ slotId: slot.slotId }, { orderRef: 'A-1' });
    await f.stores.reservations.book(booking(r));
    const t = ticket({ userId: r.userId, serviceKind: 'pickup', reservationId: r.reservationId });
    const out = await f.stores.reservations.checkIn({
      reservation: r,
      now: NOW,
      event: venueEvent('CheckInCompleted'),
      ticket: join(t),
    });
    assert.deepEqual(out.ticket, t);
    assert.equal((await f.stores.queue.get(t.ticketId))?.version, 1);

    // a second pickup of the same user while the first ticket is active: ALREADY_QUEUED, nothing written
    const r2 = reservationFor({ slotId: slot.slotId }, { orderRef: 'A-2' });
    await f.stores.reservations.book(booking(r2));
    const t2 = ticket({ userId: r2.userId, serviceKind: 'pickup' });
    await f.stores.queue.join(join(t2));
    await assert.rejects(
      f.stores.reservations.checkIn({
        reservation: r2,
        now: NOW,
        event: venueEvent('CheckInCompleted'),
        ticket: join(ticket({ userId: r2.userId })),
      }),
      AlreadyQueued,
    );
    assert.equal((await f.stores.reservations.get(r2.reservationId))?.status, 'confirmed');
  });

  it('counts a pickup slot’s reservations still to check in, in the transactions that move them', async () => {
    const venueId = `v-awaiting-${randomUUID()}`;
    const [slot] = await f.stores.slots.createMany([
      {
        slotId: '',
        venueId,
        startsAt: '2026-12-11T16:00:00.000Z',
        endsAt: '2026-12-11T16:15:00.000Z',
        capacity: 5,
        booked: 0,
        remaining: 5,
      },
    ]);
    assert.ok(slot);
    const awaiting = async () =>
      (await f.stores.slots.awaitingCheckIns(venueId, { from: slot.startsAt, to: slot.endsAt })).map((s) => [
        s.slotId,
        s.awaiting,
      ]);
    assert.deepEqual(await awaiting(), [[slot.slotId, 0]]);
    const booked = [1, 2, 3].map(() => reservationFor({ slotId: slot.slotId }, { venueId }));
    for (const r of booked) await f.stores.reservations.book(booking(r));
    assert.deepEqual(await awaiting(), [[slot.slotId, 3]]);
    await f.stores.reservations.cancel(booked[0]!, NOW);
    await f.stores.reservations.checkIn({
      reservation: booked[1]!,
      now: NOW,
      event: venueEvent('CheckInCompleted'),
    });
    assert.deepEqual(await awaiting(), [[slot.slotId, 1]]);
    // a check-in the queue refuses (ALREADY_QUEUED) changes nothing, the counter included
    const held = ticket({ userId: booked[2]!.userId, venueId });
    await f.stores.queue.join(join(held));
    await assert.rejects(
      f.stores.reservations.checkIn({
        reservation: booked[2]!,
        now: NOW,
        event: venueEvent('CheckInCompleted'),
        ticket: join(ticket({ userId: booked[2]!.userId, venueId, serviceKind: 'pickup' })),
      }),
      AlreadyQueued,
    );
    assert.deepEqual(await awaiting(), [[slot.slotId, 1]]);
    // nor does the counter reach the slot as clients see it
    assert.deepEqual(Object.keys((await f.stores.slots.get(slot.slotId))!).sort(), [
      'booked',
      'capacity',
      'endsAt',
      'remaining',
      'slotId',
      'startsAt',
      'venueId',
    ]);
  });
});
