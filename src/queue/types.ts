/**
 * Shapes of the queue planner: what it reads (tickets as stored, the venue's lanes and queue
 * rules, observed service times, the time) and what it answers (one ordered plan per open
 * lane and one assignment per planned ticket). Pure data: no I/O, no AWS.
 */
import type { PlanAssignment, StoredTicket } from '../domain/ports.ts';
import type { Lane, QueueRules } from '../domain/rules.ts';

export interface PlannerInput {
  /** the venue's waiting and called tickets (others are ignored) */
  tickets: readonly StoredTicket[];
  lanes: readonly Lane[];
  rules: QueueRules;
  now: Date;
  /** observed mean service minutes per kind (ServiceTimeEstimator); the rules fill the gaps */
  observedServiceMinutes?: Readonly<Record<string, number>>;
  /**
   * the same, steadier, for the ETAs (`ServiceTimeEstimator.steadySnapshot`): a plan decides
   * the next calls, an ETA sums an hour of services (ADR 0413). Without it the ETAs read
   * `observedServiceMinutes`.
   */
  etaServiceMinutes?: Readonly<Record<string, number>>;
  /** recent walk-ins per minute per kind (ArrivalRateEstimator); without them ETAs foresee no joins */
  arrivalsPerMinute?: Readonly<Record<string, number>>;
  /** the accessible part of `arrivalsPerMinute` */
  accessibleArrivalsPerMinute?: Readonly<Record<string, number>>;
  /** nobody joins after this (the venue closes); ETAs then forecast no joins past it */
  joinsUntil?: Date;
  /**
   * booked pickup slots whose check-ins have not all come yet: `count` bookings of the slot
   * not checked in. ETAs foresee them as appointments that join at slot start.
   */
  expectedCheckIns?: readonly ExpectedCheckIns[];
}

/** A slot's bookings still to check in (the worker reads them from the slot store). */
export interface ExpectedCheckIns {
  kind: string;
  startsAt: string;
  endsAt: string;
  count: number;
}

/** One open lane's plan: waiting tickets in call order, and when the lane is next free. */
export interface LanePlan {
  laneId: string;
  ticketIds: string[];
  /** when the lane finishes what it is serving now (ISO) */
  freeAt: string;
}

export interface PlanStats {
  waiting: number;
  planned: number;
  /** waiting tickets whose kind no open lane serves: they keep no lane and no position */
  unplanned: number;
  /** minutes from now until the last planned ticket is called (0 when nothing waits) */
  maxPredictedWaitMinutes: number;
  meanPredictedWaitMinutes: number;
  /** planned tickets called before some older waiting ticket */
  overtakes: number;
}

export interface Plan {
  /** one per planned waiting ticket, carrying the version it was read at */
  assignments: PlanAssignment[];
  lanes: LanePlan[];
  unplannedTicketIds: string[];
  stats: PlanStats;
}
