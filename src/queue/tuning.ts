/**
 * Planner tuning with its defaults. The venue rules (`queue` of the AppConfig document) may set
 * each field; these values apply when a field is absent. The trade-off between efficiency and
 * fairness is the `fairnessMinutes` knob: larger lets short services overtake long ones more.
 */
import type { QueueRules } from '../domain/rules.ts';

export interface PlannerTuning {
  /** a ticket is called at most this many minutes after its FIFO turn (as planned when it joined) */
  fairnessMinutes: number;
  /** a ticket may be called as late as this many minutes after joining, if that is later than the bound above */
  acceptableWaitMinutes: number;
  /** a ticket kept on its lane moves back at most this many places between two re-plans */
  stabilityPositions: number;
  /** a pickup check-in at most this many minutes after its slot start keeps its appointment */
  appointmentEarlyMinutes: number;
  /** a ticket's priority doubles for every this many minutes it has waited (generalized cμ) */
  agingMinutes: number;
  /** exponent of the scarcity factor (0 turns scarcity off: plain cμ / WSPT) */
  scarcityWeight: number;
  /** coefficient of variation of service times, for the remaining time of a service in progress */
  serviceCv: number;
  /** service minutes for a kind the rules do not list */
  fallbackServiceMinutes: number;
}

export const DEFAULT_TUNING: PlannerTuning = {
  fairnessMinutes: 15,
  acceptableWaitMinutes: 0,
  stabilityPositions: 3,
  appointmentEarlyMinutes: 5,
  scarcityWeight: 0.5,
  agingMinutes: 10,
  serviceCv: 0.6,
  fallbackServiceMinutes: 5,
};

/** The tuning in force for these rules. */
export function tuningOf(rules: QueueRules): PlannerTuning {
  return {
    fairnessMinutes: rules.fairnessMinutes ?? DEFAULT_TUNING.fairnessMinutes,
    acceptableWaitMinutes: rules.acceptableWaitMinutes ?? DEFAULT_TUNING.acceptableWaitMinutes,
    stabilityPositions: rules.stabilityPositions ?? DEFAULT_TUNING.stabilityPositions,
    appointmentEarlyMinutes: rules.appointmentEarlyMinutes ?? DEFAULT_TUNING.appointmentEarlyMinutes,
    scarcityWeight: rules.scarcityWeight ?? DEFAULT_TUNING.scarcityWeight,
    agingMinutes: rules.agingMinutes ?? DEFAULT_TUNING.agingMinutes,
    serviceCv: rules.serviceCv ?? DEFAULT_TUNING.serviceCv,
    fallbackServiceMinutes: DEFAULT_TUNING.fallbackServiceMinutes,
  };
}
