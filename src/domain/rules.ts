/**
 * Venue rules: the AppConfig document of DESIGN.md §5 (extended). The JSON Schema that
 * AppConfig enforces lives in template.yaml beside the hosted content; these types mirror it.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface Lane {
  laneId: string;
  serviceKinds: string[];
  accessible: boolean;
  open: boolean;
  /** a closed lane's announced return (ISO time): shown ETAs count on it, nothing else does */
  reopensAt?: string;
}

export interface QueueRules {
  maxLength: number;
  noShowGraceMinutes: number;
  /** expected minutes of service per service kind */
  serviceMinutes: Record<string, number>;
  /** planner tuning: how many minutes beyond its FIFO turn a ticket may be made to wait */
  fairnessMinutes?: number;
  /**
   * planner tuning: a total wait the venue accepts for anyone; up to it, a ticket may be
   * overtaken beyond `fairnessMinutes` (0 = the FIFO-turn bound alone applies)
   */
  acceptableWaitMinutes?: number;
  /** planner tuning: how many places a ticket may move back between two re-plans */
  stabilityPositions?: number;
  /** pickup appointments: how early before slot start a check-in counts as punctual */
  appointmentEarlyMinutes?: number;
  /** planner tuning: a ticket's priority grows by its own base for every this many minutes waited */
  agingMinutes?: number;
  /** planner tuning: coefficient of variation of service times (how long a service in progress may still take) */
  serviceCv?: number;
  /** planner tuning: how strongly kinds that few open lanes serve are preferred (0 = plain cμ) */
  scarcityWeight?: number;
}

export interface VenueLimits {
  /** confirmed (not yet checked-in) reservations one user may hold at this venue */
  activeReservationsPerUser: number;
  /** queue joins one user may make per clock hour at this venue */
  queueJoinsPerHour: number;
}

export interface VenueAlerts {
  /** share of capacity (0–1) at which operators are alerted */
  capacityThreshold: number;
  /** predicted wait (minutes) above which operators are alerted */
  predictedWaitMinutes: number;
  /** the language of the operators' alerts (`en` unless set; shopper messages follow each shopper) */
  language?: 'en' | 'es';
}

export interface VenueRules {
  name: string;
  timezone: string;
  /** opening hours per weekday, local time; a missing day is closed; "24:00" ends at midnight */
  hours: Partial<Record<Weekday, [string, string]>>;
  closedDates: string[];
  maxPartySize: number;
  checkInWindowMinutes: { before: number; after: number };
  queue: QueueRules;
  lanes: Lane[];
  limits: VenueLimits;
  alerts: VenueAlerts;
}

export interface Features {
  queue: boolean;
  pickup: boolean;
  campaigns: boolean;
}

export interface RulesDocument {
  venues: Record<string, VenueRules>;
  features: Features;
}

/** The rules in force plus the version they came from (shown by GET /health). */
export interface RulesSnapshot {
  document: RulesDocument;
  version: string;
}
