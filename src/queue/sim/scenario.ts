/**
 * The scenario of one simulated venue day. The JSON form is documented by
 * `scenario.schema.json` beside this file; `parseScenario` validates a document against it
 * and fills the defaults. Minutes count from the start of the day (`startAt`).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import type { Lane } from '../../domain/rules.ts';

export interface RateSegment {
  fromMinute: number;
  toMinute: number;
  perHour: number;
}

export interface WalkIns {
  rates: RateSegment[];
  /** relative shares of each service kind */
  kindShares: Record<string, number>;
  accessibilityShare: number;
  /** relative weights of party sizes 1, 2, 3, … */
  partySizeWeights: number[];
}

export interface Appointments {
  kind: string;
  fromMinute: number;
  toMinute: number;
  slotMinutes: number;
  bookingsPerSlot: number;
  /** bookings that never check in */
  noShowShare: number;
  /** of those who come: within ±5 min of slot start; early (5–30 min before); the rest late */
  punctualShare: number;
  earlyShare: number;
}

export interface Scenario {
  name: string;
  description: string;
  startAt: string;
  /** arrivals happen in [0, durationMinutes); lanes keep serving until the queue is empty */
  durationMinutes: number;
  lanes: Lane[];
  laneChanges: { atMinute: number; laneId: string; open: boolean; backAtMinute?: number }[];
  /** true mean service minutes per kind */
  serviceMinutes: Record<string, number>;
  serviceDistribution: 'lognormal' | 'exponential';
  /** coefficient of variation of lognormal service times */
  serviceCv: number;
  /** what the venue rules say (the planner's prior); defaults to serviceMinutes */
  rulesServiceMinutes: Record<string, number>;
  queue: {
    noShowGraceMinutes: number;
    fairnessMinutes?: number;
    acceptableWaitMinutes?: number;
    agingMinutes?: number;
    stabilityPositions?: number;
    appointmentEarlyMinutes?: number;
    scarcityWeight?: number;
  };
  walkIns: WalkIns;
  appointments?: Appointments;
  /** share of called tickets that do not come, and the lane minutes each such call costs */
  callNoShow: { share: number; lostMinutes: number };
  /** how often the optimizer re-plans (the worker's loop interval), simulated seconds */
  replanSeconds: number;
}

const schema = JSON.parse(readFileSync(new URL('./scenario.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, useDefaults: true });
const validate = ajv.compile(schema);

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** Validates a scenario document, fills defaults and checks cross-field rules. */
export function parseScenario(document: unknown): Scenario {
  const copy = structuredClone(document) as Record<string, unknown>;
  if (!validate(copy)) {
    const details = (validate.errors ?? [])
      .map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message}`)
      .join('; ');
    throw new ScenarioError(`invalid scenario: ${details}`);
  }
  const scenario = copy as unknown as Scenario;
  scenario.rulesServiceMinutes ??= { ...scenario.serviceMinutes };
  if (Number.isNaN(Date.parse(scenario.startAt)))
    throw new ScenarioError('invalid scenario: startAt is not a time');
  const laneIds = new Set(scenario.lanes.map((l) => l.laneId));
  if (laneIds.size !== scenario.lanes.length) throw new ScenarioError('invalid scenario: duplicate laneId');
  for (const change of scenario.laneChanges) {
    if (!laneIds.has(change.laneId))
      throw new ScenarioError(`invalid scenario: unknown lane ${change.laneId}`);
  }
  const kinds = [
    ...Object.keys(scenario.walkIns.kindShares),
    ...(scenario.appointments ? [scenario.appointments.kind] : []),
  ];
  for (const kind of kinds) {
    if (scenario.serviceMinutes[kind] === undefined) {
      throw new ScenarioError(`invalid scenario: no serviceMinutes for kind ${kind}`);
    }
  }
  for (const r of scenario.walkIns.rates) {
    if (r.toMinute <= r.fromMinute)
      throw new ScenarioError('invalid scenario: a rate segment ends before it starts');
  }
  return scenario;
}

/** Reads and parses a scenario file. */
export function loadScenarioFile(path: string): Scenario {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ScenarioError(`cannot read scenario ${path}: ${(error as Error).message}`);
  }
  return parseScenario(document);
}
