/**
 * The six built-in venue days, by name. Service minutes: pickup 3, returns 6, consultation
 * 15 (lognormal, CV 0.6). Loads are stated per lane group as arrival work ÷ lane capacity.
 */
import { parseScenario, type Scenario } from './scenario.ts';

const SERVICE = { pickup: 3, returns: 6, consultation: 15 };
const MIX = { pickup: 0.55, returns: 0.3, consultation: 0.15 }; // mean service 5.7 min

function lanes(count: number, kinds: string[], prefix: string, accessible = 0) {
  return Array.from({ length: count }, (_, i) => ({
    laneId: `${prefix}${i + 1}`,
    serviceKinds: kinds,
    accessible: i < accessible,
  }));
}

const documents: Record<string, object> = {
  // 6 lanes, mean service 5.7 min → capacity ≈ 63/h; 30/h + 4/h of appointments ≈ 50 % load.
  'quiet-weekday': {
    description: '6 mixed lanes, about 50% load over an 8-hour weekday, a few pickup appointments',
    durationMinutes: 480,
    lanes: [
      ...lanes(2, ['pickup', 'returns'], 'A', 1),
      ...lanes(2, ['pickup', 'returns', 'consultation'], 'B', 1),
      ...lanes(1, ['consultation'], 'C'),
      ...lanes(1, ['pickup'], 'P'),
    ],
    serviceMinutes: SERVICE,
    walkIns: { rates: [{ fromMinute: 0, toMinute: 480, perHour: 30 }], kindShares: MIX },
    appointments: { kind: 'pickup', fromMinute: 30, toMinute: 450, slotMinutes: 15, bookingsPerSlot: 1 },
  },
  // Lanes split by kind: 5 pickup (100/h), 4 returns (40/h), 3 consultation (12/h). At the
  // 130/h peak: pickup 86 + 4 appointments ≈ 90 %, returns 34 ≈ 85 %, consultation 10 ≈ 85 %.
  'saturday-peak': {
    description: '12 lanes split by kind; peak at about 90% on the pickup group for four hours',
    durationMinutes: 600,
    lanes: [
      ...lanes(5, ['pickup'], 'P', 1),
      ...lanes(4, ['returns'], 'R', 1),
      ...lanes(3, ['consultation'], 'C', 1),
    ],
    serviceMinutes: SERVICE,
    walkIns: {
      rates: [
        { fromMinute: 0, toMinute: 120, perHour: 80 },
        { fromMinute: 120, toMinute: 360, perHour: 130 },
        { fromMinute: 360, toMinute: 600, perHour: 90 },
      ],
      kindShares: { pickup: 0.66, returns: 0.262, consultation: 0.078 },
    },
    appointments: { kind: 'pickup', fromMinute: 60, toMinute: 540, slotMinutes: 15, bookingsPerSlot: 1 },
  },
  // 12 lanes, 10 of them flexible; mean service 5.7 min → ≈ 126/h; peak 115/h + 4/h of
  // appointments ≈ 92 % for five hours.
  'mixed-peak': {
    description: '12 lanes, most serving several kinds; peak at about 90% for five hours',
    durationMinutes: 600,
    lanes: [
      ...lanes(6, ['pickup', 'returns', 'consultation'], 'M', 2),
      ...lanes(4, ['pickup', 'returns'], 'F'),
      ...lanes(2, ['consultation', 'returns'], 'C'),
    ],
    serviceMinutes: SERVICE,
    queue: { fairnessMinutes: 30 },
    walkIns: {
      rates: [
        { fromMinute: 0, toMinute: 120, perHour: 80 },
        { fromMinute: 120, toMinute: 420, perHour: 115 },
        { fromMinute: 420, toMinute: 600, perHour: 85 },
      ],
      kindShares: MIX,
    },
    appointments: { kind: 'pickup', fromMinute: 60, toMinute: 540, slotMinutes: 15, bookingsPerSlot: 1 },
  },
  // 40 lanes, mean service 4.8 min ≈ 500/h; 1,450 walk-ins in the first 30 minutes, 1,400 over the next 3.5 hours.
  'launch-surge': {
    description: '40 lanes, about 3,000 tickets in 4 hours, half of them in the first 30 minutes (overload)',
    durationMinutes: 240,
    lanes: [
      ...lanes(28, ['pickup', 'returns'], 'S', 3),
      ...lanes(8, ['pickup', 'returns', 'consultation'], 'M', 1),
      ...lanes(4, ['consultation', 'returns'], 'C'),
    ],
    serviceMinutes: SERVICE,
    walkIns: {
      rates: [
        { fromMinute: 0, toMinute: 30, perHour: 2900 },
        { fromMinute: 30, toMinute: 240, perHour: 400 },
      ],
      kindShares: { pickup: 0.7, returns: 0.2, consultation: 0.1 },
    },
    appointments: { kind: 'pickup', fromMinute: 15, toMinute: 240, slotMinutes: 15, bookingsPerSlot: 8 },
  },
  // 10 lanes at ≈ 70 %; four flexible lanes close for two hours at minute 180 (a rules change
  // that says when they are back, as an operator closing lanes for a training would).
  'lane-outage': {
    description: '10 mixed lanes at about 70% load; 4 lanes close at minute 180 and reopen at minute 300',
    durationMinutes: 480,
    lanes: [
      ...lanes(5, ['pickup', 'returns', 'consultation'], 'M', 1),
      ...lanes(3, ['pickup', 'returns'], 'F'),
      ...lanes(2, ['consultation'], 'C'),
    ],
    laneChanges: [
      ...['M2', 'M3', 'F1', 'F2'].map((laneId) => ({
        atMinute: 180,
        laneId,
        open: false,
        backAtMinute: 300,
      })),
      ...['M2', 'M3', 'F1', 'F2'].map((laneId) => ({ atMinute: 300, laneId, open: true })),
    ],
    // A venue whose lanes mostly serve several kinds lets short services overtake for longer
    // (the trade-off of docs/queue.md: the p95 and max caps still hold, see its table).
    queue: { fairnessMinutes: 45 },
    serviceMinutes: SERVICE,
    walkIns: { rates: [{ fromMinute: 0, toMinute: 480, perHour: 74 }], kindShares: MIX },
    appointments: { kind: 'pickup', fromMinute: 30, toMinute: 450, slotMinutes: 15, bookingsPerSlot: 1 },
  },
  // 8 lanes (3 accessible) at ≈ 80 %; 30 % of tickets need an accessible lane.
  'accessibility-day': {
    description: '8 lanes, 3 of them accessible; 30% of tickets need an accessible lane',
    durationMinutes: 480,
    lanes: [
      ...lanes(3, ['pickup', 'returns', 'consultation'], 'A', 3),
      ...lanes(3, ['pickup', 'returns', 'consultation'], 'M'),
      ...lanes(2, ['pickup', 'returns'], 'F'),
    ],
    serviceMinutes: SERVICE,
    walkIns: {
      rates: [{ fromMinute: 0, toMinute: 480, perHour: 64 }],
      kindShares: MIX,
      accessibilityShare: 0.3,
    },
    appointments: { kind: 'pickup', fromMinute: 30, toMinute: 450, slotMinutes: 15, bookingsPerSlot: 1 },
  },
};

/** Names of the built-in scenarios, in a stable order. */
export const SCENARIO_NAMES = Object.keys(documents);

/** A built-in scenario by name, or undefined. */
export function builtInScenario(name: string): Scenario | undefined {
  const document = documents[name];
  return document === undefined ? undefined : parseScenario({ name, ...document });
}
