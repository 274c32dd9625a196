import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { StoredTicket } from '../../src/domain/ports.ts';
import { insideCheckInWindow } from '../../src/services/check-in.ts';
import { eligibleLanes, livePositions } from '../../src/services/queue-position.ts';
import { demoVenue } from '../fakes/demo-rules.ts';
import { referenceFifoEstimates } from '../helpers/positions-reference.ts';

const venue = demoVenue();
const now = new Date('2026-12-01T15:00:00.000Z');
let n = 0;
const ticket = (fields: Partial<StoredTicket>): StoredTicket => {
  n += 1;
  return {
    ticketId: `t${n}`,
    venueId: 'flagship-001',
    userId: `u${n}`,
    serviceKind: 'returns',
    partySize: 1,
    accessibility: false,
    status: 'waiting',
    joinedAt: `2026-12-01T14:${String(n).padStart(2, '0')}:00.000Z`,
    version: 1,
    ...fields,
  };
};

describe('live positions', () => {
  it('renumbers the plan of each lane from 1, skipping called tickets', () => {
    const a = ticket({ laneId: 'L1', position: 2, etaAt: '2026-12-01T15:06:00.000Z' });
    const b = ticket({ laneId: 'L1', position: 3 });
    const c = ticket({ laneId: 'L3', position: 1 });
    const called = ticket({ status: 'called', laneId: 'L1' });
    const live = livePositions([a, b, c, called], venue, now);
    assert.deepEqual(live.get(a.ticketId), { position: 1, etaAt: '2026-12-01T15:06:00.000Z', laneId: 'L1' });
    assert.equal(live.get(b.ticketId)?.position, 2);
    assert.equal(live.get(b.ticketId)?.etaAt, '2026-12-01T15:06:00.000Z');
    assert.equal(live.get(c.ticketId)?.position, 1);
    assert.equal(live.has(called.ticketId), false);
  });

  it('estimates unplanned tickets FIFO over the lanes that could serve them', () => {
    const a = ticket({ serviceKind: 'consultation' });
    const b = ticket({ serviceKind: 'pickup' });
    const c = ticket({ serviceKind: 'returns' });
    const live = livePositions([a, b, c], venue, now);
    assert.equal(live.get(a.ticketId)?.position, 1);
    // pickup lanes L1, L2 share nothing with L3-only consultation
    assert.equal(live.get(b.ticketId)?.position, 1);
    // returns (L1, L3) shares lanes with both earlier tickets
    assert.equal(live.get(c.ticketId)?.position, 3);
    const etaMinutes = (Date.parse(live.get(c.ticketId)?.etaAt ?? '') - now.getTime()) / 60_000;
    assert.equal(etaMinutes, (15 + 3) / 2);
  });

  it('estimates unplanned tickets as a scan of everyone ahead would, in any mix', () => {
    const kinds = ['pickup', 'returns', 'consultation', 'repairs'] as const;
    const arbitrary = fc.record({
      laneOpen: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
      tickets: fc.array(
        fc.record({
          kind: fc.constantFrom(...kinds),
          accessible: fc.boolean(),
          minute: fc.integer({ min: 0, max: 59 }),
          planned: fc.option(fc.constantFrom('L1', 'L2', 'L3'), { nil: undefined }),
          status: fc.constantFrom('waiting', 'waiting', 'waiting', 'called'),
        }),
        { maxLength: 60 },
      ),
    });
    fc.assert(
      fc.property(arbitrary, ({ laneOpen, tickets }) => {
        const rules = { ...venue, lanes: venue.lanes.map((l, i) => ({ ...l, open: laneOpen[i]! })) };
        const all = tickets.map((t, i) =>
          ticket({
            serviceKind: t.kind,
            accessibility: t.accessible,
            status: t.status as StoredTicket['status'],
            joinedAt: `2026-12-01T14:${String(t.minute).padStart(2, '0')}:00.000Z`,
            ...(t.planned === undefined ? {} : { laneId: t.planned, position: i + 1 }),
          }),
        );
        const live = livePositions(all, rules, now);
        for (const [id, expected] of referenceFifoEstimates(all, rules, now)) {
          const got = live.get(id);
          assert.equal(got?.position, expected.position, id);
          // the same minutes, summed in another order: equal to the millisecond
          assert.ok(Math.abs(Date.parse(got?.etaAt ?? '') - Date.parse(expected.etaAt)) <= 1, id);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives a ticket no open lane serves its place among those waiting for the lanes, no ETA', () => {
    const closed = {
      ...venue,
      lanes: venue.lanes.map((l) => (l.laneId === 'L3' ? { ...l, open: false } : l)),
    };
    // planned on L3 before it closed: the stale plan must not show
    const a = ticket({
      serviceKind: 'consultation',
      laneId: 'L3',
      position: 1,
      etaAt: '2026-12-01T15:02:00.000Z',
    });
    const b = ticket({ serviceKind: 'consultation' });
    const c = ticket({ serviceKind: 'returns' });
    const live = livePositions([a, b, c], closed, now);
    assert.deepEqual(live.get(a.ticketId), { position: 1 });
    assert.deepEqual(live.get(b.ticketId), { position: 2 });
    assert.equal(live.get(c.ticketId)?.position, 1, 'returns still has L1');
  });

  it('sends accessibility tickets only to accessible lanes', () => {
    assert.deepEqual(
      eligibleLanes(venue, { serviceKind: 'pickup', accessibility: true }).map((l) => l.laneId),
      ['L1'],
    );
    assert.deepEqual(eligibleLanes(venue, { serviceKind: 'consultation', accessibility: true }), []);
  });
});

describe('check-in window', () => {
  const r = { startsAt: '2026-12-01T16:00:00.000Z', endsAt: '2026-12-01T17:00:00.000Z' };
  it('opens `before` minutes ahead and closes `after` minutes past the end, inclusive', () => {
    assert.equal(insideCheckInWindow(venue, r, new Date('2026-12-01T15:29:59.999Z')), false);
    assert.equal(insideCheckInWindow(venue, r, new Date('2026-12-01T15:30:00.000Z')), true);
    assert.equal(insideCheckInWindow(venue, r, new Date('2026-12-01T17:15:00.000Z')), true);
    assert.equal(insideCheckInWindow(venue, r, new Date('2026-12-01T17:15:00.001Z')), false);
  });
});
