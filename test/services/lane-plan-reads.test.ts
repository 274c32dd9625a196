/**
 * What reads a lane's plan instead of the venue's whole queue (ADR 0414), and must answer
 * exactly as the whole queue would:
 * - a ticket's GET (what every shopper's screen polls) numbers a planned ticket from the
 *   tickets ahead of it in its lane, as `livePositions` over every active ticket does (and the
 *   operators' board);
 * - call-next takes the head of the lane's plan, as a read of the whole queue would.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { QueueStore, StoredTicket } from '../../src/domain/ports.ts';
import { eligible } from '../../src/queue/jobs.ts';
import { eligibleLanes, livePositions } from '../../src/services/queue-position.ts';
import { demoRules, demoVenue } from '../fakes/demo-rules.ts';
import { createMemoryStores } from '../fakes/index.ts';
import { createHarness } from '../helpers/api-harness.ts';

const VENUE = 'flagship-001';
const NOW = '2026-12-01T15:00:00.000Z';

/**
 * Memory stores whose queue counts the reads of a venue's whole queue. Its lane plans come
 * back in the reverse of the index's order (position, then id): the port promises no order.
 */
function countingStores(overrides: Partial<Pick<QueueStore, 'lanePlanUpTo' | 'lanePlanHead'>> = {}) {
  const stores = createMemoryStores();
  const counter = { wholeQueueReads: 0 };
  const queue: QueueStore = {
    ...stores.queue,
    listActive: (venueId) => {
      counter.wholeQueueReads++;
      return stores.queue.listActive(venueId);
    },
    lanePlanHead: overrides.lanePlanHead ?? stores.queue.lanePlanHead,
    lanePlanUpTo:
      overrides.lanePlanUpTo ??
      (async (ticket) =>
        (await stores.queue.lanePlanUpTo(ticket)).sort(
          (a, b) => (b.position ?? 0) - (a.position ?? 0) || (a.ticketId < b.ticketId ? 1 : -1),
        )),
  };
  return { stores: { ...stores, queue }, counter };
}

function stored(i: number, fields: Partial<StoredTicket>): StoredTicket {
  return {
    // ids that sort against the order of joining, so that a tie broken by input order shows
    ticketId: `t${99 - i}`,
    venueId: VENUE,
    userId: `u${i}`,
    serviceKind: 'pickup',
    partySize: 1,
    accessibility: false,
    status: 'waiting',
    joinedAt: new Date(Date.parse(NOW) - (60 - i) * 60_000).toISOString(),
    version: 1,
    ...fields,
  };
}

/** A venue's queue in any state: lanes open or not, tickets planned anywhere, some called. */
const queueStates = fc.record({
  laneOpen: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
  tickets: fc.array(
    fc.record({
      kind: fc.constantFrom('pickup', 'returns', 'consultation'),
      accessible: fc.boolean(),
      called: fc.boolean(),
      lane: fc.option(fc.constantFrom('L1', 'L2', 'L3'), { nil: undefined }),
      // repeated positions happen while a plan is half written
      position: fc.integer({ min: 1, max: 6 }),
      eta: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }),
      // tickets join in the same millisecond too
      joined: fc.integer({ min: 0, max: 4 }),
    }),
    { minLength: 1, maxLength: 20 },
  ),
});

/** The stored tickets of a drawn queue state. */
function ticketsOf(tickets: QueueState['tickets']): StoredTicket[] {
  return tickets.map((t, i) =>
    stored(i, {
      serviceKind: t.kind,
      accessibility: t.accessible,
      joinedAt: new Date(Date.parse(NOW) - (10 - t.joined) * 60_000).toISOString(),
      ...(t.called
        ? { status: 'called', calledAt: NOW, ...(t.lane ? { calledLaneId: t.lane } : {}) }
        : t.lane
          ? {
              laneId: t.lane,
              position: t.position,
              ...(t.eta === undefined
                ? {}
                : { etaAt: new Date(Date.parse(NOW) + t.eta * 60_000).toISOString() }),
            }
          : {}),
    }),
  );
}
type QueueState = typeof queueStates extends fc.Arbitrary<infer T> ? T : never;

describe('a ticket’s live position read from its lane plan', () => {
  it('equals the whole queue’s numbering, and reads the whole queue only when the lane plan cannot say', async () => {
    await fc.assert(
      fc.asyncProperty(queueStates, async ({ laneOpen, tickets }) => {
        const lanes = demoVenue().lanes.map((lane, i) => ({ ...lane, open: laneOpen[i]! }));
        const venue = demoVenue({ lanes });
        const { stores, counter } = countingStores();
        const all = ticketsOf(tickets);
        for (const t of all) stores.state.tickets.set(t.ticketId, structuredClone(t));
        const h = await createHarness({ stores, rules: demoRules({ lanes }), now: NOW });
        const expected = livePositions(all, venue, new Date(NOW));
        for (const t of all.filter((x) => x.status === 'waiting')) {
          const before = counter.wholeQueueReads;
          const got = (await h.call('GET', `/queue/tickets/${t.ticketId}`, { as: 'olivia' })).body.ticket;
          const live = expected.get(t.ticketId)!;
          assert.deepEqual(
            { position: got.position, etaAt: got.etaAt, laneId: got.laneId },
            { position: live.position, etaAt: live.etaAt, laneId: live.laneId },
            t.ticketId,
          );
          const fromLane = t.laneId !== undefined && eligibleLanes(venue, t).length > 0;
          assert.equal(
            counter.wholeQueueReads - before,
            fromLane ? 0 : 1,
            `${t.ticketId} read the whole queue`,
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reads the whole queue while the lane plan index does not hold the ticket at its position yet', async () => {
    const a = stored(1, { laneId: 'L2', position: 1 });
    const b = stored(2, { laneId: 'L2', position: 2 });
    // the index still has b where an older plan put it, or not at all
    for (const lagging of [[{ ...b, position: 1 }], []]) {
      const { stores, counter } = countingStores({ lanePlanUpTo: async () => lagging });
      for (const t of [a, b]) stores.state.tickets.set(t.ticketId, structuredClone(t));
      const h = await createHarness({ stores, now: NOW });
      const got = (await h.call('GET', `/queue/tickets/${b.ticketId}`, { as: 'olivia' })).body.ticket;
      assert.equal(got.position, 2);
      assert.equal(counter.wholeQueueReads, 1);
    }
  });
});

/**
 * What call-next calls, read off the whole state (DESIGN.md §7): the head of the lane's plan
 * (position, then id), else the oldest unplanned ticket the lane may serve.
 */
function expectedCall(all: readonly StoredTicket[], laneId: string): string | undefined {
  const lane = demoVenue().lanes.find((l) => l.laneId === laneId)!;
  const waiting = all.filter((t) => t.status === 'waiting');
  const [head] = waiting
    .filter((t) => t.laneId === laneId && t.position !== undefined)
    .sort((a, b) => a.position! - b.position! || (a.ticketId < b.ticketId ? -1 : 1));
  if (head) return head.ticketId;
  const [oldest] = waiting
    .filter((t) => t.laneId === undefined && eligible(lane, t.serviceKind, t.accessibility))
    .sort((a, b) =>
      a.joinedAt !== b.joinedAt ? (a.joinedAt < b.joinedAt ? -1 : 1) : a.ticketId < b.ticketId ? -1 : 1,
    );
  return oldest?.ticketId;
}

/** A harness over `all` as stored, with the queue's reads counted and `overrides` in place. */
async function callNextOn(
  all: readonly StoredTicket[],
  laneId: string,
  overrides: Parameters<typeof countingStores>[0] = {},
) {
  const { stores, counter } = countingStores(overrides);
  for (const t of all) stores.state.tickets.set(t.ticketId, structuredClone(t));
  const h = await createHarness({ stores, now: NOW });
  const reply = await h.call('POST', `/venues/${VENUE}/lanes/${laneId}/call-next`, { as: 'olivia' });
  return {
    status: reply.status,
    ticketId: reply.body?.ticket?.ticketId as string | undefined,
    counter,
    stores,
  };
}

describe('call-next from the lane plan', () => {
  it('calls the plan’s head, else the oldest unplanned ticket, and reads the whole queue only for the latter', async () => {
    await fc.assert(
      fc.asyncProperty(queueStates, fc.constantFrom('L1', 'L2', 'L3'), async ({ tickets }, laneId) => {
        const all = ticketsOf(tickets);
        const expected = expectedCall(all, laneId);
        const fromPlan = await callNextOn(all, laneId);
        assert.deepEqual([fromPlan.status, fromPlan.ticketId], expected ? [200, expected] : [204, undefined]);
        const planned = all.some((t) => t.status === 'waiting' && t.laneId === laneId);
        assert.equal(fromPlan.counter.wholeQueueReads, planned ? 0 : 1, 'whole-queue reads');
        // and the whole queue alone (no lane plan to read) decides the same
        const fromQueue = await callNextOn(all, laneId, { lanePlanHead: async () => [] });
        assert.equal(fromQueue.ticketId, expected);
      }),
      { numRuns: 150 },
    );
  });

  it('passes over a head taken meanwhile, and asks the whole queue when the index is behind a re-plan', async () => {
    const a = stored(1, { laneId: 'L2', position: 1 });
    const b = stored(2, { laneId: 'L2', position: 2 });
    const entry = (t: StoredTicket, position: number) => ({ ...t, position });
    // a was called by another operator a moment ago; the index still shows it
    const taken = await callNextOn([{ ...a, status: 'called' }, b], 'L2', {
      lanePlanHead: async () => [entry(a, 1), entry(b, 2)],
    });
    assert.deepEqual([taken.ticketId, taken.counter.wholeQueueReads], [b.ticketId, 0]);
    // the worker moved a behind b; the index still shows the old plan
    const moved = await callNextOn(
      [
        { ...a, position: 2 },
        { ...b, position: 1 },
      ],
      'L2',
      {
        lanePlanHead: async () => [entry(a, 1), entry(b, 2)],
      },
    );
    assert.deepEqual([moved.ticketId, moved.counter.wholeQueueReads], [b.ticketId, 1]);
  });

  it('calls the head even when the worker rewrites it meanwhile (a lost version race)', async () => {
    const a = stored(1, { laneId: 'L2', position: 1 });
    const b = stored(2, { laneId: 'L2', position: 2 });
    const { stores, counter } = countingStores();
    for (const t of [a, b]) stores.state.tickets.set(t.ticketId, structuredClone(t));
    const transition = stores.queue.transition;
    let races = 0;
    stores.queue.transition = async (ticket, change) => {
      if (ticket.ticketId === a.ticketId && races < 2) {
        races++;
        // the worker writes a new ETA first: same place, next version
        const current = stores.state.tickets.get(a.ticketId)!;
        stores.state.tickets.set(a.ticketId, { ...current, version: current.version + 1 });
      }
      return transition(ticket, change);
    };
    const h = await createHarness({ stores, now: NOW });
    const reply = await h.call('POST', `/venues/${VENUE}/lanes/L2/call-next`, { as: 'olivia' });
    assert.deepEqual([reply.body.ticket.ticketId, races, counter.wholeQueueReads], [a.ticketId, 2, 0]);
  });
});
