import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { StoredTicket } from '../../src/domain/ports.ts';
import type { Lane } from '../../src/domain/rules.ts';
import { planQueue } from '../../src/queue/planner.ts';
import { NOW, rules } from './helpers.ts';

const KINDS = ['pickup', 'returns', 'consultation'];

const laneArb = fc.record({
  serviceKinds: fc.subarray(KINDS, { minLength: 1 }),
  accessible: fc.boolean(),
  open: fc.boolean(),
});

const ticketArb = fc.record({
  serviceKind: fc.constantFrom(...KINDS, 'repairs'),
  partySize: fc.integer({ min: 1, max: 6 }),
  accessibility: fc.boolean(),
  called: fc.boolean(),
  joinedMinutesAgo: fc.integer({ min: 0, max: 120 }),
  appointment: fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }),
});

const inputArb = fc.record({
  lanes: fc.array(laneArb, { minLength: 1, maxLength: 8 }),
  tickets: fc.array(ticketArb, { maxLength: 60 }),
  fairnessMinutes: fc.integer({ min: 0, max: 60 }),
  stabilityPositions: fc.integer({ min: 0, max: 5 }),
});

type RawInput = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;

function build(input: RawInput) {
  const lanes: Lane[] = input.lanes.map((l, i) => ({ laneId: `L${i}`, ...l }));
  const tickets: StoredTicket[] = input.tickets.map((t, i) => {
    const joined = NOW.getTime() - t.joinedMinutesAgo * 60_000;
    const ticket: StoredTicket = {
      ticketId: `t${i}`,
      venueId: 'v',
      userId: `u${i}`,
      serviceKind: t.serviceKind,
      partySize: t.partySize,
      accessibility: t.accessibility,
      status: t.called ? 'called' : 'waiting',
      joinedAt: new Date(joined).toISOString(),
      version: i + 1,
    };
    if (t.called) {
      ticket.calledAt = new Date(joined + 60_000).toISOString();
      ticket.calledLaneId = lanes[i % lanes.length]!.laneId;
    }
    if (t.appointment !== undefined) {
      const start = NOW.getTime() + t.appointment * 60_000;
      ticket.appointment = {
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(start + 900_000).toISOString(),
      };
    }
    return ticket;
  });
  return {
    lanes,
    tickets,
    rules: rules({ fairnessMinutes: input.fairnessMinutes, stabilityPositions: input.stabilityPositions }),
  };
}

function canServe(lane: Lane, t: StoredTicket): boolean {
  return lane.open && lane.serviceKinds.includes(t.serviceKind) && (!t.accessibility || lane.accessible);
}

describe('planQueue properties', () => {
  it('plans every waiting ticket exactly once, eligibly, with contiguous positions; or leaves it unplanned', () => {
    fc.assert(
      fc.property(inputArb, (raw) => {
        const { lanes, tickets, rules: r } = build(raw);
        const plan = planQueue({ tickets, lanes, rules: r, now: NOW });
        const waiting = tickets.filter((t) => t.status === 'waiting');
        const planned = plan.assignments.map((a) => a.ticketId);
        assert.equal(new Set(planned).size, planned.length, 'no duplicates');
        assert.deepEqual(
          [...planned, ...plan.unplannedTicketIds].sort(),
          waiting.map((t) => t.ticketId).sort(),
          'no ticket lost, no called ticket planned',
        );
        const laneById = new Map(lanes.map((l) => [l.laneId, l]));
        const ticketById = new Map(tickets.map((t) => [t.ticketId, t]));
        for (const a of plan.assignments) {
          const t = ticketById.get(a.ticketId)!;
          assert.ok(canServe(laneById.get(a.laneId)!, t), `${a.ticketId} eligible on ${a.laneId}`);
          assert.equal(a.version, t.version);
          assert.ok(Date.parse(a.etaAt) >= NOW.getTime());
        }
        for (const id of plan.unplannedTicketIds) {
          assert.ok(!lanes.some((l) => canServe(l, ticketById.get(id)!)), `${id} had an eligible open lane`);
        }
        for (const lanePlan of plan.lanes) {
          assert.ok(laneById.get(lanePlan.laneId)!.open, 'closed lanes get no plan');
          const positions = plan.assignments
            .filter((a) => a.laneId === lanePlan.laneId)
            .map((a) => a.position);
          assert.deepEqual(
            positions.sort((x, y) => x - y),
            lanePlan.ticketIds.map((_, i) => i + 1),
            'positions 1..n',
          );
        }
        assert.equal(
          plan.assignments.filter((a) => !laneById.get(a.laneId)!.open).length,
          0,
          'closed lanes stay empty',
        );
      }),
      { numRuns: 300 },
    );
  });

  it('moves no ticket back more than stabilityPositions on its lane between two plans', () => {
    fc.assert(
      fc.property(inputArb, fc.array(ticketArb, { maxLength: 20 }), (raw, joiners) => {
        const { lanes, tickets, rules: r } = build(raw);
        const first = planQueue({ tickets, lanes, rules: r, now: NOW });
        const byId = new Map(first.assignments.map((a) => [a.ticketId, a]));
        const replanned: StoredTicket[] = tickets.map((t) => {
          const a = byId.get(t.ticketId);
          return a === undefined ? t : { ...t, laneId: a.laneId, position: a.position, etaAt: a.etaAt };
        });
        const extra = build({ ...raw, tickets: joiners }).tickets.map((t) => ({
          ...t,
          ticketId: `j${t.ticketId}`,
          status: 'waiting' as const,
          calledAt: undefined,
          calledLaneId: undefined,
        }));
        const later = new Date(NOW.getTime() + 2000);
        const second = planQueue({ tickets: [...replanned, ...extra], lanes, rules: r, now: later });
        const bound = r.stabilityPositions!;
        for (const a of second.assignments) {
          const before = byId.get(a.ticketId);
          if (before === undefined || before.laneId !== a.laneId) continue;
          assert.ok(
            a.position <= before.position + bound,
            `${a.ticketId}: ${before.position} → ${a.position} (bound ${bound})`,
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});
