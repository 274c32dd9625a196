/**
 * The FIFO estimate of unplanned tickets as first written: for each ticket, a scan of every
 * earlier one that could go to one of its lanes. It is the specification `livePositions`
 * is checked against (test/services/queue-position.test.ts) and the baseline of
 * `npm run bench:positions`: quadratic, but plainly right.
 */
import type { StoredTicket } from '../../src/domain/ports.ts';
import type { VenueRules } from '../../src/domain/rules.ts';
import { eligibleLanes } from '../../src/services/queue-position.ts';

export function referenceFifoEstimates(
  tickets: readonly StoredTicket[],
  venue: VenueRules,
  now: Date,
): Map<string, { position: number; etaAt: string }> {
  const result = new Map<string, { position: number; etaAt: string }>();
  const minutesOf = (t: StoredTicket) => venue.queue.serviceMinutes[t.serviceKind] ?? 5;
  const fifo = tickets
    .filter((t) => t.status === 'waiting' && eligibleLanes(venue, t).length > 0)
    .sort((a, b) =>
      a.joinedAt !== b.joinedAt ? (a.joinedAt < b.joinedAt ? -1 : 1) : a.ticketId < b.ticketId ? -1 : 1,
    );
  const laneIds = fifo.map((t) => eligibleLanes(venue, t).map((l) => l.laneId));
  fifo.forEach((t, i) => {
    if (t.laneId !== undefined && t.position !== undefined) return;
    const mine = laneIds[i]!;
    const ahead = fifo.slice(0, i).filter((_, j) => laneIds[j]!.some((id) => mine.includes(id)));
    const minutes = ahead.reduce((sum, o) => sum + minutesOf(o), 0) / Math.max(1, mine.length);
    result.set(t.ticketId, {
      position: ahead.length + 1,
      etaAt: new Date(now.getTime() + minutes * 60_000).toISOString(),
    });
  });
  return result;
}
