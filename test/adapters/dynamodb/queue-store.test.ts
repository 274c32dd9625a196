import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../src/adapters/dynamodb/index.ts';
import {
  AlreadyQueued,
  InvalidState,
  NotFound,
  QueueFull,
  RateLimited,
  ValidationFailed,
} from '../../../src/domain/errors.ts';
import {
  booking,
  join,
  NOW,
  reservationFor,
  type StoreFixture,
  ticket,
  useStores,
  venueEvent,
} from './fixtures.ts';

describe('DynamoQueueStore', () => {
  let f: StoreFixture;
  before(async () => {
    f = await useStores();
  });

  async function waitingCount(venueId: string): Promise<number> {
    const doc = createDocumentClient(f.endpoint);
    const out = await doc.send(
      new GetCommand({ TableName: f.tables.queueState, Key: { pk: `VENUE#${venueId}`, sk: 'COUNTERS' } }),
    );
    return Number(out.Item?.waiting ?? 0);
  }

  it('joins, reads back the stored ticket, and lists it as active', async () => {
    const t = ticket({ venueId: 'v-join' });
    assert.deepEqual(await f.stores.queue.join(join(t)), { ...t, version: 1 });
    assert.deepEqual(await f.stores.queue.get(t.ticketId), { ...t, version: 1 });
    assert.equal(await f.stores.queue.get('missing'), undefined);
    assert.deepEqual(
      (await f.stores.queue.listActive('v-join')).map((x) => x.ticketId),
      [t.ticketId],
    );
    assert.equal(await waitingCount('v-join'), 1);
  });

  it('refuses a second active ticket, a full queue and too many joins in an hour', async () => {
    const venueId = 'v-limits';
    const first = ticket({ venueId });
    await f.stores.queue.join(join(first));
    await assert.rejects(f.stores.queue.join(join(ticket({ venueId, userId: first.userId }))), AlreadyQueued);
    await f.stores.queue.join(join(ticket({ venueId }), { maxLength: 2 }));
    await assert.rejects(f.stores.queue.join(join(ticket({ venueId }), { maxLength: 2 })), QueueFull);
    assert.equal(await waitingCount(venueId), 2);

    // joins per hour: leave and re-join until the hourly cap
    const userId = 'user-hasty';
    for (let i = 0; i < 2; i++) {
      const t = ticket({ venueId: 'v-rate', userId, joinedAt: `2026-12-01T12:1${i}:00.000Z` });
      const stored = await f.stores.queue.join(join(t, { maxJoinsPerHour: 2 }));
      await f.stores.queue.transition(stored, { to: 'left', at: t.joinedAt });
    }
    const third = ticket({ venueId: 'v-rate', userId, joinedAt: '2026-12-01T12:30:00.000Z' });
    await assert.rejects(f.stores.queue.join(join(third, { maxJoinsPerHour: 2 })), RateLimited);
    // the next clock hour counts afresh
    const nextHour = ticket({ venueId: 'v-rate', userId, joinedAt: '2026-12-01T13:00:00.000Z' });
    await f.stores.queue.join(join(nextHour, { maxJoinsPerHour: 2 }));
  });

  it('transitions keep the waiting count and the guard in step', async () => {
    const venueId = 'v-flow';
    const t = await f.stores.queue.join(join(ticket({ venueId })));
    await f.stores.queue.applyPlan(venueId, [
      { ticketId: t.ticketId, version: 1, laneId: 'L1', position: 1, etaAt: NOW },
    ]);
    const planned = await f.stores.queue.get(t.ticketId);
    assert.ok(planned);
    const called = await f.stores.queue.transition(planned, { to: 'called', at: NOW, laneId: 'L1' });
    assert.equal(called.status, 'called');
    assert.equal(called.calledLaneId, 'L1');
    assert.equal(called.position, undefined);
    assert.deepEqual(await f.stores.queue.get(t.ticketId), called);
    assert.equal(await waitingCount(venueId), 0);
    // still active while called: the user cannot join again
    await assert.rejects(f.stores.queue.join(join(ticket({ venueId, userId: t.userId }))), AlreadyQueued);
    const done = await f.stores.queue.transition(called, { to: 'done', at: NOW, outcome: 'served' });
    assert.deepEqual(await f.stores.queue.get(t.ticketId), done);
    assert.equal(done.outcome, 'served');
    assert.deepEqual(await f.stores.queue.listActive(venueId), []);
    // the guard is gone: the user may queue again
    await f.stores.queue.join(
      join(ticket({ venueId, userId: t.userId, joinedAt: '2026-12-01T12:05:00.000Z' })),
    );
    // a stale copy and an unknown ticket are refused
    await assert.rejects(f.stores.queue.transition(called, { to: 'no_show', at: NOW }), InvalidState);
    await assert.rejects(
      f.stores.queue.transition({ ...t, ticketId: 'missing' }, { to: 'left', at: NOW }),
      NotFound,
    );
  });

  it("lists a user's tickets at every venue newest first, page by page, and refuses another list's cursor", async () => {
    const userId = `user-${NOW}-lists`;
    const at = (minute: number) => `2026-12-01T12:${String(minute).padStart(2, '0')}:00.000Z`;
    const older = await f.stores.queue.join(join(ticket({ venueId: 'v-mine-1', userId, joinedAt: at(1) })));
    const left = await f.stores.queue.transition(older, { to: 'left', at: at(2) });
    // two in the same millisecond at two venues: by id, as the index sorts them
    const [a, b] = [
      ticket({ venueId: 'v-mine-1', userId, joinedAt: at(5) }),
      ticket({ venueId: 'v-mine-2', userId, joinedAt: at(5) }),
    ].sort((x, y) => (x.ticketId < y.ticketId ? 1 : -1));
    await f.stores.queue.join(join(a!));
    await f.stores.queue.join(join(b!));
    await f.stores.queue.join(join(ticket({ venueId: 'v-mine-1', joinedAt: at(9) }))); // someone else's

    const all = await f.stores.queue.listByUser(userId, { limit: 10 });
    assert.deepEqual(
      all.items.map((t) => t.ticketId),
      [a!.ticketId, b!.ticketId, older.ticketId],
    );
    assert.deepEqual(all.items[2], left);
    assert.equal(all.nextCursor, undefined);
    const walked: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await f.stores.queue.listByUser(userId, { limit: 1, ...(cursor ? { cursor } : {}) });
      walked.push(...page.items.map((t) => t.ticketId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    assert.deepEqual(walked, [a!.ticketId, b!.ticketId, older.ticketId]);
    const first = await f.stores.queue.listByUser(userId, { limit: 1 });
    assert.ok(first.nextCursor);
    await assert.rejects(
      f.stores.queue.listByUser('user-someone-else', { limit: 1, cursor: first.nextCursor }),
      ValidationFailed,
    );
    assert.deepEqual((await f.stores.queue.listByUser('user-nobody', { limit: 5 })).items, []);
  });

  it('concurrent transitions of one ticket: exactly one wins', async () => {
    const venueId = 'v-race';
    const t = await f.stores.queue.join(join(ticket({ venueId })));
    const results = await Promise.allSettled([
      f.stores.queue.transition(t, { to: 'called', at: NOW, laneId: 'L1' }),
      f.stores.queue.transition(t, { to: 'left', at: NOW }),
      f.stores.queue.transition(t, { to: 'called', at: NOW, laneId: 'L2' }),
      f.stores.queue.transition(t, { to: 'no_show', at: NOW }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof InvalidState);
    assert.equal(await waitingCount(venueId), 0);
    assert.equal((await f.stores.queue.get(t.ticketId))?.version, 2);
  });

  it('applyPlan writes where the version holds and skips the rest', async () => {
    const venueId = 'v-plan';
    const a = await f.stores.queue.join(join(ticket({ venueId })));
    const b = await f.stores.queue.join(join(ticket({ venueId, joinedAt: '2026-12-01T12:01:00.000Z' })));
    const c = await f.stores.queue.join(join(ticket({ venueId, joinedAt: '2026-12-01T12:02:00.000Z' })));
    await f.stores.queue.transition(b, { to: 'left', at: NOW });
    const plan = (id: string, position: number) => ({
      ticketId: id,
      version: 1,
      laneId: 'L2',
      position,
      etaAt: '2026-12-01T12:10:00.000Z',
    });
    // c moved on meanwhile (another plan bumped it)
    await f.stores.queue.applyPlan(venueId, [plan(c.ticketId, 9)]);
    const result = await f.stores.queue.applyPlan(venueId, [
      plan(a.ticketId, 1),
      plan(b.ticketId, 2),
      plan(c.ticketId, 3),
      plan('missing', 4),
    ]);
    assert.deepEqual(result, { written: 1, skipped: 3 });
    const stored = await f.stores.queue.get(a.ticketId);
    assert.deepEqual(
      [stored?.laneId, stored?.position, stored?.etaAt, stored?.status, stored?.version],
      ['L2', 1, '2026-12-01T12:10:00.000Z', 'waiting', 2],
    );
    assert.equal((await f.stores.queue.get(c.ticketId))?.position, 9);
    assert.deepEqual(await f.stores.queue.applyPlan(venueId, []), { written: 0, skipped: 0 });
    // a plan is written for its own venue only (the lane plan keys name the venue)
    assert.deepEqual(
      await f.stores.queue.applyPlan('v-elsewhere', [{ ...plan(a.ticketId, 5), version: 2 }]),
      {
        written: 0,
        skipped: 1,
      },
    );
  });

  it('applyPlan keeps the fairness deadline with the ticket', async () => {
    const venueId = 'v-deadline';
    const a = await f.stores.queue.join(join(ticket({ venueId })));
    const deadline = '2026-12-01T12:20:00.000Z';
    await f.stores.queue.applyPlan(venueId, [
      {
        ticketId: a.ticketId,
        version: 1,
        laneId: 'L1',
        position: 1,
        etaAt: NOW,
        fairnessDeadlineAt: deadline,
      },
    ]);
    assert.equal((await f.stores.queue.get(a.ticketId))?.fairnessDeadlineAt, deadline);
    // a later plan without one leaves it as it is
    await f.stores.queue.applyPlan(venueId, [
      { ticketId: a.ticketId, version: 2, laneId: 'L2', position: 1, etaAt: NOW },
    ]);
    const stored = await f.stores.queue.get(a.ticketId);
    assert.deepEqual([stored?.laneId, stored?.fairnessDeadlineAt], ['L2', deadline]);
  });

  it('applyPlan clears the plan of a ticket no open lane serves, where the version holds', async () => {
    const venueId = 'v-clear';
    const a = await f.stores.queue.join(join(ticket({ venueId })));
    const b = await f.stores.queue.join(join(ticket({ venueId, joinedAt: '2026-12-01T12:01:00.000Z' })));
    const planned = (id: string) => ({
      ticketId: id,
      version: 1,
      laneId: 'L3',
      position: 1,
      etaAt: '2026-12-01T12:10:00.000Z',
    });
    await f.stores.queue.applyPlan(venueId, [planned(a.ticketId), planned(b.ticketId)]);
    const result = await f.stores.queue.applyPlan(venueId, [
      { ticketId: a.ticketId, version: 2, unplanned: true },
      { ticketId: b.ticketId, version: 1, unplanned: true }, // read before the plan: skipped
    ]);
    assert.deepEqual(result, { written: 1, skipped: 1 });
    const cleared = await f.stores.queue.get(a.ticketId);
    assert.deepEqual(
      [cleared?.laneId, cleared?.position, cleared?.etaAt, cleared?.status, cleared?.version],
      [undefined, undefined, undefined, 'waiting', 3],
    );
    assert.equal((await f.stores.queue.get(b.ticketId))?.laneId, 'L3');
  });

  it('reads a lane plan up to a ticket: waiting tickets of that lane and venue at its position or ahead', async () => {
    const venueId = 'v-lane';
    const at = (minute: number) => `2026-12-01T12:${String(minute).padStart(2, '0')}:00.000Z`;
    const [a, b, c, d, e, other] = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((m) => f.stores.queue.join(join(ticket({ venueId, joinedAt: at(m) })))),
    );
    const elsewhere = await f.stores.queue.join(join(ticket({ venueId: 'v-lane-2' })));
    const place = (t: { ticketId: string }, laneId: string, position: number) => ({
      ticketId: t.ticketId,
      version: 1,
      laneId,
      position,
      etaAt: NOW,
    });
    await f.stores.queue.applyPlan(venueId, [
      place(a!, 'L1', 1),
      place(b!, 'L1', 2),
      place(c!, 'L1', 3),
      place(d!, 'L1', 10), // behind c, and sorts after it although "10" < "3" as text
      place(e!, 'L1', 4),
      place(other!, 'L2', 1),
    ]);
    await f.stores.queue.applyPlan('v-lane-2', [place(elsewhere, 'L1', 1)]);
    const upTo = async (t: { ticketId: string }) =>
      (await f.stores.queue.lanePlanUpTo((await f.stores.queue.get(t.ticketId))!))
        .map((x) => x.ticketId)
        .sort();
    assert.deepEqual(await upTo(c!), [a!.ticketId, b!.ticketId, c!.ticketId].sort());
    assert.deepEqual(await upTo(d!), [a!, b!, c!, d!, e!].map((x) => x.ticketId).sort());
    // a tie at c's position (a plan half written) is read whatever the ids' order; a ticket
    // moved to another lane leaves this one
    await f.stores.queue.applyPlan(venueId, [
      { ...place(e!, 'L1', 3), version: 2 },
      { ...place(other!, 'L1', 3), version: 2 },
    ]);
    await f.stores.queue.applyPlan(venueId, [{ ...place(other!, 'L3', 1), version: 3 }]);
    assert.deepEqual(await upTo(c!), [a!.ticketId, b!.ticketId, c!.ticketId, e!.ticketId].sort());
    // a called ticket leaves the plan, and so does one whose plan is taken back
    await f.stores.queue.transition((await f.stores.queue.get(a!.ticketId))!, {
      to: 'called',
      at: NOW,
      laneId: 'L1',
    });
    await f.stores.queue.applyPlan(venueId, [{ ticketId: b!.ticketId, version: 2, unplanned: true }]);
    assert.deepEqual(await upTo(c!), [c!.ticketId, e!.ticketId].sort());
    const entry = (await f.stores.queue.lanePlanUpTo((await f.stores.queue.get(c!.ticketId))!)).find(
      (x) => x.ticketId === c!.ticketId,
    );
    assert.deepEqual(entry, {
      ticketId: c!.ticketId,
      status: 'waiting',
      serviceKind: c!.serviceKind,
      accessibility: c!.accessibility,
      laneId: 'L1',
      position: 3,
      joinedAt: c!.joinedAt,
    });
    assert.deepEqual(await f.stores.queue.lanePlanUpTo(b!), [], 'no plan, no lane list');
    // an older worker (a rollback) moves e ahead without moving its entry: e counts nowhere
    await createDocumentClient(f.endpoint).send(
      new UpdateCommand({
        TableName: f.tables.queueState,
        Key: { pk: `TICKET#${e!.ticketId}`, sk: 'TICKET' },
        UpdateExpression: 'SET #position = :position',
        ExpressionAttributeNames: { '#position': 'position' },
        ExpressionAttributeValues: { ':position': 1 },
      }),
    );
    assert.deepEqual(await upTo(c!), [c!.ticketId]);
    // a position the lane plan keys cannot sort is refused at the write
    for (const position of [1.5, -1, 1e10]) {
      await assert.rejects(f.stores.queue.applyPlan(venueId, [place(d!, 'L1', position)]), RangeError);
    }
  });

  it('reads a lane plan’s head in plan order, as far as asked, without entries that moved', async () => {
    const venueId = 'v-head';
    const tickets = await Promise.all(
      [0, 1, 2, 3].map((m) =>
        f.stores.queue.join(join(ticket({ venueId, joinedAt: `2026-12-01T12:0${m}:00.000Z` }))),
      ),
    );
    // planned out of joining order, one at position 10 (it must sort after 9)
    const positions = [10, 2, 9, 1];
    await f.stores.queue.applyPlan(
      venueId,
      tickets.map((t, i) => ({
        ticketId: t.ticketId,
        version: 1,
        laneId: 'L1',
        position: positions[i]!,
        etaAt: NOW,
      })),
    );
    const head = async (limit: number) =>
      (await f.stores.queue.lanePlanHead(venueId, 'L1', limit)).map((e) => [e.ticketId, e.position]);
    const [t0, t1, t2, t3] = tickets.map((t) => t.ticketId);
    assert.deepEqual(await head(2), [
      [t3, 1],
      [t1, 2],
    ]);
    assert.deepEqual(await head(10), [
      [t3, 1],
      [t1, 2],
      [t2, 9],
      [t0, 10],
    ]);
    assert.deepEqual(await f.stores.queue.lanePlanHead(venueId, 'L2', 10), []);
    await f.stores.queue.transition((await f.stores.queue.get(t3!))!, {
      to: 'called',
      at: NOW,
      laneId: 'L1',
    });
    assert.deepEqual(await head(1), [[t1, 2]]);
    // an older worker (a rollback) moves t1 without moving its entry: the head skips it
    await createDocumentClient(f.endpoint).send(
      new UpdateCommand({
        TableName: f.tables.queueState,
        Key: { pk: `TICKET#${t1}`, sk: 'TICKET' },
        UpdateExpression: 'SET #position = :position',
        ExpressionAttributeNames: { '#position': 'position' },
        ExpressionAttributeValues: { ':position': 5 },
      }),
    );
    assert.deepEqual(await head(10), [
      [t2, 9],
      [t0, 10],
    ]);
  });

  it('reads a plan written before the lane plan index as no plan, so that the worker writes it again', async () => {
    const t = await f.stores.queue.join(join(ticket({ venueId: 'v-old-plan' })));
    const doc = createDocumentClient(f.endpoint);
    /** A plan write as it was before byLanePlan: the plan's fields, no index keys. */
    const oldPlanWrite = (values: Record<string, unknown>) =>
      doc.send(
        new UpdateCommand({
          TableName: f.tables.queueState,
          Key: { pk: `TICKET#${t.ticketId}`, sk: 'TICKET' },
          UpdateExpression: `SET ${Object.keys(values)
            .map((name) => `#${name} = :${name}`)
            .join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(Object.keys(values).map((name) => [`#${name}`, name])),
          ExpressionAttributeValues: Object.fromEntries(
            Object.entries(values).map(([name, value]) => [`:${name}`, value]),
          ),
        }),
      );
    await oldPlanWrite({ laneId: 'L1', position: 1, etaAt: NOW });
    const stored = await f.stores.queue.get(t.ticketId);
    assert.deepEqual([stored?.laneId, stored?.position, stored?.etaAt], [undefined, undefined, NOW]);
    assert.equal((await f.stores.queue.listActive('v-old-plan'))[0]?.position, undefined);
    // the plan of the new worker counts
    await f.stores.queue.applyPlan('v-old-plan', [
      { ticketId: t.ticketId, version: 1, laneId: 'L2', position: 4, etaAt: NOW },
    ]);
    assert.deepEqual(
      [(await f.stores.queue.get(t.ticketId))?.laneId, (await f.stores.queue.get(t.ticketId))?.position],
      ['L2', 4],
    );
    // an older worker (a rollback) moves it without moving its index entry: no plan again
    await oldPlanWrite({ position: 1 });
    assert.equal((await f.stores.queue.get(t.ticketId))?.position, undefined);
  });

  it('a served pickup completes its reservation and emits PickupCompleted, in one transaction', async () => {
    const [slot] = await f.stores.slots.createMany([
      {
        slotId: '',
        venueId: 'v-pickup',
        startsAt: '2026-12-11T15:00:00.000Z',
        endsAt: '2026-12-11T15:15:00.000Z',
        capacity: 5,
        booked: 0,
        remaining: 5,
      },
    ]);
    assert.ok(slot);
    const r = reservationFor({ slotId: slot.slotId }, { venueId: 'v-pickup', orderRef: 'B-1' });
    await f.stores.reservations.book(booking(r));
    const joinCmd = join(ticket({ venueId: 'v-pickup', userId: r.userId, reservationId: r.reservationId }));
    await f.stores.reservations.checkIn({
      reservation: r,
      now: NOW,
      event: venueEvent('CheckInCompleted'),
      ticket: joinCmd,
    });
    const stored = await f.stores.queue.get(joinCmd.ticket.ticketId);
    assert.ok(stored);
    const called = await f.stores.queue.transition(stored, { to: 'called', at: NOW, laneId: 'L1' });
    const event = venueEvent('PickupCompleted', {
      reservationId: r.reservationId,
      ticketId: stored.ticketId,
    });
    const later = '2026-12-01T12:30:00.000Z';
    await f.stores.queue.transition(called, {
      to: 'done',
      at: later,
      outcome: 'served',
      completeReservation: { reservationId: r.reservationId, event },
    });
    const done = await f.stores.reservations.get(r.reservationId);
    assert.deepEqual([done?.status, done?.updatedAt], ['completed', later]);
    // its guard is gone (the user may book that slot again) and its count was released once, at check-in
    await f.stores.reservations.book(
      booking(
        reservationFor({ slotId: slot.slotId }, { venueId: 'v-pickup', userId: r.userId, orderRef: 'B-2' }),
      ),
    );
    const doc = createDocumentClient(f.endpoint);
    const counter = await doc.send(
      new GetCommand({
        TableName: f.tables.reservations,
        Key: { pk: `USER#${r.userId}#v-pickup`, sk: 'COUNTERS' },
      }),
    );
    assert.equal(counter.Item?.active, 1);
    assert.ok((await f.stores.outbox.listPending('9999', 1000)).some((e) => e.detail.id === event.detail.id));
    // completing the same reservation twice fails and leaves the ticket untouched
    const other = await f.stores.queue.join(join(ticket({ venueId: 'v-pickup' })));
    await assert.rejects(
      f.stores.queue.transition(other, {
        to: 'done',
        at: later,
        outcome: 'served',
        completeReservation: { reservationId: r.reservationId, event: venueEvent('PickupCompleted') },
      }),
      InvalidState,
    );
    assert.equal((await f.stores.queue.get(other.ticketId))?.status, 'waiting');
    await assert.rejects(
      f.stores.queue.transition(other, {
        to: 'done',
        at: later,
        completeReservation: { reservationId: 'missing', event: venueEvent('PickupCompleted') },
      }),
      NotFound,
    );
  });
});
