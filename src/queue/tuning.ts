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
  /** exponent of the scarcity factor (0 turns scarcity off: plain cμ / WSPT) */
  scarcityWeight: number;
  /** service minutes for a kind the rules do not list */
  fallbackServiceMinutes: number;
}

export const DEFAULT_TUNING: PlannerTuning = {
  fairnessMinutes: 15,
  acceptableWaitMinutes: 0,
  stabilityPositions: 3,
  appointmentEarlyMinutes: 5,
  scarcityWeight: 1,
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
    fallbackServiceMinutes: DEFAULT_TUNING.fallbackServiceMinutes,
  };
}
