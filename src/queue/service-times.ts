/**
 * Observed service times per service kind, fed with the minutes from `called` to `done`.
 * The rules' expectation is the prior, worth `priorWeight` observations; the estimate is the
 * running mean until `window` observations, then an exponentially weighted moving average
 * with weight 1/window (recent behaviour counts, but a wait of an hour sums hundreds of
 * services, so the estimate must not jump with each one). Bounded so that one odd service (a
 * forgotten ticket, a mis-tap) cannot wreck the plan: each sample is clamped to
 * [minFactor, maxFactor] × the rules' expectation, and so is the estimate.
 */
export interface EstimatorOptions {
  /** observations after which the mean becomes a moving average of that window */
  window: number;
  /** how many observations the rules' expectation is worth */
  priorWeight: number;
  minFactor: number;
  maxFactor: number;
}

const DEFAULTS: EstimatorOptions = { window: 100, priorWeight: 10, minFactor: 0.25, maxFactor: 4 };

export class ServiceTimeEstimator {
  private readonly means = new Map<string, { mean: number; count: number }>();
  private readonly options: EstimatorOptions;

  /** `expected`: the rules' service minutes per kind (the prior and the clamp's centre). */
  constructor(
    private expected: Readonly<Record<string, number>>,
    options: Partial<EstimatorOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    if (!(this.options.window >= 1)) throw new RangeError('window must be at least 1');
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
    const current = this.means.get(kind) ?? {
      mean: prior ?? sample,
      count: prior === undefined ? 0 : this.options.priorWeight,
    };
    const count = Math.min(current.count + 1, this.options.window);
    this.means.set(kind, { mean: current.mean + (sample - current.mean) / count, count });
  }

  /** The estimate for a kind: observed when there is one, else the rules' expectation. */
  estimate(kind: string): number | undefined {
    const seen = this.means.get(kind);
    if (seen === undefined) return this.expected[kind];
    const prior = this.expected[kind];
    return prior === undefined ? seen.mean : this.clamp(seen.mean, prior);
  }

  /** Observed means per kind (the planner's `observedServiceMinutes`). */
  snapshot(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const kind of this.means.keys()) result[kind] = this.estimate(kind)!;
    return result;
  }

  private clamp(value: number, prior: number): number {
    return Math.min(prior * this.options.maxFactor, Math.max(prior * this.options.minFactor, value));
  }
}
