import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoRules } from '../fakes/demo-rules.ts';
import { createEvent, createHarness, type Harness } from '../helpers/api-harness.ts';

async function join(
  h: Harness,
  as: 'alice' | 'bob',
  body: Record<string, unknown> = { serviceKind: 'returns', partySize: 1 },
) {
  return h.call('POST', '/venues/flagship-001/queue/tickets', { as, body });
}

async function pickupReservation(h: Harness) {
  const slots = await h.call('POST', '/venues/flagship-001/pickup-slots', {
    as: 'olivia',
    body: { date: '2026-12-01', from: '10:00', to: '11:00', slotMinutes: 30, capacity: 5 },
  });
  const slotId = slots.body.items[1].slotId; // 15:30–16:00Z
  const res = await h.call('POST', `/pickup-slots/${slotId}/bookings`, {
    as: 'alice',
    body: { orderRef: 'ORD-9' },
  });
  assert.equal(res.status, 201);
  return res.body.reservation;
}

describe('check-in', () => {
  it('checks in an event inside its window only, once', async () => {
    const h = await createHarness();
    const event = await createEvent(h, { startsAt: '2026-12-01T16:00:00Z', endsAt: '2026-12-01T17:00:00Z' });
    const r = (
      await h.call('POST', `/events/${event.eventId}/reservations`, { as: 'alice', body: { partySize: 1 } })
    ).body.reservation;
    const early = await h.call('POST', `/reservations/${r.reservationId}/check-in`, { as: 'alice' });
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, 'INVALID_STATE');
    h.clock.set('2026-12-01T15:30:00.000Z');
    assert.equal(
      (await h.call('POST', `/reservations/${r.reservationId}/check-in`, { as: 'bob' })).status,
      404,
    );
    const ok = await h.call('POST', `/reservations/${r.reservationId}/check-in`, { as: 'alice' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.reservation.status, 'checked_in');
    assert.equal(ok.body.ticket, undefined);
    assert.equal(h.publisher.published.at(-1)?.detailType, 'CheckInCompleted');
    const again = await h.call('POST', `/reservations/${r.reservationId}/check-in`, { as: 'alice' });
    assert.equal(again.body.error.code, 'INVALID_STATE');
    const late = await createEvent(h, { startsAt: '2026-12-01T15:00:00Z', endsAt: '2026-12-01T15:40:00Z' });
    const r2 = (
      await h.call('POST', `/events/${late.eventId}/reservations`, { as: 'bob', body: { partySize: 1 } })
    ).body.reservation;
    h.clock.set('2026-12-01T15:56:00.000Z');
    assert.equal(
      (await h.call('POST', `/reservations/${r2.reservationId}/check-in`, { as: 'olivia' })).status,
      409,
    );
  });

  it('judges the window by the event as it stands: moved after booking, or cancelled', async () => {
    const h = await createHarness(); // now: 2026-12-01T15:00Z; window 30 min before to 15 after
    const book = async (as: 'alice' | 'bob', eventId: string) =>
      (await h.call('POST', `/events/${eventId}/reservations`, { as, body: { partySize: 1 } })).body
        .reservation.reservationId as string;
    const checkIn = (id: string) => h.call('POST', `/reservations/${id}/check-in`, { as: 'olivia' });
    const move = (eventId: string, startsAt: string, endsAt: string) =>
      h.call('PATCH', `/events/${eventId}`, { as: 'olivia', body: { startsAt, endsAt } });

    // booked for tomorrow, then moved to start in 10 minutes: check-in is open now
    const sooner = await createEvent(h);
    const early = await book('alice', sooner.eventId);
    assert.equal((await checkIn(early)).status, 409);
    assert.equal(
      (await move(sooner.eventId, '2026-12-01T15:10:00.000Z', '2026-12-01T16:00:00.000Z')).status,
      200,
    );
    assert.equal((await checkIn(early)).status, 200);
    // and the shopper's list shows the event's new times, not those of the booking
    const listed = (await h.call('GET', '/me/reservations', { as: 'alice' })).body.items[0];
    assert.deepEqual(
      [listed.startsAt, listed.endsAt],
      ['2026-12-01T15:10:00.000Z', '2026-12-01T16:00:00.000Z'],
    );

    // booked for now, then moved to tomorrow: check-in is not open any more
    const later = await createEvent(h, {
      startsAt: '2026-12-01T15:10:00.000Z',
      endsAt: '2026-12-01T16:00:00.000Z',
    });
    const moved = await book('bob', later.eventId);
    assert.equal(
      (await move(later.eventId, '2026-12-02T15:00:00.000Z', '2026-12-02T16:00:00.000Z')).status,
      200,
    );
    const refused = await checkIn(moved);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'INVALID_STATE');

    // a cancelled event has nothing to check in to, even inside its old window: cancelling
    // it cancels its reservations, and one the index missed (booked a moment before) is
    // refused by check-in itself
    const off = await createEvent(h, {
      startsAt: '2026-12-01T15:10:00.000Z',
      endsAt: '2026-12-01T16:00:00.000Z',
    });
    const stranded = await book('alice', off.eventId);
    const item = h.memory.state.catalog.get(off.eventId);
    assert.ok(item);
    item.status = 'cancelled'; // as if route 17's sweep had not seen this reservation
    const cancelled = await checkIn(stranded);
    assert.equal(cancelled.status, 409);
    assert.equal(cancelled.body.error.code, 'INVALID_STATE');
    assert.equal(cancelled.body.error.message, 'This event was cancelled.');
    assert.equal(h.memory.state.reservations.get(stranded)?.status, 'confirmed');
  });

  it('opens a pickup ticket with the slot as appointment; served completes the reservation', async () => {
    const h = await createHarness();
    const r = await pickupReservation(h);
    const res = await h.call('POST', `/reservations/${r.reservationId}/check-in`, { as: 'alice' });
    assert.equal(res.status, 200);
    const ticket = res.body.ticket;
    assert.equal(ticket.serviceKind, 'pickup');
    assert.equal(ticket.reservationId, r.reservationId);
    assert.equal(ticket.orderRef, 'ORD-9'); // the lane has the order at hand when it calls
    assert.deepEqual(ticket.appointment, { startsAt: r.startsAt, endsAt: r.endsAt });
    assert.equal(ticket.position, 1);
    const checkInEvent = h.publisher.published.at(-1);
    assert.equal(checkInEvent?.detail.ticketId, ticket.ticketId);
    const called = await h.call('POST', '/venues/flagship-001/lanes/L2/call-next', { as: 'olivia' });
    assert.equal(called.status, 200);
    assert.equal(called.body.ticket.ticketId, ticket.ticketId);
    assert.equal(called.body.ticket.laneId, 'L2');
    const done = await h.call('POST', `/queue/tickets/${ticket.ticketId}/complete`, {
      as: 'olivia',
      body: { outcome: 'served' },
    });
    assert.equal(done.status, 200);
    assert.equal(done.body.ticket.status, 'done');
    const event = h.publisher.published.at(-1);
    assert.equal(event?.detailType, 'PickupCompleted');
    assert.equal(event?.detail.ticketId, ticket.ticketId);
    assert.equal(h.memory.state.reservations.get(r.reservationId)?.status, 'completed');
  });
});

describe('queue routes', () => {
  it('joins, shows live position, one ticket per user, leaves', async () => {
    const h = await createHarness();
    const a = await join(h, 'alice', { serviceKind: 'returns', partySize: 2, accessibility: true });
    assert.equal(a.status, 201);
    assert.equal(a.body.ticket.status, 'waiting');
    assert.equal(a.body.ticket.position, 1);
    assert.equal(a.body.ticket.accessibility, true);
    h.clock.advanceMinutes(1);
    const b = await join(h, 'bob');
    assert.equal(b.body.ticket.position, 2);
    const dup = await join(h, 'alice');
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'ALREADY_QUEUED');
    const id = a.body.ticket.ticketId;
    assert.equal((await h.call('GET', `/queue/tickets/${id}`, { as: 'bob' })).status, 404);
    assert.equal((await h.call('GET', `/queue/tickets/${id}`, { as: 'olivia' })).status, 200);
    const left = await h.call('DELETE', `/queue/tickets/${id}`, { as: 'alice' });
    assert.equal(left.body.ticket.status, 'left');
    assert.equal(
      (await h.call('DELETE', `/queue/tickets/${id}`, { as: 'alice' })).body.error.code,
      'INVALID_STATE',
    );
    const mine = await h.call('GET', `/queue/tickets/${b.body.ticket.ticketId}`, { as: 'bob' });
    assert.equal(mine.body.ticket.position, 1);
  });

  it('follows the worker plan on get and call-next', async () => {
    const h = await createHarness();
    const a = (await join(h, 'alice')).body.ticket;
    h.clock.advanceMinutes(1);
    const b = (await join(h, 'bob')).body.ticket;
    const stored = [...h.memory.state.tickets.values()];
    const versionOf = (id: string) => stored.find((t) => t.ticketId === id)?.version ?? 0;
    await h.memory.queue.applyPlan('flagship-001', [
      {
        ticketId: b.ticketId,
        version: versionOf(b.ticketId),
        laneId: 'L1',
        position: 1,
        etaAt: '2026-12-01T15:01:00.000Z',
      },
      {
        ticketId: a.ticketId,
        version: versionOf(a.ticketId),
        laneId: 'L1',
        position: 2,
        etaAt: '2026-12-01T15:07:00.000Z',
        fairnessDeadlineAt: '2026-12-01T15:20:00.000Z',
      },
    ]);
    const got = await h.call('GET', `/queue/tickets/${a.ticketId}`, { as: 'alice' });
    assert.equal(got.body.ticket.position, 2);
    assert.equal('fairnessDeadlineAt' in got.body.ticket, false, 'the worker’s deadline is never shown');
    assert.equal('version' in got.body.ticket, false);
    assert.equal(got.body.ticket.laneId, 'L1');
    assert.equal(got.body.ticket.etaAt, '2026-12-01T15:07:00.000Z');
    assert.equal(
      (await h.call('POST', '/venues/flagship-001/lanes/L3/call-next', { as: 'olivia' })).status,
      204,
    );
    const next = await h.call('POST', '/venues/flagship-001/lanes/L1/call-next', { as: 'olivia' });
    assert.equal(next.body.ticket.ticketId, b.ticketId);
    assert.equal(
      (await h.call('GET', `/queue/tickets/${a.ticketId}`, { as: 'alice' })).body.ticket.position,
      1,
    );
    const board = await h.call('GET', '/venues/flagship-001/queue', { as: 'olivia' });
    assert.equal(board.status, 200);
    assert.deepEqual(board.body.planner, { running: false }, 'no worker has ever planned here');
    assert.equal(board.body.stats.waiting, 1);
    assert.equal(board.body.stats.called, 1);
    const l1 = board.body.lanes.find((l: { laneId: string }) => l.laneId === 'L1');
    assert.deepEqual(
      l1.planned.map((t: { ticketId: string }) => t.ticketId),
      [a.ticketId],
    );
    assert.deepEqual(
      l1.called.map((t: { ticketId: string }) => t.ticketId),
      [b.ticketId],
    );
    assert.equal(
      (await h.call('POST', '/venues/flagship-001/lanes/L9/call-next', { as: 'olivia' })).status,
      404,
    );
  });

  it('tells the board whether the queue worker plans: running within a minute of its last cycle', async () => {
    const h = await createHarness();
    const board = async () => (await h.call('GET', '/venues/flagship-001/queue', { as: 'olivia' })).body;
    h.memory.state.plannerSeenAt = '2026-12-01T14:59:30.000Z';
    assert.deepEqual((await board()).planner, { running: true, seenAt: '2026-12-01T14:59:30.000Z' });
    h.clock.set('2026-12-01T15:00:30.000Z');
    assert.equal((await board()).planner.running, true, 'exactly 60 s ago still counts');
    h.clock.set('2026-12-01T15:00:31.000Z');
    assert.deepEqual((await board()).planner, { running: false, seenAt: '2026-12-01T14:59:30.000Z' });
  });

  it('calls FIFO among eligible tickets while no plan exists, skipping a ticket that changed meanwhile', async () => {
    const h = await createHarness();
    const a = (await join(h, 'alice', { serviceKind: 'consultation', partySize: 1 })).body.ticket;
    h.clock.advanceMinutes(1);
    const b = (await join(h, 'bob', { serviceKind: 'returns', partySize: 1 })).body.ticket;
    // L1 serves returns but not consultations: bob is the head for L1
    const first = await h.call('POST', '/venues/flagship-001/lanes/L1/call-next', { as: 'olivia' });
    assert.equal(first.body.ticket.ticketId, b.ticketId);
    const transition = h.memory.queue.transition.bind(h.memory.queue);
    let raced = false;
    h.memory.queue.transition = async (ticket, change) => {
      if (!raced && ticket.ticketId === a.ticketId) {
        raced = true;
        await h.memory.queue.applyPlan('flagship-001', [
          {
            ticketId: a.ticketId,
            version: ticket.version,
            laneId: 'L3',
            position: 1,
            etaAt: '2026-12-01T15:05:00.000Z',
          },
        ]);
      }
      return transition(ticket, change);
    };
    const second = await h.call('POST', '/venues/flagship-001/lanes/L3/call-next', { as: 'olivia' });
    assert.equal(second.status, 204);
    const third = await h.call('POST', '/venues/flagship-001/lanes/L3/call-next', { as: 'olivia' });
    assert.equal(third.body.ticket.ticketId, a.ticketId);
  });

  it('calls nobody to a closed lane (409 INVALID_STATE), though tickets it may serve wait', async () => {
    const h = await createHarness();
    const waiting = (await join(h, 'alice')).body.ticket; // returns: L1 or L3, not yet planned
    const rules = demoRules();
    const l3 = rules.venues['flagship-001']?.lanes.find((l) => l.laneId === 'L3');
    assert.ok(l3);
    l3.open = false;
    h.rules.deploy(rules);
    const closed = await h.call('POST', '/venues/flagship-001/lanes/L3/call-next', { as: 'olivia' });
    assert.equal(closed.status, 409);
    assert.equal(closed.body.error.code, 'INVALID_STATE');
    const still = await h.call('GET', `/queue/tickets/${waiting.ticketId}`, { as: 'alice' });
    assert.equal(still.body.ticket.status, 'waiting');
    const open = await h.call('POST', '/venues/flagship-001/lanes/L1/call-next', { as: 'olivia' });
    assert.equal(open.body.ticket.ticketId, waiting.ticketId);
  });

  it('leaves a ticket the worker re-planned between the read and the write', async () => {
    const h = await createHarness();
    const a = (await join(h, 'alice')).body.ticket;
    const transition = h.memory.queue.transition.bind(h.memory.queue);
    let plans = 0;
    h.memory.queue.transition = async (ticket, change) => {
      // the worker writes a plan twice in a row just before each of the first two attempts
      if (plans < 2) {
        plans++;
        await h.memory.queue.applyPlan('flagship-001', [
          {
            ticketId: a.ticketId,
            version: ticket.version,
            laneId: 'L1',
            position: plans,
            etaAt: '2026-12-01T15:05:00.000Z',
          },
        ]);
      }
      return transition(ticket, change);
    };
    const left = await h.call('DELETE', `/queue/tickets/${a.ticketId}`, { as: 'alice' });
    assert.equal(left.status, 200);
    assert.equal(left.body.ticket.status, 'left');
    assert.equal(plans, 2);
    assert.equal(h.memory.state.tickets.get(a.ticketId)?.status, 'left');
  });

  it('completes called tickets only; no_show outcome', async () => {
    const h = await createHarness();
    const a = (await join(h, 'alice')).body.ticket;
    const early = await h.call('POST', `/queue/tickets/${a.ticketId}/complete`, {
      as: 'olivia',
      body: { outcome: 'served' },
    });
    assert.equal(early.body.error.code, 'INVALID_STATE');
    await h.call('POST', '/venues/flagship-001/lanes/L1/call-next', { as: 'olivia' });
    const bad = await h.call('POST', `/queue/tickets/${a.ticketId}/complete`, {
      as: 'olivia',
      body: { outcome: 'gone' },
    });
    assert.equal(bad.status, 400);
    const res = await h.call('POST', `/queue/tickets/${a.ticketId}/complete`, {
      as: 'olivia',
      body: { outcome: 'no_show' },
    });
    assert.equal(res.body.ticket.status, 'no_show');
    assert.equal(res.body.ticket.outcome, 'no_show');
    assert.equal(h.publisher.published.length, 0);
    assert.equal(
      (await h.call('POST', '/queue/tickets/none/complete', { as: 'olivia', body: { outcome: 'served' } }))
        .status,
      404,
    );
  });

  it('answers QUEUE_CLOSED, QUEUE_FULL, RATE_LIMITED, FEATURE_DISABLED and 400s', async () => {
    const h = await createHarness({
      rules: demoRules({
        hours: { tue: ['09:00', '18:00'] },
        queue: {
          maxLength: 1,
          noShowGraceMinutes: 5,
          serviceMinutes: { pickup: 3, returns: 6, consultation: 15 },
        },
        limits: { activeReservationsPerUser: 10, queueJoinsPerHour: 2 },
      }),
    });
    h.clock.set('2026-12-01T13:00:00.000Z'); // 08:00 in New York
    assert.equal((await join(h, 'alice')).body.error.code, 'QUEUE_CLOSED');
    h.clock.set('2026-12-01T15:00:00.000Z');
    const a = (await join(h, 'alice')).body.ticket;
    assert.equal((await join(h, 'bob')).body.error.code, 'QUEUE_FULL');
    await h.call('DELETE', `/queue/tickets/${a.ticketId}`, { as: 'alice' });
    const again = await join(h, 'alice');
    assert.equal(again.status, 201);
    await h.call('DELETE', `/queue/tickets/${again.body.ticket.ticketId}`, { as: 'alice' });
    const third = await join(h, 'alice');
    assert.equal(third.status, 429);
    assert.equal(third.body.error.code, 'RATE_LIMITED');
    assert.equal((await join(h, 'bob', { serviceKind: 'tailoring', partySize: 1 })).status, 400);
    assert.equal((await join(h, 'bob', { serviceKind: 'returns', partySize: 9 })).status, 400);
    assert.equal(
      (await join(h, 'bob', { serviceKind: 'returns', partySize: 1, status: 'called' })).status,
      400,
    );
    assert.equal(
      (await join(h, 'bob', { serviceKind: 'consultation', partySize: 1, accessibility: true })).body.error
        .code,
      'QUEUE_CLOSED',
    );
    const doc = demoRules();
    doc.venues['flagship-001']?.lanes.forEach((l) => {
      l.open = l.laneId !== 'L3';
    });
    h.rules.deploy(doc);
    assert.equal(
      (await join(h, 'bob', { serviceKind: 'consultation', partySize: 1 })).body.error.code,
      'QUEUE_CLOSED',
    );
    doc.features.queue = false;
    h.rules.deploy(doc);
    assert.equal((await join(h, 'bob')).status, 503);
    assert.equal(
      (await h.call('POST', '/venues/flagship-001/lanes/L1/call-next', { as: 'olivia' })).status,
      503,
    );
    assert.equal(
      (
        await h.call('POST', '/venues/nowhere/queue/tickets', {
          as: 'bob',
          body: { serviceKind: 'returns', partySize: 1 },
        })
      ).status,
      404,
    );
  });
});

describe("a shopper's own tickets (GET /me/queue/tickets, ADR 0415)", () => {
  it('lists them newest first with the live place, the one an operator opened too, page by page', async () => {
    const h = await createHarness();
    const first = (await join(h, 'alice', { serviceKind: 'returns', partySize: 1 })).body.ticket;
    await h.call('DELETE', `/queue/tickets/${first.ticketId}`, { as: 'alice' });
    h.clock.advanceMinutes(1);
    await join(h, 'bob');
    // an operator checks Alice's pickup in: the ticket it opens is hers, not on her device
    const r = await pickupReservation(h);
    const checkIn = await h.call('POST', `/reservations/${r.reservationId}/check-in`, { as: 'olivia' });
    const opened = checkIn.body.ticket;
    assert.equal(opened.userId, r.userId);

    const mine = await h.call('GET', '/me/queue/tickets', { as: 'alice' });
    assert.equal(mine.status, 200);
    assert.deepEqual(
      mine.body.items.map((t: { ticketId: string; status: string }) => [t.ticketId, t.status]),
      [
        [opened.ticketId, 'waiting'],
        [first.ticketId, 'left'],
      ],
    );
    assert.equal(mine.body.nextCursor, undefined);
    // the waiting one has its live place, as GET /queue/tickets/{id} answers it
    const single = await h.call('GET', `/queue/tickets/${opened.ticketId}`, { as: 'alice' });
    assert.deepEqual(mine.body.items[0], single.body.ticket);
    assert.equal(typeof mine.body.items[0].position, 'number');
    assert.equal(typeof mine.body.items[0].etaAt, 'string');

    const page1 = await h.call('GET', '/me/queue/tickets?limit=1', { as: 'alice' });
    assert.equal(page1.body.items[0].ticketId, opened.ticketId);
    const page2 = await h.call('GET', `/me/queue/tickets?limit=1&cursor=${page1.body.nextCursor}`, {
      as: 'alice',
    });
    assert.deepEqual(
      page2.body.items.map((t: { ticketId: string }) => t.ticketId),
      [first.ticketId],
    );
    assert.equal(page2.body.nextCursor, undefined);
    const bobs = await h.call('GET', '/me/queue/tickets', { as: 'bob' });
    assert.equal(bobs.body.items.length, 1);
    assert.equal((await h.call('GET', '/me/queue/tickets', { as: 'olivia' })).body.items.length, 0);
  });

  it('refuses a bad page request with a 400', async () => {
    const h = await createHarness();
    for (const q of ['limit=0', 'limit=101', 'cursor=nonsense', 'status=waiting']) {
      const res = await h.call('GET', `/me/queue/tickets?${q}`, { as: 'alice' });
      assert.equal(res.status, 400, q);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED', q);
    }
    assert.equal((await h.call('GET', '/me/queue/tickets')).status, 401);
  });
});

describe('preferences', () => {
  it('answers defaults, saves and validates', async () => {
    const h = await createHarness();
    const defaults = await h.call('GET', '/me/preferences', { as: 'alice' });
    assert.deepEqual(defaults.body.preferences, {
      channels: { email: true, sms: false },
      interests: [],
      language: 'en',
      accessibility: false,
      marketingOptIn: false,
    });
    const prefs = {
      channels: { email: false, sms: true },
      phone: '+15551234567',
      email: 'alice@example.com',
      interests: ['sneakers', 'music'],
      language: 'en-US',
      accessibility: true,
      marketingOptIn: true,
    };
    const put = await h.call('PUT', '/me/preferences', { as: 'alice', body: prefs });
    assert.equal(put.status, 200);
    assert.deepEqual((await h.call('GET', '/me/preferences', { as: 'alice' })).body.preferences, prefs);
    assert.equal((await h.call('GET', '/me/preferences', { as: 'bob' })).body.preferences.language, 'en');
    for (const bad of [
      { ...prefs, interests: Array.from({ length: 21 }, (_, i) => `i${i}`) },
      { ...prefs, phone: '555' },
      { ...prefs, email: 'not-an-email' },
      { ...prefs, channels: { email: 'yes', sms: false } },
      { ...prefs, userId: 'user-bob' },
      { ...prefs, language: undefined },
    ]) {
      const res = await h.call('PUT', '/me/preferences', { as: 'alice', body: bad });
      assert.equal(res.status, 400, JSON.stringify(bad));
    }
  });
});
