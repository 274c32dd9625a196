/**
 * The planner's speed on a large queue: `tickets` waiting tickets over `lanes` lanes (three
 * kinds, mixed lane capabilities, 5% accessibility, some appointments), re-planned `rounds`
 * times as the worker would — with memory and the recent arrival rates (so the ETA forecast is
 * part of the cost), each round writing the previous plan back onto the tickets and a few
 * tickets joining and leaving. Reports the re-plan duration quantiles.
 */
import { performance } from 'node:perf_hooks';
import type { StoredTicket } from '../../domain/ports.ts';
import type { Lane, QueueRules } from '../../domain/rules.ts';
import { ArrivalRateEstimator } from '../arrival-rates.ts';
import { PlannerMemory } from '../memory.ts';
import { planQueue } from '../planner.ts';
import { quantile } from './metrics.ts';
import { Random } from './random.ts';

export interface ReplanBenchResult {
  tickets: number;
  lanes: number;
  rounds: number;
  replanP50Ms: number;
  replanP95Ms: number;
  replanP99Ms: number;
}

const KINDS = ['pickup', 'returns', 'consultation'];

function benchLanes(count: number): Lane[] {
  return Array.from({ length: count }, (_, i) => ({
    laneId: `L${i + 1}`,
    serviceKinds: i % 5 === 4 ? ['consultation', 'returns'] : i % 3 === 0 ? KINDS : ['pickup', 'returns'],
    accessible: i % 8 === 0,
    open: true,
  }));
}

function ticket(rng: Random, seq: number, joinedMs: number): StoredTicket {
  const kind = KINDS[rng.pick([0.6, 0.3, 0.1])]!;
  const t: StoredTicket = {
    ticketId: `b${seq}`,
    venueId: 'bench',
    userId: `u${seq}`,
    serviceKind: kind,
    partySize: 1 + rng.pick([6, 3, 1]),
    accessibility: rng.chance(0.05),
    status: 'waiting',
    joinedAt: new Date(joinedMs).toISOString(),
    version: 1,
  };
  if (kind === 'pickup' && rng.chance(0.1)) {
    t.appointment = {
      startsAt: new Date(joinedMs).toISOString(),
      endsAt: new Date(joinedMs + 15 * 60_000).toISOString(),
    };
  }
  return t;
}

export function runReplanBench(tickets = 5000, lanes = 40, rounds = 60, seed = 1): ReplanBenchResult {
  const rng = new Random(seed);
  const start = Date.parse('2026-12-05T15:00:00.000Z');
  const rules: QueueRules = {
    maxLength: tickets * 2,
    noShowGraceMinutes: 5,
    serviceMinutes: { pickup: 3, returns: 6, consultation: 15 },
    fairnessMinutes: 15,
  };
  const laneList = benchLanes(lanes);
  let queue = Array.from({ length: tickets }, (_, i) => ticket(rng, i, start + i * 1000));
  let seq = tickets;
  const memory = new PlannerMemory();
  const arrivals = new ArrivalRateEstimator();
  const durations: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const now = new Date(start + tickets * 1000 + round * 2000);
    for (const t of queue) arrivals.observeTicket(t);
    const began = performance.now();
    const plan = planQueue(
      {
        tickets: queue,
        lanes: laneList,
        rules,
        now,
        arrivalsPerMinute: arrivals.perMinute(now.getTime()),
        accessibleArrivalsPerMinute: arrivals.accessiblePerMinute(now.getTime()),
      },
      memory,
    );
    durations.push(performance.now() - began);
    const byId = new Map(queue.map((t) => [t.ticketId, t]));
    for (const a of plan.assignments) {
      const t = byId.get(a.ticketId)!;
      byId.set(a.ticketId, {
        ...t,
        laneId: a.laneId,
        position: a.position,
        etaAt: a.etaAt,
        ...(a.fairnessDeadlineAt === undefined ? {} : { fairnessDeadlineAt: a.fairnessDeadlineAt }),
        version: t.version + 1,
      });
    }
    // Between two cycles a few tickets are called and a few join.
    queue = [...byId.values()].slice(5);
    for (let k = 0; k < 5; k++) queue.push(ticket(rng, seq++, now.getTime()));
  }
  const measured = durations.slice(5); // the first rounds warm the JIT up
  return {
    tickets,
    lanes,
    rounds,
    replanP50Ms: quantile(measured, 0.5),
    replanP95Ms: quantile(measured, 0.95),
    replanP99Ms: quantile(measured, 0.99),
  };
}
