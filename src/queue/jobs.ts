/**
 * Turns stored tickets into the planner's working form: times in epoch ms, expected service
 * per kind, eligible open lanes, and a class per (kind, accessibility, appointment) — tickets of
 * one class are interchangeable for every lane, which keeps each dispatch step O(classes).
 */
import type { StoredTicket } from '../domain/ports.ts';
import type { Lane, QueueRules } from '../domain/rules.ts';
import { lognormalResidual } from './residual.ts';
import type { PlannerTuning } from './tuning.ts';

export const MINUTE = 60_000;

export interface Job {
  ticket: StoredTicket;
  kind: string;
  weight: number;
  accessible: boolean;
  joinedMs: number;
  /** end of the appointment's slot, when the appointment is honoured */
  appointmentEndMs?: number;
  /** latest planned call time (fairness and appointment); set by the planner */
  deadlineMs: number;
  /** the fairness part of it (FIFO turn + bound, fixed at the first plan); set by the planner */
  fairnessMs: number;
  /** planned call time; set by the planner */
  startMs: number;
  /** call time in the ETA forecast (src/queue/forecast.ts); NaN until it runs */
  forecastMs: number;
  cls: number;
}

export interface JobClass {
  kind: string;
  accessible: boolean;
  appointment: boolean;
  /** expected service of each of its jobs, ms */
  serviceMs: number;
  /** indices into the open-lane array */
  lanes: number[];
  jobs: Job[];
}

export interface OpenLane {
  lane: Lane;
  /** when the lane is free to call its next ticket (epoch ms) */
  freeMs: number;
}

/** What a job is made of; the planner fills in the rest (deadlines, start, forecast). */
export type JobFacts = Pick<Job, 'ticket' | 'kind' | 'weight' | 'accessible' | 'joinedMs' | 'cls'> & {
  appointmentEndMs?: number | undefined;
};

/** A job before the planner has worked on it: no deadline yet, not started, not forecast. */
export function newJob(facts: JobFacts): Job {
  const job: Job = {
    ticket: facts.ticket,
    kind: facts.kind,
    weight: facts.weight,
    accessible: facts.accessible,
    joinedMs: facts.joinedMs,
    deadlineMs: Number.POSITIVE_INFINITY,
    fairnessMs: Number.POSITIVE_INFINITY,
    startMs: Number.NaN,
    forecastMs: Number.NaN,
    cls: facts.cls,
  };
  if (facts.appointmentEndMs !== undefined) job.appointmentEndMs = facts.appointmentEndMs;
  return job;
}

/** Expected service minutes of a kind: observed if known, else the rules, else the fallback. */
export function expectedMinutes(
  kind: string,
  rules: QueueRules,
  observed: Readonly<Record<string, number>> | undefined,
  tuning: PlannerTuning,
): number {
  const seen = observed?.[kind];
  if (seen !== undefined && Number.isFinite(seen) && seen > 0) return seen;
  return rules.serviceMinutes[kind] ?? tuning.fallbackServiceMinutes;
}

/** Open lanes, each free once the ticket it has called is expected to be done (mean residual life). */
export function openLanes(
  lanes: readonly Lane[],
  called: readonly StoredTicket[],
  serviceMs: (kind: string) => number,
  nowMs: number,
  serviceCv: number,
): OpenLane[] {
  const open = lanes.filter((lane) => lane.open).map((lane) => ({ lane, freeMs: nowMs }));
  const byId = new Map(open.map((o) => [o.lane.laneId, o]));
  for (const ticket of called) {
    const laneId = ticket.calledLaneId ?? ticket.laneId;
    const target = laneId === undefined ? undefined : byId.get(laneId);
    if (target === undefined) continue;
    const calledMs = ticket.calledAt === undefined ? nowMs : Date.parse(ticket.calledAt);
    const expected = serviceMs(ticket.serviceKind);
    const elapsed = Math.max(0, nowMs - calledMs);
    const remaining = lognormalResidual(expected, serviceCv, elapsed);
    target.freeMs = Math.max(target.freeMs, nowMs + remaining);
  }
  return open;
}

/** Whether a lane serves a kind (and, for an accessible ticket, is accessible). */
export function eligible(lane: Lane, kind: string, accessible: boolean): boolean {
  return lane.serviceKinds.includes(kind) && (!accessible || lane.accessible);
}

/** Indices of the lanes in `open` that may serve a kind. */
export function eligibleLanes(open: readonly OpenLane[], kind: string, accessible: boolean): number[] {
  return open.flatMap((o, i) => (eligible(o.lane, kind, accessible) ? [i] : []));
}

/**
 * Groups waiting tickets into classes. Tickets that no open lane can serve come back apart:
 * they stay unplanned until a lane that serves them opens.
 */
export function classify(
  waiting: readonly StoredTicket[],
  open: readonly OpenLane[],
  serviceMs: (kind: string) => number,
  tuning: PlannerTuning,
): { classes: JobClass[]; jobs: Job[]; unplanned: StoredTicket[] } {
  const classes: JobClass[] = [];
  // kind → class index per (accessible, honoured) flag pair
  const index = new Map<string, number[]>();
  const jobs: Job[] = [];
  const unplanned: StoredTicket[] = [];
  for (const ticket of waiting) {
    const joinedMs = Date.parse(ticket.joinedAt);
    const slot = ticket.appointment;
    const honoured =
      slot !== undefined && joinedMs <= Date.parse(slot.startsAt) + tuning.appointmentEarlyMinutes * MINUTE;
    let byFlags = index.get(ticket.serviceKind);
    if (byFlags === undefined) {
      byFlags = [-1, -1, -1, -1];
      index.set(ticket.serviceKind, byFlags);
    }
    const flags = (ticket.accessibility ? 2 : 0) + (honoured ? 1 : 0);
    let cls = byFlags[flags]!;
    if (cls < 0) {
      const lanes = eligibleLanes(open, ticket.serviceKind, ticket.accessibility);
      cls = classes.length;
      byFlags[flags] = cls;
      classes.push({
        kind: ticket.serviceKind,
        accessible: ticket.accessibility,
        appointment: honoured,
        serviceMs: serviceMs(ticket.serviceKind),
        lanes,
        jobs: [],
      });
    }
    const jobClass = classes[cls]!;
    if (jobClass.lanes.length === 0) {
      unplanned.push(ticket);
      continue;
    }
    const job = newJob({
      ticket,
      kind: ticket.serviceKind,
      weight: Math.max(1, ticket.partySize),
      accessible: ticket.accessibility,
      joinedMs,
      cls,
      appointmentEndMs: honoured && slot !== undefined ? Date.parse(slot.endsAt) : undefined,
    });
    jobClass.jobs.push(job);
    jobs.push(job);
  }
  return { classes, jobs, unplanned };
}
