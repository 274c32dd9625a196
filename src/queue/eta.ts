/**
 * ETAs. The plan's call time assumes nobody else joins; but under the cμ order, shorter
 * services that join later overtake a longer one until its fairness deadline. With ρ the load
 * that those future arrivals put on the ticket's lanes, the wait stretches by 1 / (1 − ρ)
 * (the delay-cycle argument of priority queues), and never past the deadline, when the
 * planner calls the ticket anyway.
 */
import type { JobClass, OpenLane } from './jobs.ts';

const MINUTE = 60_000;
/**
 * The share of the delay-cycle stretch that materialises: aging and deadlines stop overtakers
 * well before a pure priority queue would. Calibrated on the simulator (docs/queue-results.md):
 * 1 over-predicts long services, 0 under-predicts in overload.
 */
const OVERTAKING_SHARE = 0.5;
/** above this overtaking load, the ticket is expected to be called at its deadline */
const SATURATED = 0.95;

/** Per class, the load (0–1+) of future arrivals of shorter kinds on its lanes. */
export function overtakingLoads(
  classes: readonly JobClass[],
  open: readonly OpenLane[],
  serviceMs: (kind: string) => number,
  arrivalsPerMinute: Readonly<Record<string, number>> | undefined,
): number[] {
  if (arrivalsPerMinute === undefined) return classes.map(() => 0);
  const kindLanes = new Map<string, Set<number>>();
  for (const kind of Object.keys(arrivalsPerMinute)) {
    const lanes = new Set<number>();
    open.forEach((o, i) => {
      if (o.lane.serviceKinds.includes(kind)) lanes.add(i);
    });
    kindLanes.set(kind, lanes);
  }
  return classes.map((c) => {
    if (c.lanes.length === 0) return 0;
    let load = 0;
    for (const [kind, lanes] of kindLanes) {
      const p = serviceMs(kind);
      if (p >= c.serviceMs || lanes.size === 0) continue;
      const shared = c.lanes.filter((l) => lanes.has(l)).length;
      // the kind's work, spread over its lanes; the part falling on this class's lanes
      const work = ((arrivalsPerMinute[kind] ?? 0) * p) / MINUTE;
      load += (work * shared) / lanes.size / c.lanes.length;
    }
    return load;
  });
}

/** The ETA shown for a ticket planned to be called at `startMs`. */
export function etaOf(startMs: number, deadlineMs: number, nowMs: number, load: number): number {
  const latest = Math.max(startMs, deadlineMs);
  if (load <= 0) return startMs;
  if (load >= SATURATED) return Number.isFinite(latest) ? latest : startMs;
  return Math.min(latest, startMs + (OVERTAKING_SHARE * ((startMs - nowMs) * load)) / (1 - load));
}
