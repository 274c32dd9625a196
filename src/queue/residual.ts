/**
 * How long a service that has run `elapsed` is still expected to take: the mean residual life
 * of a lognormal service time with mean `mean` and coefficient of variation `cv`. Service
 * times are skewed: a service past its mean is not about to end, and the longer it has run
 * the longer it tends to go on. E[X − e | X > e] = m·Φ(σ − z) / Φ(−z) − e, z = (ln e − μ) / σ.
 */

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf; |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export function lognormalResidual(mean: number, cv: number, elapsed: number): number {
  if (elapsed <= 0) return mean;
  if (cv <= 0) return Math.max(0, mean - elapsed);
  const sigma2 = Math.log(1 + cv * cv);
  const sigma = Math.sqrt(sigma2);
  const mu = Math.log(mean) - sigma2 / 2;
  const z = (Math.log(elapsed) - mu) / sigma;
  const survival = normalCdf(-z);
  // Far in the tail both Φ terms vanish; the residual then grows like e·σ²/ln(e) — use a
  // conservative share of the elapsed time instead of dividing tiny numbers.
  if (survival < 1e-9) return elapsed * 0.5;
  return Math.max(0, (mean * normalCdf(sigma - z)) / survival - elapsed);
}
