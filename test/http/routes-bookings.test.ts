import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoRules } from '../fakes/demo-rules.ts';
import { createEvent, createHarness, type Harness } from '../helpers/api-harness.ts';
import { cancellingAnEventReleasesItsBookings } from '../helpers/cancel-event-scenario.ts';

async function makeSlots(h: Harness, date = '2026-12-01', capacity = 2) {
  const res = await h.call('POST', '/venues/flagship-001/pickup-slots', {
    as: 'olivia',
    body: { date, from: '10:00', to: '12:00', slotMinutes: 30, capacity },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.items as Array<{ slotId: string; startsAt: string; endsAt: string }>;
}

describe('POST /events/{eventId}/reservations', () => {
  it('books, counts seats, emits BookingConfirmed and marks it published', async () => {
    const h = await createHarness();
    const event = await createEvent(h, { capacity: 4 });
    const res = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'alice',
      body: { partySize: 3 },
      headers: { 'x-correlation-id': 'corr-1' },
    });
    assert.equal(res.status, 201);
    const r = res.body.reservation;
    assert.equal(r.status, 'confirmed');
    assert.equal(r.userId, 'user-alice');
    assert.equal(r.type, 'event');
    assert.equal(r.partySize, 3);
    assert.equal((await h.call('GET', `/events/${event.eventId}`)).body.event.remaining, 1);
    assert.equal(h.publisher.published.length, 1);
    const detail = h.publisher.published[0]?.detail;
    assert.equal(h.publisher.published[0]?.detailType, 'BookingConfirmed');
    assert.equal(detail?.reservationId, r.reservationId);
    assert.equal(detail?.correlationId, 'corr-1');
    assert.equal(detail?.title, 'Sneaker launch');
    assert.deepEqual(await h.memory.outbox.listPending('9999', 10), []);
    const full = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'bob',
      body: { partySize: 2 },
    });
    assert.equal(full.status, 409);
    assert.equal(full.body.error.code, 'CAPACITY_EXCEEDED');
  });

  it('keeps the booking when the bus fails and leaves the event to the outbox', async () => {
    const h = await createHarness();
    const event = await createEvent(h);
    h.publisher.failures = 1;
    const res = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'alice',
      body: { partySize: 1 },
    });
    assert.equal(res.status, 201);
    const pending = await h.memory.outbox.listPending('9999', 10);
    assert.equal(pending.length, 1);
    assert.equal(pending[0]?.detail.reservationId, res.body.reservation.reservationId);
  });

  it('answers every booking error code', async () => {
    const h = await createHarness();
    const event = await createEvent(h);
    const first = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'alice',
      body: { partySize: 1 },
    });
    assert.equal(first.status, 201);
    const again = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'alice',
      body: { partySize: 1 },
    });
    assert.equal(again.body.error.code, 'ALREADY_BOOKED');
    const tooMany = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'bob',
      body: { partySize: 7 },
    });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error.details[0].path, 'partySize');
    for (const body of [
      {},
      { partySize: 0 },
      { partySize: 'two' },
      { partySize: 1, status: 'confirmed' },
      { partySize: 1, userId: 'x' },
    ]) {
      const res = await h.call('POST', `/events/${event.eventId}/reservations`, { as: 'bob', body });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    assert.equal(
      (await h.call('POST', '/events/missing/reservations', { as: 'bob', body: { partySize: 1 } })).status,
      404,
    );
    const draft = await createEvent(h, { status: 'draft' });
    const past = await createEvent(h, { startsAt: '2026-11-30T10:00:00Z', endsAt: '2026-11-30T11:00:00Z' });
    const cancelled = await createEvent(h);
    await h.call('PATCH', `/events/${cancelled.eventId}`, { as: 'olivia', body: { status: 'cancelled' } });
    const product = await h.call('POST', '/venues/flagship-001/events', {
      as: 'olivia',
      body: { kind: 'product', title: 'Mug', priceCents: 1 },
    });
    for (const id of [past.eventId, cancelled.eventId, product.body.event.eventId]) {
      const res = await h.call('POST', `/events/${id}/reservations`, { as: 'bob', body: { partySize: 1 } });
      assert.equal(res.status, 409, id);
      assert.equal(res.body.error.code, 'NOT_BOOKABLE');
    }
    const shopperOnDraft = await h.call('POST', `/events/${draft.eventId}/reservations`, {
      as: 'bob',
      body: { partySize: 1 },
    });
    assert.equal(shopperOnDraft.body.error.code, 'NOT_BOOKABLE');
    const operatorOnDraft = await h.call('POST', `/events/${draft.eventId}/reservations`, {
      as: 'olivia',
      body: { partySize: 1 },
    });
    assert.equal(operatorOnDraft.body.error.code, 'NOT_BOOKABLE');
    const huge = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'bob',
      rawBody: JSON.stringify({ partySize: 1, pad: 'x'.repeat(17 * 1024) }),
    });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, 'PAYLOAD_TOO_LARGE');
    const notJson = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'bob',
      rawBody: '{"partySize":',
    });
    assert.equal(notJson.status, 400);
    const textBody = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'bob',
      rawBody: 'partySize=1',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(textBody.status, 400);
  });

  it('caps active reservations per user (429)', async () => {
    const doc = demoRules({ limits: { activeReservationsPerUser: 2, queueJoinsPerHour: 6 } });
    const h = await createHarness({ rules: doc });
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push((await createEvent(h, { title: `E${i}` })).eventId);
    assert.equal(
      (await h.call('POST', `/events/${ids[0]}/reservations`, { as: 'alice', body: { partySize: 1 } }))
        .status,
      201,
    );
    const second = await h.call('POST', `/events/${ids[1]}/reservations`, {
      as: 'alice',
      body: { partySize: 1 },
    });
    assert.equal(second.status, 201);
    const third = await h.call('POST', `/events/${ids[2]}/reservations`, {
      as: 'alice',
      body: { partySize: 1 },
    });
    assert.equal(third.status, 429);
    assert.equal(third.body.error.code, 'RATE_LIMITED');
    await h.call('DELETE', `/reservations/${second.body.reservation.reservationId}`, { as: 'alice' });
    assert.equal(
      (await h.call('POST', `/events/${ids[2]}/reservations`, { as: 'alice', body: { partySize: 1 } }))
        .status,
      201,
    );
    // A checked-in reservation is being used: it no longer counts against the cap.
    const fourth = (await createEvent(h, { title: 'E3' })).eventId;
    assert.equal(
      (await h.call('POST', `/events/${fourth}/reservations`, { as: 'alice', body: { partySize: 1 } }))
        .status,
      429,
    );
    h.clock.set('2026-12-02T14:50:00.000Z');
    const used = [...h.memory.state.reservations.values()].find((r) => r.status === 'confirmed')!;
    const checkIn = await h.call('POST', `/reservations/${used.reservationId}/check-in`, { as: 'alice' });
    assert.equal(checkIn.status, 200);
    assert.equal(
      (await h.call('POST', `/events/${fourth}/reservations`, { as: 'alice', body: { partySize: 1 } }))
        .status,
      201,
    );
  });

  it('replays the same Idempotency-Key: one reservation, one event, 201 then 200; other body → 409', async () => {
    const h = await createHarness();
    const event = await createEvent(h);
    const send = (partySize: number, as: 'alice' | 'bob' = 'alice') =>
      h.call('POST', `/events/${event.eventId}/reservations`, {
        as,
        body: { partySize },
        headers: { 'Idempotency-Key': 'key-1' },
      });
    const first = await send(2);
    const second = await send(2);
    assert.equal(first.status, 201);
    assert.equal(second.status, 200);
    assert.deepEqual(second.body.reservation, first.body.reservation);
    const concurrent = await Promise.all([send(2), send(2), send(2)]);
    assert.ok(concurrent.every((r) => r.status === 200));
    assert.equal(h.memory.state.reservations.size, 1);
    assert.equal(h.publisher.published.length, 1);
    const mismatch = await send(3);
    assert.equal(mismatch.status, 409);
    assert.equal(mismatch.body.error.code, 'IDEMPOTENCY_MISMATCH');
    // keys are per user: bob's same key is his own request
    assert.equal((await send(2, 'bob')).status, 201);
    const badKey = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'alice',
      body: { partySize: 1 },
      headers: { 'idempotency-key': 'bad key with spaces' },
    });
    assert.equal(badKey.status, 400);
  });

  it('resolves concurrent first requests with one key to one reservation', async () => {
    const h = await createHarness();
    const event = await createEvent(h);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.call('POST', `/events/${event.eventId}/reservations`, {
          as: 'alice',
          body: { partySize: 1 },
          headers: { 'Idempotency-Key': 'race' },
        }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 200, 201]);
    assert.equal(new Set(results.map((r) => r.body.reservation.reservationId)).size, 1);
    assert.equal(h.publisher.published.length, 1);
  });
});

describe('reservations: list, cancel', () => {
  it('lets the bookings of a cancelled event go', async () => {
    await cancellingAnEventReleasesItsBookings(await createHarness());
  });

  it('lists own reservations newest first and cancels them once', async () => {
    const h = await createHarness();
    const a = await createEvent(h, { title: 'A' });
    const b = await createEvent(h, { title: 'B' });
    const ra = await h.call('POST', `/events/${a.eventId}/reservations`, {
      as: 'alice',
      body: { partySize: 2 },
    });
    h.clock.advanceMinutes(1);
    await h.call('POST', `/events/${b.eventId}/reservations`, { as: 'alice', body: { partySize: 1 } });
    await h.call('POST', `/events/${b.eventId}/reservations`, { as: 'bob', body: { partySize: 1 } });
    const mine = await h.call('GET', '/me/reservations', { as: 'alice' });
    assert.deepEqual(
      mine.body.items.map((r: { eventId: string }) => r.eventId),
      [b.eventId, a.eventId],
    );
    const id = ra.body.reservation.reservationId;
    assert.equal((await h.call('DELETE', `/reservations/${id}`, { as: 'bob' })).status, 404);
    const cancel = await h.call('DELETE', `/reservations/${id}`, { as: 'alice' });
    assert.equal(cancel.status, 200);
    assert.equal(cancel.body.reservation.status, 'cancelled');
    assert.equal((await h.call('GET', `/events/${a.eventId}`)).body.event.remaining, 10);
    const twice = await h.call('DELETE', `/reservations/${id}`, { as: 'olivia' });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'INVALID_STATE');
    assert.equal((await h.call('GET', `/events/${a.eventId}`)).body.event.remaining, 10);
    assert.equal((await h.call('DELETE', '/reservations/unknown', { as: 'olivia' })).status, 404);
    assert.equal((await h.call('GET', '/me/reservations?limit=500', { as: 'alice' })).status, 400);
  });
});

describe('pickup slots and bookings', () => {
  it('makes no slot that would be over already: a past day is refused, today only what is still on', async () => {
    const h = await createHarness();
    // slots that would be over already are not made: the day before is refused, and of
    // today's, only those still to end
    const create = (date: string, from: string, to: string) =>
      h.call('POST', '/venues/flagship-001/pickup-slots', {
        as: 'olivia',
        body: { date, from, to, slotMinutes: 30, capacity: 2 },
      });
    const yesterday = await create('2026-11-30', '10:00', '12:00');
    assert.equal(yesterday.status, 400);
    assert.deepEqual(yesterday.body.error.details, [
      { path: 'date', message: 'every slot of this day would be over already' },
    ]);
    // now is 10:00 in New York: 09:15–09:45 is over, 09:45–10:15 is still on
    const morning = await create('2026-12-01', '09:15', '10:15');
    assert.equal(morning.status, 201);
    assert.deepEqual(
      morning.body.items.map((s: { startsAt: string }) => s.startsAt),
      ['2026-12-01T14:45:00.000Z'],
    );
  });

  it('lists a slot’s reservations in booking order for the pickup desk (ADR 0416)', async () => {
    const h = await createHarness();
    const [slot] = await makeSlots(h, '2026-12-01', 5);
    const book = (as: 'alice' | 'bob', orderRef: string) =>
      h.call('POST', `/pickup-slots/${slot!.slotId}/bookings`, { as, body: { orderRef } });
    await book('alice', 'ORD-A');
    h.clock.advanceMinutes(1);
    await book('bob', 'ORD-B');
    const desk = await h.call('GET', `/pickup-slots/${slot!.slotId}/reservations`, { as: 'olivia' });
    assert.equal(desk.status, 200);
    assert.deepEqual(
      desk.body.items.map((r: { orderRef: string; status: string }) => [r.orderRef, r.status]),
      [
        ['ORD-A', 'confirmed'],
        ['ORD-B', 'confirmed'],
      ],
    );
    const first = await h.call('GET', `/pickup-slots/${slot!.slotId}/reservations?limit=1`, { as: 'olivia' });
    assert.equal(first.body.items.length, 1);
    assert.ok(first.body.nextCursor);
    assert.equal(
      (await h.call('GET', '/pickup-slots/no-such-slot/reservations', { as: 'olivia' })).status,
      404,
    );
    assert.equal(
      (await h.call('GET', `/pickup-slots/${slot!.slotId}/reservations`, { as: 'alice' })).status,
      403,
    );
  });

  it('makes and lists slots up to 9999-12-30 only: later instants have no YYYY- ISO form to sort by', async () => {
    const h = await createHarness();
    const body = { from: '20:00', to: '21:00', slotMinutes: 30, capacity: 2 };
    const last = await h.call('POST', '/venues/flagship-001/pickup-slots', {
      as: 'olivia',
      body: { ...body, date: '9999-12-30' },
    });
    assert.equal(last.status, 201);
    const listed = await h.call('GET', '/venues/flagship-001/pickup-slots?date=9999-12-30');
    assert.deepEqual(
      listed.body.items.map((slot: { slotId: string }) => slot.slotId),
      last.body.items.map((slot: { slotId: string }) => slot.slotId),
    );
    const beyond = [
      await h.call('POST', '/venues/flagship-001/pickup-slots', {
        as: 'olivia',
        body: { ...body, date: '9999-12-31' },
      }),
      await h.call('GET', '/venues/flagship-001/pickup-slots?date=9999-12-31'),
    ];
    for (const res of beyond) {
      assert.equal(res.status, 400);
      assert.deepEqual(res.body.error.details, [{ path: 'date', message: 'must be 9999-12-30 or earlier' }]);
    }
  });

  it('generates slots (idempotently), lists the venue day and books one', async () => {
    const h = await createHarness();
    const slots = await makeSlots(h);
    assert.equal(slots.length, 4);
    assert.equal(slots[0]?.startsAt, '2026-12-01T15:00:00.000Z');
    assert.equal((await makeSlots(h)).length, 0);
    const day = await h.call('GET', '/venues/flagship-001/pickup-slots?date=2026-12-01');
    assert.equal(day.status, 200);
    assert.equal(day.body.items.length, 4);
    assert.equal(day.body.items[0].remaining, 2);
    const slotId = slots[3]?.slotId ?? '';
    const res = await h.call('POST', `/pickup-slots/${slotId}/bookings`, {
      as: 'alice',
      body: { orderRef: 'ORD-1' },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.reservation.type, 'pickup');
    assert.equal(res.body.reservation.orderRef, 'ORD-1');
    assert.equal(res.body.reservation.partySize, 1);
    assert.equal(h.publisher.published[0]?.detail.title, 'Pickup ORD-1');
    assert.equal(h.publisher.published[0]?.detail.slotId, slotId);
    h.clock.set('2026-12-01T15:30:00.000Z');
    const past = await h.call('POST', `/pickup-slots/${slots[0]?.slotId}/bookings`, {
      as: 'bob',
      body: { orderRef: 'O2' },
    });
    assert.equal(past.body.error.code, 'NOT_BOOKABLE');
    assert.equal(
      (await h.call('POST', '/pickup-slots/nope/bookings', { as: 'bob', body: { orderRef: 'O' } })).status,
      404,
    );
    assert.equal(
      (await h.call('POST', `/pickup-slots/${slotId}/bookings`, { as: 'bob', body: {} })).status,
      400,
    );
    assert.equal(
      (
        await h.call('POST', `/pickup-slots/${slotId}/bookings`, {
          as: 'bob',
          body: { orderRef: 'O', partySize: 2 },
        })
      ).body.error.code,
      'CAPACITY_EXCEEDED',
    );
  });

  it('refuses closed dates, times outside hours and bad shapes; honours the pickup flag', async () => {
    const h = await createHarness({ rules: demoRules({ hours: { tue: ['09:00', '18:00'] } }) });
    const closed = await h.call('POST', '/venues/flagship-001/pickup-slots', {
      as: 'olivia',
      body: { date: '2026-12-25', from: '10:00', to: '12:00', slotMinutes: 30, capacity: 2 },
    });
    assert.equal(closed.status, 400);
    const monday = await h.call('POST', '/venues/flagship-001/pickup-slots', {
      as: 'olivia',
      body: { date: '2026-11-30', from: '10:00', to: '12:00', slotMinutes: 30, capacity: 2 },
    });
    assert.equal(monday.status, 400);
    const early = await h.call('POST', '/venues/flagship-001/pickup-slots', {
      as: 'olivia',
      body: { date: '2026-12-01', from: '08:00', to: '12:00', slotMinutes: 30, capacity: 2 },
    });
    assert.equal(early.status, 400);
    for (const body of [
      { date: '2026-02-30', from: '10:00', to: '12:00', slotMinutes: 30, capacity: 2 },
      { date: '2026-12-01', from: '10:00', to: '09:00', slotMinutes: 30, capacity: 2 },
      { date: '2026-12-01', from: '25:00', to: '12:00', slotMinutes: 30, capacity: 2 },
      { date: '2026-12-01', from: '10:00', to: '12:00', slotMinutes: 1, capacity: 2 },
    ]) {
      assert.equal(
        (await h.call('POST', '/venues/flagship-001/pickup-slots', { as: 'olivia', body })).status,
        400,
      );
    }
    assert.equal((await h.call('GET', '/venues/flagship-001/pickup-slots')).status, 400);
    assert.equal((await h.call('GET', '/venues/elsewhere/pickup-slots?date=2026-12-01')).status, 404);
    const doc = demoRules();
    doc.features.pickup = false;
    h.rules.deploy(doc);
    const off = await h.call('GET', '/venues/flagship-001/pickup-slots?date=2026-12-01');
    assert.equal(off.status, 503);
    assert.equal(off.body.error.code, 'FEATURE_DISABLED');
    assert.equal(
      (await h.call('POST', '/pickup-slots/x/bookings', { as: 'bob', body: { orderRef: 'O' } })).status,
      503,
    );
  });
});
