/**
 * The venue the position benchmarks queue at (`bench:positions`, `bench:lane-plan`): the
 * surge's 40 lanes in three lane sets (src/queue/sim/scenarios.ts, `launch-surge`), and its
 * mix of kinds, 7 pickups to 2 returns to 1 consultation.
 */
import type { Lane } from '../src/domain/rules.ts';
import { builtInScenario } from '../src/queue/sim/scenarios.ts';

const surge = builtInScenario('launch-surge');
if (!surge) throw new Error('the built-in scenario launch-surge is gone');

export const SURGE_LANES: Lane[] = surge.lanes;

/** The kind of the i-th ticket is `SURGE_KINDS[i % SURGE_KINDS.length]`. */
export const SURGE_KINDS: readonly string[] = [
  ...Array<string>(7).fill('pickup'),
  'returns',
  'returns',
  'consultation',
];
