/**
 * `npm run bench:positions`: what a shopper's GET of a ticket costs while thousands wait and
 * the worker has not planned them yet (the API's FIFO estimate, src/services/queue-position.ts),
 * against the quadratic scan it replaced (test/helpers/positions-reference.ts), run alternately
 * in this process on the same tickets: a venue of 40 lanes in three lane sets, as the surge.
 *
 *   npm run bench:positions [-- --rounds 7]
 */
import { performance } from 'node:perf_hooks';
import type { StoredTicket } from '../src/domain/ports.ts';
import { livePositions } from '../src/services/queue-position.ts';
import { demoVenue } from '../test/fakes/demo-rules.ts';
import { referenceFifoEstimates } from '../test/helpers/positions-reference.ts';
import { machine, median, roundsArg } from './bench-measures.ts';
import { SURGE_KINDS, SURGE_LANES } from './bench-venue.ts';

const ROUNDS = roundsArg(process.argv, 7);
const venue = demoVenue({
  lanes: SURGE_LANES,
});
const now = new Date('2026-12-01T15:00:00.000Z');

function tickets(n: number): StoredTicket[] {
  return Array.from({ length: n }, (_, i) => ({
    ticketId: `t${i}`,
    venueId: 'flagship-001',
    userId: `u${i}`,
    serviceKind: SURGE_KINDS[i % SURGE_KINDS.length]!,
    partySize: 1,
    accessibility: i % 17 === 0,
    status: 'waiting' as const,
    joinedAt: new Date(now.getTime() - (n - i) * 1000).toISOString(),
    version: 1,
  }));
}

const time = (run: () => void) => {
  const started = performance.now();
  run();
  return performance.now() - started;
};

console.log(
  `# Live positions of unplanned tickets\n\nMachine: ${machine()}; ${ROUNDS} alternated rounds, medians.\n`,
);
console.log('| tickets waiting | quadratic scan (ms) | livePositions (ms) | ratio |');
console.log('|---|---|---|---|');
for (const n of [500, 2000, 5000]) {
  const all = tickets(n);
  const base: number[] = [];
  const mine: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    base.push(time(() => referenceFifoEstimates(all, venue, now)));
    mine.push(time(() => livePositions(all, venue, now)));
  }
  const [b, m] = [median(base), median(mine)];
  console.log(`| ${n} | ${b.toFixed(1)} | ${m.toFixed(1)} | ${(m / b).toFixed(3)} |`);
}
