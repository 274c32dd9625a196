import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlannerMemory } from '../../src/queue/memory.ts';
import { type PlannerInput, planQueue } from '../../src/queue/planner.ts';
import { lane, minutesAgo, minutesFromNow, NOW, rules, serving, ticket } from './helpers.ts';

function byTicket(plan: ReturnType<typeof planQueue>) {
  return new Map(plan.assignments.map((a) => [a.ticketId, a]));
}

describe('planQueue', () => {
  it('serves an empty queue with empty lane plans', () => {
    const plan = planQueue({ tickets: [], lanes: [lane('L1', ['pickup'])], rules: rules(), now: NOW });
    assert.deepEqual(plan.assignments, []);
    assert.deepEqual(plan.lanes, [{ laneId: 'L1', ticketIds: [], freeAt: NOW.toISOString() }]);
    assert.equal(plan.stats.waiting, 0);
  });

  it('gives each ticket only a lane that serves its kind, and none to closed lanes', () => {
    const lanes = [
      lane('P', ['pickup']),
      lane('R', ['returns']),
      lane('X', ['pickup', 'returns'], { open: false }),
    ];
    const tickets = [
      ticket({ serviceKind: 'pickup' }),
      ticket({ serviceKind: 'returns' }),
      ticket({ serviceKind: 'pickup' }),
    ];
    const plan = planQueue({ tickets, lanes, rules: rules(), now: NOW });
    const a = byTicket(plan);
    assert.equal(a.get(tickets[0]!.ticketId)!.laneId, 'P');
    assert.equal(a.get(tickets[1]!.ticketId)!.laneId, 'R');
    assert.equal(a.get(tickets[2]!.ticketId)!.laneId, 'P');
    assert.equal(
      plan.lanes.find((l) => l.laneId === 'X'),
      undefined,
    );
  });

  it('leaves tickets whose kind no open lane serves unplanned', () => {
    const orphan = ticket({ serviceKind: 'consultation' });
    const plan = planQueue({
      tickets: [orphan, ticket()],
      lanes: [lane('P', ['pickup']), lane('C', ['consultation'], { open: false })],
      rules: rules(),
      now: NOW,
    });
    assert.deepEqual(plan.unplannedTicketIds, [orphan.ticketId]);
    assert.equal(plan.stats.unplanned, 1);
    assert.equal(byTicket(plan).has(orphan.ticketId), false);
  });

  it('promises accessible tickets only to accessible lanes, and calls them first there', () => {
    const older = ticket({ joinedAt: minutesAgo(10) });
    const accessible = ticket({ accessibility: true, joinedAt: minutesAgo(1) });
    const plan = planQueue({
      tickets: [older, accessible],
      lanes: [lane('A', ['pickup'], { accessible: true })],
      rules: rules(),
      now: NOW,
    });
    assert.deepEqual(plan.lanes[0]!.ticketIds, [accessible.ticketId, older.ticketId]);
    const none = planQueue({
      tickets: [accessible],
      lanes: [lane('P', ['pickup'])],
      rules: rules(),
      now: NOW,
    });
    assert.deepEqual(none.unplannedTicketIds, [accessible.ticketId]);
  });

  it('puts short services first when no deadline is near (cμ), and keeps FIFO within a kind', () => {
    const long = ticket({ serviceKind: 'consultation', joinedAt: minutesAgo(3) });
    const short1 = ticket({ serviceKind: 'pickup', joinedAt: minutesAgo(2) });
    const short2 = ticket({ serviceKind: 'pickup', joinedAt: minutesAgo(1) });
    const plan = planQueue({
      tickets: [short2, long, short1],
      lanes: [lane('M', ['pickup', 'consultation'])],
      rules: rules({ fairnessMinutes: 30 }),
      now: NOW,
    });
    assert.deepEqual(plan.lanes[0]!.ticketIds, [short1.ticketId, short2.ticketId, long.ticketId]);
    const a = byTicket(plan);
    assert.equal(a.get(short1.ticketId)!.etaAt, NOW.toISOString());
    assert.equal(a.get(short2.ticketId)!.etaAt, new Date(NOW.getTime() + 3 * 60_000).toISOString());
    assert.equal(plan.stats.overtakes, 2);
  });

  it('calls a ticket whose fairness deadline is due before shorter services', () => {
    const long = ticket({ serviceKind: 'consultation', joinedAt: minutesAgo(3) });
    const shorts = [1, 2, 3].map(() => ticket({ serviceKind: 'pickup', joinedAt: minutesAgo(1) }));
    const plan = planQueue({
      tickets: [long, ...shorts],
      lanes: [lane('M', ['pickup', 'consultation'])],
      rules: rules({ fairnessMinutes: 4 }),
      now: NOW,
    });
    // FIFO turn of the consultation is now; 4 minutes of slack allow one pickup, not two.
    assert.equal(plan.lanes[0]!.ticketIds[1], long.ticketId);
  });

  it('honours a punctual appointment by its slot end ahead of older walk-ins', () => {
    const walkIns = Array.from({ length: 6 }, (_, i) => ticket({ joinedAt: minutesAgo(20 - i) }));
    const appointment = ticket({
      joinedAt: minutesAgo(1),
      appointment: { startsAt: minutesAgo(2), endsAt: new Date(NOW.getTime() + 8 * 60_000).toISOString() },
    });
    const plan = planQueue({
      tickets: [...walkIns, appointment],
      lanes: [lane('P', ['pickup'])],
      rules: rules({ fairnessMinutes: 60 }),
      now: NOW,
    });
    const eta = Date.parse(byTicket(plan).get(appointment.ticketId)!.etaAt);
    assert.ok(eta + 3 * 60_000 <= NOW.getTime() + 8 * 60_000, 'served before its slot ends');
  });

  it('serves a class whose deadlines are bunched in time, not one by one once each is due', () => {
    // Four returns (6 min) all due to be called within 12 minutes, on two lanes that also serve
    // pickups (3 min, higher cμ index). Calling pickups until the first returns ticket is due
    // would start the last two at minute 18; the class's slack starts them by minute 12.
    const memory = new PlannerMemory();
    const due = NOW.getTime() + 12 * 60_000;
    const returns = Array.from({ length: 4 }, (_, i) =>
      ticket({ serviceKind: 'returns', joinedAt: minutesAgo(30 - i) }),
    );
    for (const r of returns) memory.remember(r.ticketId, due);
    const pickups = Array.from({ length: 10 }, (_, i) => ticket({ joinedAt: minutesAgo(40 - i) }));
    const plan = planQueue(
      {
        tickets: [...pickups, ...returns],
        lanes: [lane('A', ['pickup', 'returns']), lane('B', ['pickup', 'returns'])],
        rules: rules({ fairnessMinutes: 60 }),
        now: NOW,
      },
      memory,
    );
    const starts = returns.map((r) => Date.parse(byTicket(plan).get(r.ticketId)!.etaAt));
    for (const start of starts) assert.ok(start <= due, `returns called ${(start - due) / 60_000} min late`);
    assert.ok(
      starts.some((start) => start > NOW.getTime()),
      'pickups still go first while the returns can wait',
    );
  });

  it('keeps an appointment ahead of walk-ins that are due at the same time', () => {
    // Two walk-ins due at +4 and +5 min and an appointment whose slot ends at +7 (so it must be
    // called by +4), one pickup lane: not all can be on time, and the appointment is the promise.
    const memory = new PlannerMemory();
    const walkIns = [4, 5].map((dueIn, i) => {
      const walkIn = ticket({ joinedAt: minutesAgo(20 - i) });
      memory.remember(walkIn.ticketId, NOW.getTime() + dueIn * 60_000);
      return walkIn;
    });
    const appointment = ticket({
      joinedAt: minutesAgo(1),
      appointment: { startsAt: minutesAgo(2), endsAt: new Date(NOW.getTime() + 7 * 60_000).toISOString() },
    });
    const plan = planQueue(
      { tickets: [...walkIns, appointment], lanes: [lane('P', ['pickup'])], rules: rules(), now: NOW },
      memory,
    );
    assert.deepEqual(plan.lanes[0]!.ticketIds, [appointment.ticketId, ...walkIns.map((w) => w.ticketId)]);
  });

  it('foresees in the ETA that a kind few lanes serve rises as the short kinds drain', () => {
    // Lane A serves pickups and consultations, B and C pickups only. With 13 pickups waiting
    // the consultation's lane set carries less backlog per lane than the venue, so pickups
    // go first: the plan puts it last on A (minute 15). Once fewer than four pickups are left
    // it carries more, so the re-plans to come will call it at minute 12, and the ETA says so.
    const consultation = ticket({ serviceKind: 'consultation', joinedAt: minutesAgo(2) });
    const pickups = Array.from({ length: 13 }, () => ticket({ joinedAt: minutesAgo(1) }));
    const input = {
      tickets: [consultation, ...pickups],
      lanes: [lane('A', ['pickup', 'consultation']), lane('B', ['pickup']), lane('C', ['pickup'])],
      rules: rules({ scarcityWeight: 1, agingMinutes: 1e6, fairnessMinutes: 600 }),
      now: NOW,
    };
    const planned = byTicket(planQueue(input)).get(consultation.ticketId)!;
    assert.deepEqual([planned.laneId, planned.position, minutesFromNow(planned.etaAt)], ['A', 6, 15]);
    // nobody is expected to join: the ETA comes from the forecast replay alone
    const foreseen = byTicket(planQueue({ ...input, arrivalsPerMinute: {} })).get(consultation.ticketId)!;
    assert.deepEqual([foreseen.position, minutesFromNow(foreseen.etaAt)], [6, 12]);
  });

  it('shows an ETA that foresees later walk-ins until the venue closes, and none after', () => {
    // Lane A is busy for 6 more minutes; one returns ticket waits (deadline: minute 16).
    const busy = serving('A', 'returns');
    const returns = ticket({ serviceKind: 'returns', joinedAt: minutesAgo(1) });
    const input = {
      tickets: [busy, returns],
      lanes: [lane('A', ['pickup', 'returns'])],
      rules: rules({ fairnessMinutes: 10 }),
      now: NOW,
      arrivalsPerMinute: { pickup: 0.5 },
    };
    const at = (plan: ReturnType<typeof planQueue>) => minutesFromNow(plan.assignments[0]!.etaAt);
    // Nobody else is here: the lane calls it when it frees.
    assert.equal(at(planQueue({ ...input, arrivalsPerMinute: undefined })), 6);
    // Pickups expected at minutes 1, 3, 5, … (3 min each, a higher cμ index) go first until
    // its deadline leaves no room for another one.
    assert.equal(at(planQueue(input)), 15);
    // The venue closes now: nobody will join, so nobody will overtake it.
    assert.equal(at(planQueue({ ...input, joinsUntil: NOW })), 6);
    // Accessible walk-ins only use accessible lanes: they cannot delay it on lane A.
    assert.equal(at(planQueue({ ...input, accessibleArrivalsPerMinute: { pickup: 0.5 } })), 6);
  });

  it('counts on a closed lane whose return is announced, in the ETA only', () => {
    // Lane A is busy with a consultation for 15 more minutes; lane B is closed, announced back
    // in 5 minutes. The returns ticket is planned on A (B gets nothing while closed) but its
    // ETA says minute 5, when B is back; an announcement that has passed says nothing.
    const busy = serving('A', 'consultation');
    const returns = ticket({ serviceKind: 'returns', joinedAt: minutesAgo(1) });
    const lanes = (reopensIn: number) => [
      lane('A', ['consultation', 'returns']),
      lane('B', ['returns'], {
        open: false,
        reopensAt: new Date(NOW.getTime() + reopensIn * 60_000).toISOString(),
      }),
    ];
    const input = { tickets: [busy, returns], rules: rules(), now: NOW, arrivalsPerMinute: {} };
    const announced = planQueue({ ...input, lanes: lanes(5) });
    assert.deepEqual(
      [announced.assignments[0]!.laneId, minutesFromNow(announced.assignments[0]!.etaAt)],
      ['A', 5],
    );
    assert.equal(
      announced.lanes.find((l) => l.laneId === 'B'),
      undefined,
    );
    const passed = planQueue({ ...input, lanes: lanes(-1) });
    assert.equal(minutesFromNow(passed.assignments[0]!.etaAt), 15);
  });

  it('treats a check-in long after slot start as a walk-in', () => {
    const walkIn = ticket({ joinedAt: minutesAgo(5) });
    const late = ticket({
      joinedAt: minutesAgo(1),
      appointment: { startsAt: minutesAgo(30), endsAt: minutesAgo(15) },
    });
    const plan = planQueue({
      tickets: [late, walkIn],
      lanes: [lane('P', ['pickup'])],
      rules: rules(),
      now: NOW,
    });
    assert.deepEqual(plan.lanes[0]!.ticketIds, [walkIn.ticketId, late.ticketId]);
  });

  it('starts a lane after the service it is calling is expected to end', () => {
    const called = serving('R', 'returns', 1);
    const next = ticket({ serviceKind: 'returns' });
    const lanes = [lane('R', ['returns'])];
    const plan = planQueue({ tickets: [called, next], lanes, rules: rules(), now: NOW });
    // 6 expected minutes, 1 gone: a little over 5 remain (a lognormal's mean residual life).
    const wait = minutesFromNow(byTicket(plan).get(next.ticketId)!.etaAt);
    assert.ok(wait > 5 && wait < 5.5, `wait ${wait}`);
    assert.equal(plan.stats.waiting, 1);
    // A service far past its expectation is not about to end either.
    const overrun = serving('R', 'returns', 30);
    const stuck = planQueue({ tickets: [overrun, next], lanes, rules: rules(), now: NOW });
    assert.ok(Date.parse(stuck.assignments[0]!.etaAt) - NOW.getTime() >= 3 * 60_000);
  });

  /** Two pickups on one pickup lane; the second waits for the first one's service. */
  const twoPickups = (input: Partial<PlannerInput>) => {
    const first = ticket();
    const second = ticket({ joinedAt: minutesAgo(0.5) });
    const plan = planQueue({
      tickets: [first, second],
      lanes: [lane('P', ['pickup'])],
      rules: rules(),
      now: NOW,
      ...input,
    });
    return { second, plan };
  };

  it('uses observed service times over the rules', () => {
    const { second, plan } = twoPickups({ observedServiceMinutes: { pickup: 5 } });
    assert.equal(
      byTicket(plan).get(second.ticketId)!.etaAt,
      new Date(NOW.getTime() + 5 * 60_000).toISOString(),
    );
  });

  it('times the ETAs with the steady service times and the plan with the recent ones', () => {
    const { second, plan } = twoPickups({
      observedServiceMinutes: { pickup: 5 },
      etaServiceMinutes: { pickup: 4 },
      arrivalsPerMinute: {},
    });
    assert.equal(minutesFromNow(byTicket(plan).get(second.ticketId)!.etaAt), 4);
    // the plan itself still counts 5 minutes a pickup
    assert.equal(plan.stats.maxPredictedWaitMinutes, 5);
  });

  it('keeps a ticket’s fairness deadline across re-plans through its memory', () => {
    const memory = new PlannerMemory();
    const long = ticket({ serviceKind: 'consultation', joinedAt: minutesAgo(1) });
    const input = {
      lanes: [lane('M', ['pickup', 'consultation'])],
      rules: rules({ fairnessMinutes: 6 }),
      now: NOW,
    };
    planQueue({ ...input, tickets: [long] }, memory);
    assert.equal(memory.deadline(long.ticketId), NOW.getTime() + 6 * 60_000);
    // Later, many pickups join; the remembered deadline still forces the consultation in.
    const later = new Date(NOW.getTime() + 60_000);
    const shorts = Array.from({ length: 5 }, () => ticket({ joinedAt: later.toISOString() }));
    const plan = planQueue({ ...input, now: later, tickets: [long, ...shorts] }, memory);
    const position = plan.lanes[0]!.ticketIds.indexOf(long.ticketId) + 1;
    assert.ok(position <= 2, `consultation at position ${position}`);
    planQueue({ ...input, now: later, tickets: shorts }, memory);
    assert.equal(memory.deadline(long.ticketId), undefined, 'forgotten once it left');
  });

  it('keeps the fairness deadline written with the ticket when its memory is gone (a restarted worker)', () => {
    const long = ticket({ serviceKind: 'consultation', joinedAt: minutesAgo(1) });
    const input = {
      lanes: [lane('M', ['pickup', 'consultation'])],
      rules: rules({ fairnessMinutes: 6 }),
      now: NOW,
    };
    const first = planQueue({ ...input, tickets: [long] }, new PlannerMemory()).assignments[0]!;
    assert.equal(first.fairnessDeadlineAt, new Date(NOW.getTime() + 6 * 60_000).toISOString());
    // A fresh worker, a minute later, with many pickups: without the stored deadline the
    // consultation would get a new, later one (its FIFO turn is now behind nothing but it is
    // recomputed from a minute later); with it, it keeps the first.
    const later = new Date(NOW.getTime() + 60_000);
    const shorts = Array.from({ length: 5 }, () => ticket({ joinedAt: later.toISOString() }));
    const stored = { ...long, fairnessDeadlineAt: first.fairnessDeadlineAt };
    const memory = new PlannerMemory();
    const plan = planQueue({ ...input, now: later, tickets: [stored, ...shorts] }, memory);
    assert.equal(memory.deadline(long.ticketId), NOW.getTime() + 6 * 60_000);
    // it is written once: a ticket that carries it gets no new one
    assert.equal(byTicket(plan).get(long.ticketId)!.fairnessDeadlineAt, undefined);
  });

  it('does not move a ticket back more than stabilityPositions on its lane', () => {
    // Previously planned: three consultations at positions 1–3 on lane M.
    const consults = [1, 2, 3].map((p) =>
      ticket({ serviceKind: 'consultation', joinedAt: minutesAgo(5 - p), laneId: 'M', position: p }),
    );
    const shorts = Array.from({ length: 6 }, () => ticket({ joinedAt: minutesAgo(0.5) }));
    const plan = planQueue({
      tickets: [...consults, ...shorts],
      lanes: [lane('M', ['pickup', 'consultation'])],
      rules: rules({ fairnessMinutes: 600, stabilityPositions: 1 }),
      now: NOW,
    });
    const a = byTicket(plan);
    for (const c of consults) assert.ok(a.get(c.ticketId)!.position <= c.position! + 1);
  });

  it('gives the ETA the head start of several lanes: the first of random finishes comes earlier', () => {
    // 7 consultations (15 min), cv 0.6. One lane: the 7th is called after 6 services, at 90
    // minutes, and the ETA says so. Three lanes: the list schedule says 30 minutes; the first
    // of three random finishes comes 15 × 0.36 / 2 × (1 − 1/3) = 1.8 minutes sooner on average.
    const consults = () =>
      Array.from({ length: 7 }, (_, i) =>
        ticket({ serviceKind: 'consultation', joinedAt: minutesAgo(10 - i) }),
      );
    const etaOfLast = (laneCount: number) => {
      const tickets = consults();
      const lanes = Array.from({ length: laneCount }, (_, i) => lane(`C${i}`, ['consultation']));
      const plan = planQueue({ tickets, lanes, rules: rules({ serviceCv: 0.6 }), now: NOW });
      return minutesFromNow(byTicket(plan).get(tickets[6]!.ticketId)!.etaAt);
    };
    assert.equal(etaOfLast(1), 90);
    assert.ok(Math.abs(etaOfLast(3) - 28.2) < 1e-9, `got ${etaOfLast(3)}`);
    // never before now: the first tickets of a free lane are called now
    const first = ticket({ serviceKind: 'consultation' });
    const plan = planQueue({
      tickets: [first],
      lanes: [lane('A', ['consultation']), lane('B', ['consultation'])],
      rules: rules(),
      now: NOW,
    });
    assert.equal(byTicket(plan).get(first.ticketId)!.etaAt, NOW.toISOString());
  });

  it('foresees booked check-ins still to come as appointments in the ETAs', () => {
    const walkIns = Array.from({ length: 4 }, (_, i) => ticket({ joinedAt: minutesAgo(4 - i) }));
    const etaOfLast = (expectedCheckIns?: { startsAt: string; endsAt: string; count: number }[]) => {
      const plan = planQueue({
        tickets: walkIns,
        lanes: [lane('P', ['pickup'])],
        rules: rules(),
        now: NOW,
        ...(expectedCheckIns
          ? { expectedCheckIns: expectedCheckIns.map((s) => ({ kind: 'pickup', ...s })) }
          : {}),
      });
      return minutesFromNow(byTicket(plan).get(walkIns[3]!.ticketId)!.etaAt);
    };
    assert.equal(etaOfLast(), 9);
    // three check-ins due by a slot that ends in 10 minutes: promises, called before the last walk-ins
    assert.equal(etaOfLast([{ startsAt: minutesAgo(-1), endsAt: minutesAgo(-10), count: 3 }]), 18);
    // a slot that started longer ago than appointmentEarlyMinutes (5): its latecomers are walk-ins
    assert.equal(etaOfLast([{ startsAt: minutesAgo(6), endsAt: minutesAgo(-9), count: 3 }]), 9);
  });

  it('never lets a check-in still to come hold back an appointment that is here', () => {
    // checked in early for a later slot; three bookings of an earlier slot have not come yet
    const early = ticket({
      joinedAt: minutesAgo(2),
      appointment: { startsAt: minutesAgo(-20), endsAt: minutesAgo(-35) },
    });
    const plan = planQueue({
      tickets: [early],
      lanes: [lane('P', ['pickup'])],
      rules: rules({ fairnessMinutes: 30 }),
      now: NOW,
      expectedCheckIns: [{ kind: 'pickup', startsAt: minutesAgo(-5), endsAt: minutesAgo(-20), count: 3 }],
    });
    // the lane is free and the ticket is the only one here: it is called now
    assert.equal(minutesFromNow(byTicket(plan).get(early.ticketId)!.etaAt), 0);
  });
});
