/**
 * One venue's share of a worker cycle, through the ports only: sweep called tickets past the
 * no-show grace into `no_show`, learn service times from tickets that left `called`, plan the
 * rest, and write back only the assignments that changed (each write conditional on the
 * version the ticket was read at, so the API's concurrent changes are never overwritten).
 */
import { DomainError } from '../domain/errors.ts';
import { PICKUP_SERVICE_KIND } from '../domain/model.ts';
import type { PlanAssignment, PlanWrite, QueueStore, SlotStore, StoredTicket } from '../domain/ports.ts';
import type { VenueRules } from '../domain/rules.ts';
import { errorName, type Logger } from '../observability/log.ts';
import type { ArrivalRateEstimator } from '../queue/arrival-rates.ts';
import { FORECAST_HORIZON_MS } from '../queue/forecast.ts';
import type { PlannerMemory } from '../queue/memory.ts';
import { planQueue } from '../queue/planner.ts';
import type { ServiceTimeEstimator } from '../queue/service-times.ts';
import { tuningOf } from '../queue/tuning.ts';
import type { ExpectedCheckIns, PlanStats } from '../queue/types.ts';
import { closesAt, opensAt } from '../services/venue-time.ts';

const MINUTE = 60_000;

/** ETA moves smaller than this are not written (the ETA is shown to the minute). */
const ETA_TOLERANCE_MS = 30_000;

/** What the worker keeps per venue between cycles. */
export interface VenueState {
  memory: PlannerMemory;
  estimator: ServiceTimeEstimator;
  arrivals: ArrivalRateEstimator;
  /** when this worker began to watch the venue (epoch ms): joins before it were not all seen */
  watchingSince: number;
  /** tickets seen `called` last cycle: id → kind, to learn their service time once done */
  called: Map<string, string>;
  /**
   * The ETA each waiting ticket was first given by this worker (epoch ms), to measure, when it
   * is called, how far off the ETA its shopper saw was (a restarted worker starts afresh).
   */
  firstEta: Map<string, number>;
  /** services observed since the estimator was last saved, and when that was (epoch ms) */
  unsaved: number;
  savedAtMs: number;
}

export interface VenueCycleResult {
  venueId: string;
  replanMs: number;
  stats: PlanStats;
  written: number;
  skipped: number;
  noShows: number;
  observed: number;
  /** per ticket called since the last cycle after waiting: call − first ETA, minutes (+ = late) */
  etaErrors: number[];
}

function changed(ticket: StoredTicket, a: PlanAssignment): boolean {
  if (ticket.laneId !== a.laneId || ticket.position !== a.position || ticket.etaAt === undefined) return true;
  if (a.fairnessDeadlineAt !== undefined && ticket.fairnessDeadlineAt !== a.fairnessDeadlineAt) return true;
  return Math.abs(Date.parse(ticket.etaAt) - Date.parse(a.etaAt)) >= ETA_TOLERANCE_MS;
}

/** What the worker reads and writes of the queue: no shopper's views, no joins. */
export type WorkerQueueStore = Pick<QueueStore, 'get' | 'listActive' | 'transition' | 'applyPlan'>;

/**
 * A called ticket stays `called` while it is served (nothing marks the shopper's arrival), so
 * the grace alone would sweep shoppers standing at the counter into `no_show`, and their
 * service could no longer be completed. The sweep waits for the grace and then for the
 * service itself, generously: `SERVICE_ALLOWANCE` times the kind's expected minutes (a
 * lognormal service with CV 0.6 runs past three times its mean about once in a hundred).
 * Operators mark a no-show at once with `complete`; the sweep only clears what they forgot.
 */
const SERVICE_ALLOWANCE = 3;

function isOverdue(ticket: StoredTicket, venue: VenueRules, now: Date): boolean {
  if (ticket.status !== 'called' || ticket.calledAt === undefined) return false;
  const { serviceMinutes } = venue.queue;
  const service = serviceMinutes[ticket.serviceKind] ?? Math.max(0, ...Object.values(serviceMinutes));
  const allowance = venue.queue.noShowGraceMinutes + SERVICE_ALLOWANCE * service;
  return Date.parse(ticket.calledAt) + allowance * MINUTE < now.getTime();
}

/** Runs the cycle for one venue. Store failures propagate; lost version races are counted. */
export async function runVenueCycle(
  venueId: string,
  venue: VenueRules,
  stores: { queue: WorkerQueueStore; slots: Pick<SlotStore, 'awaitingCheckIns'> },
  state: VenueState,
  now: Date,
  logger: Logger,
): Promise<VenueCycleResult> {
  const { queue } = stores;
  const active = await queue.listActive(venueId);
  for (const t of active) state.arrivals.observeTicket(t);
  const observed = await learnServiceTimes(active, queue, state);
  const etaErrors = etaErrorsOfCalled(active, state.firstEta);
  const tickets: StoredTicket[] = [];
  let noShows = 0;
  for (const ticket of active) {
    if (!isOverdue(ticket, venue, now)) {
      tickets.push(ticket);
      continue;
    }
    try {
      await queue.transition(ticket, { to: 'no_show', at: now.toISOString(), outcome: 'no_show' });
      state.called.delete(ticket.ticketId);
      noShows++;
    } catch (error) {
      // The API completed it meanwhile (version moved): its change wins.
      if (!(error instanceof DomainError)) throw error;
      logger.debug('no-show sweep lost a race', { ticketId: ticket.ticketId, code: error.code });
    }
  }
  state.estimator.updateExpected(venue.queue.serviceMinutes);
  // nobody joins a closed venue: ETAs foresee no joins after closing time
  const joinsUntil = closesAt(venue, now);
  // The check-ins only sharpen the ETAs: when the slots cannot be read, plan without them.
  const expectedCheckIns = await checkInsToCome(stores.slots, venueId, venue, tickets, now, joinsUntil).catch(
    (error: unknown) => {
      logger.warn('pickup slots unreadable; ETAs foresee no check-ins', { venueId, error: errorName(error) });
      return [];
    },
  );
  // every join since the venue opened, or since this worker watches it, has been seen
  const seenSince = Math.max(state.watchingSince, opensAt(venue, now).getTime());
  const started = performance.now();
  const plan = planQueue(
    {
      tickets,
      lanes: venue.lanes,
      rules: venue.queue,
      now,
      observedServiceMinutes: state.estimator.snapshot(),
      etaServiceMinutes: state.estimator.steadySnapshot(),
      arrivalsPerMinute: state.arrivals.perMinute(now.getTime(), seenSince),
      accessibleArrivalsPerMinute: state.arrivals.accessiblePerMinute(now.getTime(), seenSince),
      joinsUntil,
      expectedCheckIns,
    },
    state.memory,
  );
  const replanMs = performance.now() - started;
  const byId = new Map(tickets.map((t) => [t.ticketId, t]));
  const updates: PlanWrite[] = plan.assignments.filter((a) => changed(byId.get(a.ticketId)!, a));
  // A ticket no open lane serves any more (its lane closed) loses the lane and place it had.
  for (const ticketId of plan.unplannedTicketIds) {
    const ticket = byId.get(ticketId)!;
    if (ticket.laneId !== undefined || ticket.position !== undefined || ticket.etaAt !== undefined) {
      updates.push({ ticketId, version: ticket.version, unplanned: true });
    }
  }
  const { written, skipped } =
    updates.length === 0 ? { written: 0, skipped: 0 } : await queue.applyPlan(venueId, updates);
  for (const a of plan.assignments) {
    if (!state.firstEta.has(a.ticketId)) state.firstEta.set(a.ticketId, Date.parse(a.etaAt));
  }
  const waiting = new Set(tickets.filter((t) => t.status === 'waiting').map((t) => t.ticketId));
  for (const id of state.firstEta.keys()) if (!waiting.has(id)) state.firstEta.delete(id);
  return { venueId, replanMs, stats: plan.stats, written, skipped, noShows, observed, etaErrors };
}

/**
 * The pickup check-ins still to come while the venue is open: slots that start before it
 * closes (within the forecast's horizon), or started so recently that a check-in still counts
 * as on time (the planner honours an appointment up to `appointmentEarlyMinutes` after slot
 * start).
 */
async function checkInsToCome(
  slots: Pick<SlotStore, 'awaitingCheckIns'>,
  venueId: string,
  venue: VenueRules,
  tickets: readonly StoredTicket[],
  now: Date,
  joinsUntil: Date,
): Promise<ExpectedCheckIns[]> {
  // they shape only the ETAs of tickets that wait: with none, the read is saved (every cycle)
  if (joinsUntil.getTime() <= now.getTime() || !tickets.some((t) => t.status === 'waiting')) return [];
  const onTimeMinutes = tuningOf(venue.queue).appointmentEarlyMinutes;
  const from = new Date(now.getTime() - onTimeMinutes * MINUTE).toISOString();
  // a venue open around the clock closes days ahead: the forecast looks no further than its horizon
  const to = new Date(Math.min(joinsUntil.getTime(), now.getTime() + FORECAST_HORIZON_MS)).toISOString();
  const awaiting = await slots.awaitingCheckIns(venueId, { from, to });
  return awaiting
    .filter((slot) => slot.awaiting > 0)
    .map((slot) => ({
      kind: PICKUP_SERVICE_KIND,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      count: slot.awaiting,
    }));
}

/**
 * How far off the first ETA was for tickets called since the last cycle, as the simulator
 * measures it: only tickets that waited (a ticket called at once says nothing about it).
 */
function etaErrorsOfCalled(active: readonly StoredTicket[], firstEta: Map<string, number>): number[] {
  const errors: number[] = [];
  for (const t of active) {
    const shown = firstEta.get(t.ticketId);
    if (t.status !== 'called' || shown === undefined || t.calledAt === undefined) continue;
    firstEta.delete(t.ticketId);
    const calledMs = Date.parse(t.calledAt);
    if (calledMs > Date.parse(t.joinedAt)) errors.push((calledMs - shown) / MINUTE);
  }
  return errors;
}

/** Feeds the estimator with tickets that were `called` last cycle and are `done` (served) now. */
async function learnServiceTimes(
  active: readonly StoredTicket[],
  queue: WorkerQueueStore,
  state: VenueState,
): Promise<number> {
  const stillCalled = new Map<string, string>();
  for (const t of active) if (t.status === 'called') stillCalled.set(t.ticketId, t.serviceKind);
  let observed = 0;
  for (const [ticketId, kind] of state.called) {
    if (stillCalled.has(ticketId)) continue;
    const ticket = await queue.get(ticketId);
    if (ticket?.status !== 'done' || ticket.outcome === 'no_show') continue;
    if (ticket.calledAt === undefined || ticket.completedAt === undefined) continue;
    state.estimator.observe(kind, (Date.parse(ticket.completedAt) - Date.parse(ticket.calledAt)) / MINUTE);
    observed++;
  }
  state.called = stillCalled;
  return observed;
}
