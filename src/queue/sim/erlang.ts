/**
 * Erlang C: the M/M/c queue's probability of waiting and mean wait, the yardstick that
 * validates the simulator (its `fifo` policy on an M/M/c scenario must land within ±5%).
 */

/** Probability that an arrival waits, for `servers` lanes and offered load `a` = λ/μ erlangs (a < servers). */
export function erlangC(servers: number, a: number): number {
  if (!(a > 0 && a < servers)) throw new RangeError('offered load must be in (0, servers)');
  // Erlang B by its stable recurrence, then C from B.
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (a * b) / (k + a * b);
  const rho = a / servers;
  return b / (1 - rho * (1 - b));
}

/** Mean wait in queue (same unit as `meanService`) for M/M/c. */
export function erlangCMeanWait(servers: number, arrivalRate: number, meanService: number): number {
  const a = arrivalRate * meanService;
  return (erlangC(servers, a) * meanService) / (servers - a);
}
