/**
 * The queue worker's cycle, through the ports only (the composition root is worker/main.ts):
 * for every venue of the rules in force, `runVenueCycle`. Structured logs and EMF metrics per
 * venue: re-plan ms, waiting count, predicted wait, overtakes, writes, ETA quality. The event
 * outbox is not the worker's: the scheduled outbox sweeper publishes what the API could not
 * (ADR 0311), whether or not a worker runs.
 */
import type { Clock, RulesProvider, ServiceTimeStore, SlotStore, WorkerLeaseStore } from '../domain/ports.ts';
import { emitMetrics, errorName, type Logger, type LogSink, type MetricUnit } from '../observability/log.ts';
import { ArrivalRateEstimator } from '../queue/arrival-rates.ts';
import { PlannerMemory } from '../queue/memory.ts';
import { ServiceTimeEstimator } from '../queue/service-times.ts';
import {
  runVenueCycle,
  type VenueCycleResult,
  type VenueState,
  type WorkerQueueStore,
} from './venue-cycle.ts';

export const METRICS_NAMESPACE = 'VenueHub/Worker';
/** an ETA within 5 minutes of the call counts as right (issue 7's ±5 minutes; the simulator's too) */
const closeEnough = (errorMinutes: number) => Math.abs(errorMinutes) <= 5;
/** the dimension of the worker-wide metrics (template.yaml's WorkerStalledAlarm and EtaQualityAlarm read it) */
export const WORKER_SERVICE = 'queue-worker';

export interface WorkerDeps {
  rules: RulesProvider;
  queue: WorkerQueueStore;
  /** pickup slots' reservations still to check in, which the ETAs foresee */
  slots: Pick<SlotStore, 'awaitingCheckIns'>;
  clock: Clock;
  logger: Logger;
  /** where EMF records go (stdout by default) */
  metricsSink?: LogSink;
  /**
   * The lease that lets one task at a time run the cycles (ADR 0507); without it this worker
   * assumes it is alone (tests, a one-off run).
   */
  lease?: { store: WorkerLeaseStore; owner: string; seconds: number };
  /** where each venue's observed service times are kept for the next lease holder */
  serviceTimes?: ServiceTimeStore;
}

/** Observed service times are saved at most this often per venue (and when the lease is released). */
const SAVE_SERVICE_TIMES_MS = 60_000;

export interface CycleReport {
  /** another task holds the lease: this cycle planned nothing */
  standby: boolean;
  venues: VenueCycleResult[];
  failedVenues: string[];
}

/** A cycle in which every venue it tried failed. */
export class WorkerCycleFailed extends Error {
  constructor(report: CycleReport) {
    super(`nothing succeeded: all ${report.failedVenues.length} venue(s) failed`);
    this.name = 'WorkerCycleFailed';
  }
}

export class QueueWorker {
  private readonly venues = new Map<string, VenueState>();
  private leading = false;
  /** when the lease this task holds ends unless renewed, by its own clock (epoch ms) */
  private leaseUntilMs = 0;

  constructor(private readonly deps: WorkerDeps) {}

  /**
   * Gives the lease up (a stopping task, after its last cycle), so that a standby takes over at
   * its next cycle instead of when the lease ends. A failure is logged: the lease then ends
   * on its own.
   */
  async release(): Promise<void> {
    const { lease } = this.deps;
    if (lease === undefined || !this.leading) return;
    // what this task learned since its last save, for the task that takes over (nothing once
    // its lease has run out: a successor's copy may be newer)
    for (const [venueId, state] of this.venues) await this.saveServiceTimes(venueId, state);
    try {
      await lease.store.release(lease.owner);
      this.leading = false;
      this.deps.logger.info('worker lease released', { owner: lease.owner });
    } catch (error) {
      this.deps.logger.warn('worker lease not released; it ends on its own', { error: errorName(error) });
    }
  }

  /**
   * Takes or renews the lease; true when this task may run the cycle. A task that loses the
   * lease (it paused past its end and another took over) drops what it knew of the venues:
   * the new holder's plans and observations are the ones that count now.
   */
  private async lead(): Promise<boolean> {
    const { lease, clock, logger } = this.deps;
    if (lease === undefined) return true;
    const now = clock.now().getTime();
    if (this.leading && now > this.leaseUntilMs) {
      // It ended before this renewal (the store's own test: another may take it once it is
      // past): another task may have held it meanwhile (planned, learned, saved, stopped), so
      // what this task knew is as stale as after a lease lost, even if the renewal succeeds.
      logger.warn('worker lease lapsed before its renewal', { owner: lease.owner });
      this.venues.clear();
    }
    // counted from before the write, so never later than the end the other tasks read
    const until = now + lease.seconds * 1000;
    const held = await lease.store.acquire(lease.owner, now, until);
    if (held) this.leaseUntilMs = until;
    if (held !== this.leading) {
      logger.info(
        held ? 'worker lease taken: this task plans the queues' : 'worker lease lost: standing by',
        {
          owner: lease.owner,
        },
      );
      if (!held) this.venues.clear();
    }
    this.leading = held;
    return held;
  }

  /**
   * Whether this task may start more work under its lease: it holds it and more than a third
   * of it is left. The lease is renewed once a cycle; a cycle that stalls (a store retrying, a
   * paused process) must not go on planning after a standby may have taken over.
   */
  private mayGoOn(): boolean {
    const { lease } = this.deps;
    if (lease === undefined) return true;
    const left = this.leaseUntilMs - this.deps.clock.now().getTime();
    return this.leading && left > (lease.seconds * 1000) / 3;
  }

  /**
   * One full cycle. One venue's failure is logged and the cycle goes on (VenueCycleFailingAlarm
   * watches a venue that fails every cycle). A cycle in which nothing succeeded (every venue it
   * tried failed: the store out of reach) throws after its metrics, so that the loop does not
   * touch the health file and ECS replaces a task that can do nothing; a lease or rules that
   * cannot be read throw too.
   */
  async runOnce(): Promise<CycleReport> {
    const { deps } = this;
    const report: CycleReport = { standby: false, venues: [], failedVenues: [] };
    if (!(await this.lead())) {
      report.standby = true;
      emitMetrics(
        METRICS_NAMESPACE,
        { Service: WORKER_SERVICE },
        // not a completed cycle: WorkerStalledAlarm sees the cycles that planned, and so fires
        // if no task holds the lease (the standby's health file stays fresh all the same)
        { CyclesCompleted: { value: 0, unit: 'Count' }, Standby: { value: 1, unit: 'Count' } },
        deps.metricsSink,
      );
      return report;
    }
    const snapshot = await deps.rules.current();
    if (snapshot.document.features.queue) {
      for (const [venueId, venue] of Object.entries(snapshot.document.venues)) {
        if (!this.mayGoOn()) {
          // the venues left wait for the next cycle, which renews the lease first
          deps.logger.warn('worker lease running out; the rest of the cycle waits', {
            owner: deps.lease?.owner,
          });
          break;
        }
        try {
          const state = await this.stateOf(venueId, venue.queue.serviceMinutes);
          const result = await runVenueCycle(venueId, venue, deps, state, deps.clock.now(), deps.logger);
          report.venues.push(result);
          this.record(result, snapshot.version);
          state.unsaved += result.observed;
          if (deps.clock.now().getTime() - state.savedAtMs >= SAVE_SERVICE_TIMES_MS)
            await this.saveServiceTimes(venueId, state);
        } catch (error) {
          report.failedVenues.push(venueId);
          deps.logger.error('venue cycle failed', { venueId, error: errorName(error) });
        }
      }
      this.forgetVenuesNotIn(new Set(Object.keys(snapshot.document.venues)));
    }
    // Without a venue dimension, so that one alarm sees the whole worker whatever venues the
    // rules list: a cycle completed and how much of it failed (WorkerStalledAlarm), and the
    // tickets called after waiting, with those whose first ETA was right within ±5 minutes
    // (EtaQualityAlarm: counts, so that the alarm's share weighs every ticket alike).
    const etaErrors = report.venues.flatMap((v) => v.etaErrors);
    const nothingWorked = report.failedVenues.length > 0 && report.venues.length === 0;
    emitMetrics(
      METRICS_NAMESPACE,
      { Service: WORKER_SERVICE },
      {
        CyclesCompleted: { value: nothingWorked ? 0 : 1, unit: 'Count' },
        Standby: { value: 0, unit: 'Count' },
        VenuesFailed: { value: report.failedVenues.length, unit: 'Count' },
        EtaChecked: { value: etaErrors.length, unit: 'Count' },
        EtaWithin5Min: { value: etaErrors.filter(closeEnough).length, unit: 'Count' },
      },
      deps.metricsSink,
    );
    if (nothingWorked) throw new WorkerCycleFailed(report);
    return report;
  }

  /**
   * The venue's state, made on first sight: its estimator starts from the service times the
   * previous lease holder saved, if any (unreadable ones are logged: it starts from the rules).
   */
  private async stateOf(venueId: string, serviceMinutes: Record<string, number>): Promise<VenueState> {
    const known = this.venues.get(venueId);
    if (known !== undefined) return known;
    const now = this.deps.clock.now().getTime();
    const state: VenueState = {
      memory: new PlannerMemory(),
      estimator: new ServiceTimeEstimator(serviceMinutes),
      arrivals: new ArrivalRateEstimator(),
      watchingSince: now,
      called: new Map(),
      firstEta: new Map(),
      unsaved: 0,
      savedAtMs: now,
    };
    const saved = await this.deps.serviceTimes?.load(venueId).catch((error: unknown) => {
      this.deps.logger.warn('saved service times unreadable; starting from the rules', {
        venueId,
        error: errorName(error),
      });
      return undefined;
    });
    if (saved !== undefined) {
      state.estimator.restore(saved);
      this.deps.logger.info('service times taken over', { venueId });
    }
    this.venues.set(venueId, state);
    return state;
  }

  /**
   * Saves what the venue's estimator learned since its last save, while this task leads (a
   * failure is logged, not thrown).
   */
  private async saveServiceTimes(venueId: string, state: VenueState): Promise<void> {
    const store = this.deps.serviceTimes;
    if (store === undefined || state.unsaved === 0 || !this.mayGoOn()) return;
    const at = this.deps.clock.now();
    try {
      await store.save(venueId, state.estimator.state(), at);
      state.unsaved = 0;
      state.savedAtMs = at.getTime();
    } catch (error) {
      this.deps.logger.warn('service times not saved', { venueId, error: errorName(error) });
    }
  }

  private forgetVenuesNotIn(venueIds: ReadonlySet<string>): void {
    for (const id of this.venues.keys()) if (!venueIds.has(id)) this.venues.delete(id);
  }

  private record(result: VenueCycleResult, configVersion: string): void {
    const { stats } = result;
    this.deps.logger.info('venue re-planned', {
      venueId: result.venueId,
      configVersion,
      replanMs: Math.round(result.replanMs * 100) / 100,
      waiting: stats.waiting,
      unplanned: stats.unplanned,
      written: result.written,
      skipped: result.skipped,
      noShows: result.noShows,
    });
    emitMetrics(
      METRICS_NAMESPACE,
      { VenueId: result.venueId },
      {
        ReplanMs: { value: result.replanMs, unit: 'Milliseconds' },
        WaitingCount: { value: stats.waiting, unit: 'Count' },
        UnplannedCount: { value: stats.unplanned, unit: 'Count' },
        PredictedWaitMinutes: { value: stats.maxPredictedWaitMinutes, unit: 'None' },
        Overtakes: { value: stats.overtakes, unit: 'Count' },
        PlanWrites: { value: result.written, unit: 'Count' },
        PlanWritesSkipped: { value: result.skipped, unit: 'Count' },
        NoShows: { value: result.noShows, unit: 'Count' },
        ...etaAccuracy(result.etaErrors),
      },
      this.deps.metricsSink,
    );
  }
}

/**
 * The ETA quality of the tickets called this cycle, in the simulator's terms (docs/queue.md):
 * mean absolute error, share within ±5 min, share called more than a minute late. Nothing when
 * no ticket that waited was called.
 */
function etaAccuracy(errors: readonly number[]): Record<string, { value: number; unit: MetricUnit }> {
  if (errors.length === 0) return {};
  const share = (test: (e: number) => boolean) => errors.filter(test).length / errors.length;
  return {
    EtaChecked: { value: errors.length, unit: 'Count' },
    EtaAbsErrorMinutes: {
      value: errors.reduce((sum, e) => sum + Math.abs(e), 0) / errors.length,
      unit: 'None',
    },
    EtaWithin5MinShare: { value: share(closeEnough), unit: 'None' },
    EtaLateShare: { value: share((e) => e > 1), unit: 'None' },
  };
}
