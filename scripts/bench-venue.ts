/**
 * The venue the position benchmarks queue at (`bench:positions`, `bench:lane-plan`): the
 * surge's 40 lanes in three lane sets (src/queue/sim/scenarios.ts, `launch-surge`), and its
 * mix of kinds, 7 pickups to 2 returns to 1 consultation.
 */
import type { Lane } from '../src/domain/rules.ts';

const lanes = (n: number, prefix: string, kinds: string[], accessible = 0): Lane[] =>
  Array.from({ length: n }, (_, i) => ({
    laneId: `${prefix}${i + 1}`,
    serviceKinds: kinds,
    accessible: i < accessible,
    open: true,
  }));

export const SURGE_LANES: Lane[] = [
  ...lanes(28, 'S', ['pickup', 'returns'], 3),
  ...lanes(8, 'M', ['pickup', 'returns', 'consultation'], 1),
  ...lanes(4, 'C', ['consultation', 'returns']),
];

/** The kind of the i-th ticket is `SURGE_KINDS[i % SURGE_KINDS.length]`. */
export const SURGE_KINDS: readonly string[] = [
  ...Array<string>(7).fill('pickup'),
  'returns',
  'returns',
  'consultation',
];
