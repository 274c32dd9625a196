/**
 * Sensitive business flows (OWASP API6): the per-user caps of the venue rules — active
 * reservations per user, queue joins per user per hour — answer 429 RATE_LIMITED, hold under
 * concurrent bursts (the caps live in the store's transactions, not in a read-then-write),
 * write nothing when they refuse, and follow a new deployment of the rules without a restart.
 * Over the real DynamoDB adapters.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEvent } from '../helpers/api-harness.ts';
import { deployedRules, dynamoBed, person } from './support.ts';

const RESERVATION_CAP = 3;
const JOIN_CAP = 2;

function rulesWithCaps(reservations: number, joins: number) {
  const rules = deployedRules();
  for (const venue of Object.values(rules.venues)) {
    venue.limits = { ...venue.limits, activeReservationsPerUser: reservations, queueJoinsPerHour: joins };
  }
  return rules;
}

const bed = await dynamoBed(rulesWithCaps(RESERVATION_CAP, JOIN_CAP));
const { h } = bed;
const operator = await person('olivia', ['operators']);

async function events(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await createEvent(h, { title: `Event ${i}`, capacity: 20 })).eventId);
  return ids;
}

describe('active reservations per user', () => {
  it('the booking past the cap answers 429 RATE_LIMITED, counts pickups too, and writes nothing', async () => {
    const alice = await person('alice');
    const [e1, e2, e3] = await events(3);
    const slots = await bed.as(operator, 'POST', '/venues/flagship-001/pickup-slots', {
      body: { date: '2026-12-02', from: '10:00', to: '10:30', slotMinutes: 30, capacity: 10 },
    });
    const book = (id: string | undefined) =>
      bed.as(alice, 'POST', `/events/${id}/reservations`, { body: { partySize: 2 } });
    assert.equal((await book(e1)).status, 201);
    assert.equal((await book(e2)).status, 201);
    const pickup = await bed.as(alice, 'POST', `/pickup-slots/${slots.body.items[0].slotId}/bookings`, {
      body: { orderRef: 'ORD-1' },
    });
    assert.equal(pickup.status, 201);

    const over = await book(e3);
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, 'RATE_LIMITED');
    assert.equal((await bed.as(undefined, 'GET', `/events/${e3}`)).body.event.remaining, 20);
    assert.equal((await bed.as(alice, 'GET', '/me/reservations')).body.items.length, 3);

    // cancelling one frees a place under the cap; another shopper was never limited
    await bed.as(alice, 'DELETE', `/reservations/${pickup.body.reservation.reservationId}`);
    assert.equal((await book(e3)).status, 201);
    const bob = await person('bob');
    assert.equal(
      (await bed.as(bob, 'POST', `/events/${e3}/reservations`, { body: { partySize: 1 } })).status,
      201,
    );
  });

  it('holds under a concurrent burst: exactly the cap succeeds', async () => {
    const mallory = await person('mallory');
    const ids = await events(8);
    const results = await Promise.all(
      ids.map((id) => bed.as(mallory, 'POST', `/events/${id}/reservations`, { body: { partySize: 1 } })),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [
      ...Array(RESERVATION_CAP).fill(201),
      ...Array(8 - RESERVATION_CAP).fill(429),
    ]);
    const mine = await bed.as(mallory, 'GET', '/me/reservations');
    assert.equal(
      mine.body.items.filter((r: { status: string }) => r.status === 'confirmed').length,
      RESERVATION_CAP,
    );
    const booked = await Promise.all(ids.map((id) => bed.as(undefined, 'GET', `/events/${id}`)));
    assert.equal(
      booked.reduce((sum, r) => sum + r.body.event.booked, 0),
      RESERVATION_CAP,
    );
  });

  it('an idempotent replay at the cap returns the first booking, not 429', async () => {
    const carol = await person('carol');
    const ids = await events(RESERVATION_CAP);
    const first = await bed.as(carol, 'POST', `/events/${ids[0]}/reservations`, {
      body: { partySize: 1 },
      headers: { 'idempotency-key': 'abuse-replay-1' },
    });
    for (const id of ids.slice(1))
      await bed.as(carol, 'POST', `/events/${id}/reservations`, { body: { partySize: 1 } });
    const replay = await bed.as(carol, 'POST', `/events/${ids[0]}/reservations`, {
      body: { partySize: 1 },
      headers: { 'idempotency-key': 'abuse-replay-1' },
    });
    assert.equal(replay.status, 200);
    assert.equal(replay.body.reservation.reservationId, first.body.reservation.reservationId);
  });
});

describe('queue joins per user per hour', () => {
  const join = (who: Awaited<ReturnType<typeof person>>) =>
    bed.as(who, 'POST', '/venues/flagship-001/queue/tickets', {
      body: { serviceKind: 'returns', partySize: 1 },
    });

  it('join, leave and join again past the cap → 429; the next hour opens it again', async () => {
    h.clock.set('2026-12-01T15:05:00.000Z');
    const dave = await person('dave');
    for (let i = 0; i < JOIN_CAP; i++) {
      const ticket = await join(dave);
      assert.equal(ticket.status, 201, JSON.stringify(ticket.body));
      assert.equal(
        (await bed.as(dave, 'DELETE', `/queue/tickets/${ticket.body.ticket.ticketId}`)).status,
        200,
      );
    }
    const over = await join(dave);
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, 'RATE_LIMITED');
    const board = await bed.as(operator, 'GET', '/venues/flagship-001/queue');
    assert.ok(board.body.waiting.every((t: { userId: string }) => t.userId !== dave.sub));

    h.clock.set('2026-12-01T16:00:00.000Z');
    assert.equal((await join(dave)).status, 201);
  });

  it('a concurrent burst of joins by one user opens exactly one ticket', async () => {
    h.clock.set('2026-12-01T17:10:00.000Z');
    const erin = await person('erin');
    const results = await Promise.all(Array.from({ length: 6 }, () => join(erin)));
    const created = results.filter((r) => r.status === 201);
    assert.equal(created.length, 1);
    for (const r of results.filter((x) => x.status !== 201)) {
      assert.ok(['ALREADY_QUEUED', 'RATE_LIMITED'].includes(r.body.error.code), r.body.error.code);
    }
    const board = await bed.as(operator, 'GET', '/venues/flagship-001/queue');
    assert.equal(board.body.waiting.filter((t: { userId: string }) => t.userId === erin.sub).length, 1);
  });

  it('a new deployment of the rules moves the cap without a restart', async () => {
    h.clock.set('2026-12-01T18:10:00.000Z');
    const frank = await person('frank');
    for (let i = 0; i < JOIN_CAP; i++) {
      const t = await join(frank);
      await bed.as(frank, 'DELETE', `/queue/tickets/${t.body.ticket.ticketId}`);
    }
    assert.equal((await join(frank)).status, 429);
    h.rules.deploy(rulesWithCaps(RESERVATION_CAP, JOIN_CAP + 1));
    assert.equal((await join(frank)).status, 201);
    h.rules.deploy(rulesWithCaps(RESERVATION_CAP, JOIN_CAP));
  });
});
