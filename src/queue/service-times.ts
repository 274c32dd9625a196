/**
 * Observed service times per service kind, fed with the minutes from `called` to `done`, kept
 * at two speeds: one for the plans and a steadier one for the ETAs (ADR 0413).
 *
 * Each is a moving average with the rules' expectation as its prior, worth `priorWeight`
 * observations: the running mean until `window` observations, then an exponentially weighted
 * moving average with weight 1/window. Bounded so that one odd service (a forgotten ticket, a
 * mis-tap) cannot wreck the plan: each sample is clamped to [minFactor, maxFactor] × the
 * rules' expectation, and so is the estimate.
 *
 * - The plan (`snapshot`, `estimate`) is made again every few seconds and decides the next
 *   calls: it follows recent services (100, prior worth 10).
 * - An ETA (`steadySnapshot`) sums the services of an hour or more, and is off by the
 *   estimate's relative error times the wait. So it reads a steady average (300, prior worth
 *   50): over 300 services with a CV of 0.6 its standard error is about 2.5 % (4.3 % over 100).
 *   And the first services of a day to end are the short ones, since the long ones that began
 *   with them are still running: a prior worth 50 keeps the first few dozen from making the
 *   ETAs 15–20 % early just as a surge queues up.
 */
import type { ObservedMean, ObservedServiceTimes } from '../domain/ports.ts';

export interface EstimatorOptions {
  /** observations after which the plans' mean becomes a moving average of that window */
  window: number;
  /** how many observations the rules' expectation is worth to the plans' mean */
  priorWeight: number;
  /** the same two for the ETAs' steady mean */
  steadyWindow: number;
  steadyPriorWeight: number;
  minFactor: number;
  maxFactor: number;
}

const DEFAULTS: EstimatorOptions = {
  window: 100,
  priorWeight: 10,
  steadyWindow: 300,
  steadyPriorWeight: 50,
  minFactor: 0.25,
  maxFactor: 4,
};

type Mean = ObservedMean;

export class ServiceTimeEstimator {
  private readonly recent = new Map<string, Mean>();
  private readonly steady = new Map<string, Mean>();
  private readonly options: EstimatorOptions;

  /** `expected`: the rules' service minutes per kind (the prior and the clamp's centre). */
  constructor(
    private expected: Readonly<Record<string, number>>,
    options: Partial<EstimatorOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    if (!(this.options.window >= 1) || !(this.options.steadyWindow >= 1))
      throw new RangeError('window must be at least 1');
  }

  /** New rules: the prior changes, what was observed stays (clamped on next use). */
  updateExpected(expected: Readonly<Record<string, number>>): void {
    this.expected = expected;
  }

  /** Feeds one completed service. Ignores non-finite or non-positive samples. */
  observe(kind: string, minutes: number): void {
    if (!Number.isFinite(minutes) || minutes <= 0) return;
    const prior = this.expected[kind];
    const sample = prior === undefined ? minutes : this.clamp(minutes, prior);
    const { window, priorWeight, steadyWindow, steadyPriorWeight } = this.options;
    this.recent.set(kind, next(this.recent.get(kind), prior, priorWeight, window, sample));
    this.steady.set(kind, next(this.steady.get(kind), prior, steadyPriorWeight, steadyWindow, sample));
  }

  /**
   * What it has learned so far, per kind each mean with the number of services it stands for:
   * kept beyond this worker, the task taking the worker lease over `restore`s it (ADR 0507).
   */
  state(): ObservedServiceTimes {
    return { recent: Object.fromEntries(this.recent), steady: Object.fromEntries(this.steady) };
  }

  /**
   * Starts from what another worker learned: each mean that is a positive number, with its
   * count bounded by the window (so new services move it as they would have moved it there).
   * Anything malformed is skipped: the rules' expectation then stands for that kind.
   */
  restore(state: ObservedServiceTimes): void {
    const load = (into: Map<string, Mean>, from: unknown, window: number) => {
      if (typeof from !== 'object' || from === null) return;
      for (const [kind, value] of Object.entries(from as Record<string, unknown>)) {
        const { mean, count } = (value ?? {}) as Partial<Mean>;
        if (typeof mean !== 'number' || !Number.isFinite(mean) || mean <= 0) continue;
        if (typeof count !== 'number' || !Number.isFinite(count) || count < 1) continue;
        into.set(kind, { mean, count: Math.min(Math.floor(count), window) });
      }
    };
    load(this.recent, state?.recent, this.options.window);
    load(this.steady, state?.steady, this.options.steadyWindow);
  }

  /** The plans' estimate for a kind: observed when there is one, else the rules' expectation. */
  estimate(kind: string): number | undefined {
    return this.read(this.recent, kind);
  }

  /** The plans' observed means per kind (the planner's `observedServiceMinutes`). */
  snapshot(): Record<string, number> {
    return this.all(this.recent);
  }

  /** The ETAs' steady observed means per kind (the planner's `etaServiceMinutes`). */
  steadySnapshot(): Record<string, number> {
    return this.all(this.steady);
  }

  private all(means: Map<string, Mean>): Record<string, number> {
    const result: Record<string, number> = {};
    for (const kind of means.keys()) result[kind] = this.read(means, kind)!;
    return result;
  }

  private read(means: Map<string, Mean>, kind: string): number | undefined {
    const seen = means.get(kind);
    if (seen === undefined) return this.expected[kind];
    const prior = this.expected[kind];
    return prior === undefined ? seen.mean : this.clamp(seen.mean, prior);
  }

  private clamp(value: number, prior: number): number {
    return Math.min(prior * this.options.maxFactor, Math.max(prior * this.options.minFactor, value));
  }
}

/** One more sample in a mean that starts at the prior, worth `priorWeight` samples. */
function next(
  current: Mean | undefined,
  prior: number | undefined,
  priorWeight: number,
  window: number,
  sample: number,
): Mean {
  const start = current ?? { mean: prior ?? sample, count: prior === undefined ? 0 : priorWeight };
  const count = Math.min(start.count + 1, window);
  return { mean: start.mean + (sample - start.mean) / count, count };
}
