/**
 * The queue planner: from the venue's waiting and called tickets, its lanes and queue rules,
 * observed service times and the time, one ordered plan per open lane and, per waiting
 * ticket, its lane, 1-based position and ETA. Pure and synchronous; the worker and the
 * simulator's `optimizer` policy both call `planQueue`. See docs/queue.md for the objective.
 */
import type { PlanAssignment, StoredTicket } from '../domain/ports.ts';
import { dispatch, fifoTurns, isOldestFirst } from './dispatch.ts';
import { forecastCallTimes, parallelLanesShiftMs } from './forecast.ts';
import {
  classify,
  expectedMinutes,
  type Job,
  type JobClass,
  MINUTE,
  type OpenLane,
  openLanes,
} from './jobs.ts';
import type { PlannerMemory } from './memory.ts';
import { stabilize } from './stability.ts';
import { type PlannerTuning, tuningOf } from './tuning.ts';
import type { LanePlan, Plan, PlannerInput } from './types.ts';

export type { LanePlan, Plan, PlannerInput, PlanStats } from './types.ts';

/**
 * Plans the queue. `memory` keeps each ticket's fairness deadline from its first plan (the
 * worker and simulator keep one per venue); without it every call starts afresh.
 */
export function planQueue(input: PlannerInput, memory?: PlannerMemory): Plan {
  const tuning = tuningOf(input.rules);
  const nowMs = input.now.getTime();
  const serviceMs = expectedMs(input, input.observedServiceMinutes, tuning);
  const waiting: StoredTicket[] = [];
  const called: StoredTicket[] = [];
  for (const ticket of input.tickets) {
    if (ticket.status === 'waiting') waiting.push(ticket);
    else if (ticket.status === 'called') called.push(ticket);
  }
  const open = openLanes(input.lanes, called, serviceMs, nowMs, tuning.serviceCv);
  const { classes, jobs, unplanned } = classify(waiting, open, serviceMs, tuning);

  assignDeadlines(jobs, classes, memory, () => fifoTurns(jobs, classes, open), {
    fairnessMs: tuning.fairnessMinutes * MINUTE,
    acceptableWaitMs: tuning.acceptableWaitMinutes * MINUTE,
  });
  for (const c of classes) {
    if (c.appointment) c.jobs.sort((a, b) => a.deadlineMs - b.deadlineMs || a.joinedMs - b.joinedMs);
    else if (!isOldestFirst(c.jobs)) c.jobs.sort((a, b) => a.joinedMs - b.joinedMs);
  }
  const orders = dispatch(classes, open, {
    scarcityWeight: tuning.scarcityWeight,
    agingMs: tuning.agingMinutes * MINUTE,
  });
  if (input.arrivalsPerMinute !== undefined || input.expectedCheckIns !== undefined) {
    forecastCallTimes({
      classes,
      jobs,
      open,
      reopening: reopeningLanes(input.lanes, nowMs),
      tuning,
      serviceMs:
        input.etaServiceMinutes === undefined
          ? serviceMs
          : expectedMs(input, input.etaServiceMinutes, tuning),
      arrivalsPerMinute: input.arrivalsPerMinute ?? {},
      accessiblePerMinute: input.accessibleArrivalsPerMinute ?? {},
      joinsUntilMs: input.joinsUntil?.getTime() ?? Number.POSITIVE_INFINITY,
      checkIns: (input.expectedCheckIns ?? []).map((s) => ({
        kind: s.kind,
        startsMs: Date.parse(s.startsAt),
        endsMs: Date.parse(s.endsAt),
        count: s.count,
      })),
      nowMs,
    });
  }

  const etaOf = (job: Job, callMs: number): number =>
    Math.max(
      nowMs,
      callMs -
        parallelLanesShiftMs(classes[job.cls]!.serviceMs, tuning.serviceCv, classes[job.cls]!.lanes.length),
    );
  const assignments: PlanAssignment[] = [];
  const lanes: LanePlan[] = [];
  open.forEach((o, i) => {
    const order = stabilize(o.lane.laneId, orders[i]!, tuning.stabilityPositions);
    let t = o.freeMs;
    order.forEach((job, k) => {
      job.startMs = t;
      assignments.push({
        ticketId: job.ticket.ticketId,
        version: job.ticket.version,
        laneId: o.lane.laneId,
        position: k + 1,
        etaAt: new Date(etaOf(job, Number.isNaN(job.forecastMs) ? t : job.forecastMs)).toISOString(),
        // written once, with the ticket's first plan; afterwards the ticket carries it
        ...(job.ticket.fairnessDeadlineAt === undefined
          ? { fairnessDeadlineAt: new Date(job.fairnessMs).toISOString() }
          : {}),
      });
      t += classes[job.cls]!.serviceMs;
    });
    lanes.push({
      laneId: o.lane.laneId,
      ticketIds: order.map((j) => j.ticket.ticketId),
      freeAt: new Date(o.freeMs).toISOString(),
    });
  });
  if (memory !== undefined) memory.retain(new Set(waiting.map((t) => t.ticketId)));
  return {
    assignments,
    lanes,
    unplannedTicketIds: unplanned.map((t) => t.ticketId),
    stats: planStats(jobs, waiting.length, unplanned.length, nowMs),
  };
}

/** Expected service ms per kind (memoised): the rules corrected by `observed`. */
function expectedMs(
  input: PlannerInput,
  observed: PlannerInput['observedServiceMinutes'],
  tuning: PlannerTuning,
): (kind: string) => number {
  const cache = new Map<string, number>();
  return (kind) => {
    let ms = cache.get(kind);
    if (ms === undefined) {
      ms = expectedMinutes(kind, input.rules, observed, tuning) * MINUTE;
      cache.set(kind, ms);
    }
    return ms;
  };
}

function assignDeadlines(
  jobs: readonly Job[],
  classes: readonly JobClass[],
  memory: PlannerMemory | undefined,
  computeTurns: () => number[],
  bounds: { fairnessMs: number; acceptableWaitMs: number },
): void {
  let turns: number[] | undefined;
  jobs.forEach((job, i) => {
    // the deadline of the ticket's first plan: remembered, else kept with the ticket (a
    // restarted worker), else computed now
    let deadline = memory?.deadline(job.ticket.ticketId);
    if (deadline === undefined && job.ticket.fairnessDeadlineAt !== undefined) {
      const kept = Date.parse(job.ticket.fairnessDeadlineAt);
      if (Number.isFinite(kept)) deadline = kept;
    }
    if (deadline === undefined) {
      turns ??= computeTurns();
      deadline = Math.max(turns[i]! + bounds.fairnessMs, job.joinedMs + bounds.acceptableWaitMs);
    }
    memory?.remember(job.ticket.ticketId, deadline);
    job.fairnessMs = deadline;
    if (job.appointmentEndMs !== undefined)
      deadline = Math.min(deadline, job.appointmentEndMs - classes[job.cls]!.serviceMs);
    job.deadlineMs = deadline;
  });
}

function planStats(jobs: readonly Job[], waiting: number, unplanned: number, nowMs: number): Plan['stats'] {
  let maxWait = 0;
  let sumWait = 0;
  let overtakes = 0;
  let latestOlder = Number.NEGATIVE_INFINITY;
  const byAge = isOldestFirst(jobs) ? jobs : [...jobs].sort((a, b) => a.joinedMs - b.joinedMs);
  for (const job of byAge) {
    const start = job.startMs;
    const wait = (start - nowMs) / MINUTE;
    maxWait = Math.max(maxWait, wait);
    sumWait += wait;
    if (start < latestOlder) overtakes++;
    latestOlder = Math.max(latestOlder, start);
  }
  return {
    waiting,
    planned: jobs.length,
    unplanned,
    maxPredictedWaitMinutes: maxWait,
    meanPredictedWaitMinutes: jobs.length === 0 ? 0 : sumWait / jobs.length,
    overtakes,
  };
}

/** Closed lanes whose return is announced for later, free from then on (for the ETA forecast). */
function reopeningLanes(lanes: PlannerInput['lanes'], nowMs: number): OpenLane[] {
  const reopening: OpenLane[] = [];
  for (const lane of lanes) {
    if (lane.open || lane.reopensAt === undefined) continue;
    const at = Date.parse(lane.reopensAt);
    // an announced time that has passed with the lane still closed says nothing any more
    if (Number.isFinite(at) && at > nowMs) reopening.push({ lane: { ...lane, open: true }, freeMs: at });
  }
  return reopening;
}
