/**
 * ETAs that foresee who joins later. The plan itself only orders the tickets that are here;
 * but shorter services that join later overtake a longer one until its fairness deadline, and
 * later tickets of a class make the class urgent sooner. So the ETA comes from a second
 * dispatch of the same tickets plus forecast walk-ins: per kind, evenly spaced at the recent
 * arrival rate, up to the latest deadline of a ticket that is here or until the venue closes
 * (nobody joins then), each with the fairness deadline a real walk-in would get. The forecast
 * tickets only shape the ETAs: lane plans and positions come from the plan of the real tickets.
 */
import type { StoredTicket } from '../domain/ports.ts';
import { dispatch, fifoTurns } from './dispatch.ts';
import { eligible, eligibleLanes, type Job, type JobClass, MINUTE, newJob, type OpenLane } from './jobs.ts';
import type { PlannerTuning } from './tuning.ts';

/** Beyond this, a forecast says nothing useful (and it bounds the work). */
export const FORECAST_HORIZON_MS = 8 * 60 * MINUTE;
/**
 * At most max(this, tickets waiting) forecast walk-ins: an ETA costs at most a second plan
 * (plus the booked check-ins still to come, `MAX_PER_SLOT` a slot at most).
 */
const MIN_BUDGET = 500;
/** A slot's forecast check-ins are capped (a mistyped capacity must not cost a long plan). */
const MAX_PER_SLOT = 200;

export interface ForecastInput {
  classes: readonly JobClass[];
  jobs: readonly Job[];
  open: readonly OpenLane[];
  /** closed lanes whose return is announced (`reopensAt`): in the forecast they open then */
  reopening: readonly OpenLane[];
  tuning: PlannerTuning;
  /** expected service ms per kind as the ETAs see it (steadier than the plan's, ADR 0413) */
  serviceMs: (kind: string) => number;
  /** recent walk-ins per minute per kind */
  arrivalsPerMinute: Readonly<Record<string, number>>;
  /** the accessible part of it */
  accessiblePerMinute: Readonly<Record<string, number>>;
  /** nobody joins after this (epoch ms) */
  joinsUntilMs: number;
  /** booked slots' check-ins still to come */
  checkIns: readonly { kind: string; startsMs: number; endsMs: number; count: number }[];
  nowMs: number;
}

/** Sets each job's `forecastMs`: its call time when the forecast joins are planned along. */
export function forecastCallTimes(input: ForecastInput): void {
  const { classes, jobs, tuning, nowMs } = input;
  if (jobs.length === 0) return;
  // Lanes announced to come back join the forecast from that time on (after the open ones, so
  // the class lane indices of the plan stay valid); each class also gets those it may use.
  const open = [...input.open, ...input.reopening];
  const extra = input.reopening.map((_, k) => input.open.length + k);
  let horizon = nowMs;
  for (const job of jobs) horizon = Math.max(horizon, job.deadlineMs);
  horizon = Math.min(horizon, nowMs + FORECAST_HORIZON_MS);

  // Forecast walk-ins join the class of the walk-ins of their kind, behind them (they join
  // later): a class's slack then counts the tickets that will queue behind its head.
  const all: JobClass[] = classes.map((c) => ({
    ...c,
    serviceMs: input.serviceMs(c.kind),
    lanes: [...c.lanes, ...extra.filter((i) => eligible(open[i]!.lane, c.kind, c.accessible))],
    jobs: [...c.jobs],
  }));
  const forecast: Job[] = [];
  // The horizon shrinks until the forecast fits its budget (an overload's rates over hours).
  let totalRate = 0;
  for (const perMinute of Object.values(input.arrivalsPerMinute)) if (perMinute > 0) totalRate += perMinute;
  const budget = Math.max(MIN_BUDGET, jobs.length);
  const until = Math.min(horizon, input.joinsUntilMs, nowMs + (budget / Math.max(totalRate, 1e-9)) * MINUTE);
  const streams: { kind: string; accessible: boolean; perMinute: number }[] = [];
  for (const [kind, total] of Object.entries(input.arrivalsPerMinute)) {
    const accessible = Math.min(total, input.accessiblePerMinute[kind] ?? 0);
    streams.push({ kind, accessible: false, perMinute: total - accessible });
    streams.push({ kind, accessible: true, perMinute: accessible });
  }
  // A new class for forecast tickets, or -1 when no lane serves them.
  const newClass = (kind: string, accessible: boolean, appointment: boolean): number => {
    const lanes = eligibleLanes(open, kind, accessible);
    if (lanes.length === 0) return -1;
    all.push({ kind, accessible, appointment, serviceMs: input.serviceMs(kind), lanes, jobs: [] });
    return all.length - 1;
  };
  // The class a forecast walk-in joins: the walk-ins' of its kind, behind them, else a new one.
  const walkInClass = (kind: string, accessible: boolean): number => {
    const cls = all.findIndex((c) => c.kind === kind && c.accessible === accessible && !c.appointment);
    if (cls < 0) return newClass(kind, accessible, false);
    return all[cls]!.lanes.length === 0 ? -1 : cls;
  };
  const standIns = new Map<number, StoredTicket>();
  const join = (cls: number, joinedMs: number, appointmentEndMs?: number): void => {
    const target = all[cls]!;
    let ticket = standIns.get(cls);
    if (ticket === undefined) {
      ticket = standIn(target.kind, target.accessible);
      standIns.set(cls, ticket);
    }
    const job = newJob({
      ticket,
      kind: target.kind,
      weight: 1,
      accessible: target.accessible,
      joinedMs,
      cls,
      appointmentEndMs,
    });
    target.jobs.push(job);
    forecast.push(job);
  };
  for (const { kind, accessible, perMinute } of streams) {
    if (!(perMinute > 0)) continue;
    const cls = walkInClass(kind, accessible);
    if (cls < 0) continue;
    const gap = MINUTE / perMinute;
    for (let at = nowMs + gap / 2; at < until; at += gap) join(cls, at);
  }
  // Booked check-ins still to come join at slot start as honoured appointments (a check-in
  // later than the early bound is planned as a walk-in, but not foreseen: the walk-in rates
  // leave appointments out). Slots that start after the last deadline of the tickets here
  // cannot come before any of them. They form classes of their own, apart from the
  // appointments that are here: a class calls its jobs in order and waits for its head to
  // join, so a check-in still to come must not stand in front of one that has come (an early
  // check-in for a later slot).
  const checkInClasses = new Map<string, number>();
  for (const slot of input.checkIns) {
    if (!(slot.count > 0) || slot.startsMs >= horizon) continue;
    if (slot.startsMs + tuning.appointmentEarlyMinutes * MINUTE < nowMs) continue;
    let cls = checkInClasses.get(slot.kind);
    if (cls === undefined) {
      cls = newClass(slot.kind, false, true);
      checkInClasses.set(slot.kind, cls);
    }
    if (cls < 0) continue;
    for (let k = 0; k < Math.min(slot.count, MAX_PER_SLOT); k++)
      join(cls, Math.max(nowMs, slot.startsMs), slot.endsMs);
  }
  // The deadline a walk-in joining then would get: its turn in one shared line (behind
  // everyone here and everyone forecast before it) plus the fairness bound.
  const line = [...jobs, ...forecast];
  const turns = fifoTurns(line, all, open);
  for (let i = jobs.length; i < line.length; i++) {
    const job = line[i]!;
    job.deadlineMs = Math.max(
      turns[i]! + tuning.fairnessMinutes * MINUTE,
      job.joinedMs + tuning.acceptableWaitMinutes * MINUTE,
    );
    if (job.appointmentEndMs !== undefined) {
      job.deadlineMs = Math.min(job.deadlineMs, job.appointmentEndMs - all[job.cls]!.serviceMs);
    }
  }
  // in the order they join, and by deadline among those joining together (one slot)
  for (const cls of checkInClasses.values()) {
    if (cls >= 0) all[cls]!.jobs.sort((a, b) => a.joinedMs - b.joinedMs || a.deadlineMs - b.deadlineMs);
  }
  dispatch(all, open, {
    scarcityWeight: tuning.scarcityWeight,
    agingMs: tuning.agingMinutes * MINUTE,
    forecast: true,
  });
}

/** The stand-in ticket of a forecast stream (the dispatch never reads it; no per-job garbage). */
function standIn(kind: string, accessible: boolean): StoredTicket {
  return {
    ticketId: `forecast:${kind}:${accessible}`,
    venueId: '',
    userId: '',
    serviceKind: kind,
    partySize: 1,
    accessibility: accessible,
    status: 'waiting',
    joinedAt: '',
    version: 0,
  };
}

/**
 * How much earlier than its list-schedule time a ticket is called on average, when m lanes
 * serve its class. The replay gives every service its mean, and each lane's n-th call is then
 * right on average; but a ticket is called by whichever lane frees first, and the earliest of
 * several random finishes comes sooner than the earliest of their means. Renewal theory puts
 * the gap, once the lanes have cycled, at E[S²]/2E[S] − E[S]/2 = E[S]·cv²/2 per lane's
 * calls: by any time the m lanes have made m·cv²/2 more calls than the replay, worth
 * E[S]·cv²/2 of the ticket's wait. One lane has no choice and no gap; the factor (1 − 1/m)
 * goes from there to the many-lanes limit.
 */
export function parallelLanesShiftMs(serviceMs: number, cv: number, lanes: number): number {
  if (lanes <= 1) return 0;
  return ((serviceMs * cv * cv) / 2) * (1 - 1 / lanes);
}
