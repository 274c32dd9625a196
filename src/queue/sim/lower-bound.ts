/**
 * A lower bound on the total weighted wait of a simulated day, as a sanity check (it is far
 * below what any non-clairvoyant policy reaches, and is not the yardstick).
 *
 * Relaxation: each service kind alone, with every lane that ever serves it (accessibility and
 * the other kinds ignored) — dropping the other kinds can only lower the cost. For one kind
 * on m identical lanes, the weighted completion time is at least the weighted mean busy time
 * of the preemptive WSPT schedule on one machine m times as fast, plus half of each service
 * (Goemans' mean-busy-time relaxation, extended to parallel machines by Schulz and Skutella);
 * wait = completion − arrival − service. True service times are used (hindsight).
 */
import type { SimTicket } from './arrivals.ts';
import { MINUTE_MS } from './arrivals.ts';
import type { Scenario } from './scenario.ts';

interface Piece {
  ticket: SimTicket;
  remaining: number;
  busy: number;
}

/** Minutes: Σ weight × wait lower bound ÷ Σ weight over the given tickets. */
export function weightedWaitLowerBound(scenario: Scenario, tickets: readonly SimTicket[]): number {
  let total = 0;
  let weights = 0;
  const kinds = new Set(tickets.map((t) => t.kind));
  for (const kind of kinds) {
    const lanes = scenario.lanes.filter((l) => l.serviceKinds.includes(kind)).length;
    const jobs = tickets.filter((t) => t.kind === kind);
    for (const t of jobs) weights += t.partySize;
    if (lanes === 0) continue;
    total += kindBound(jobs, lanes);
  }
  return weights === 0 ? 0 : Math.max(0, total / weights);
}

function kindBound(jobs: readonly SimTicket[], speed: number): number {
  // Event-driven preemptive WSPT on one fast machine; `busy` accumulates ∫ t dt over the job's
  // processing so that its mean busy time is busy / (service / speed).
  const order = [...jobs].sort((a, b) => a.arrivalMs - b.arrivalMs);
  const active: Piece[] = [];
  let next = 0;
  let now = order[0] === undefined ? 0 : order[0].arrivalMs / MINUTE_MS;
  let sum = 0;
  const ratio = (p: Piece) => p.ticket.partySize / p.ticket.serviceMinutes;
  while (next < order.length || active.length > 0) {
    while (next < order.length && order[next]!.arrivalMs / MINUTE_MS <= now) {
      const ticket = order[next++]!;
      active.push({ ticket, remaining: ticket.serviceMinutes / speed, busy: 0 });
    }
    if (active.length === 0) {
      now = order[next]!.arrivalMs / MINUTE_MS;
      continue;
    }
    let best = 0;
    for (let i = 1; i < active.length; i++) if (ratio(active[i]!) > ratio(active[best]!)) best = i;
    const piece = active[best]!;
    const nextArrival = next < order.length ? order[next]!.arrivalMs / MINUTE_MS : Number.POSITIVE_INFINITY;
    const run = Math.min(piece.remaining, nextArrival - now);
    piece.busy += run * (now + run / 2);
    piece.remaining -= run;
    now += run;
    if (piece.remaining <= 1e-12) {
      active.splice(best, 1);
      const t = piece.ticket;
      const meanBusy = piece.busy / (t.serviceMinutes / speed);
      const completion = meanBusy + t.serviceMinutes / 2;
      sum += t.partySize * (completion - t.arrivalMs / MINUTE_MS - t.serviceMinutes);
    }
  }
  return sum;
}
