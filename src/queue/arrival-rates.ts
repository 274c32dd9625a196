/**
 * Recent arrival rates per service kind: joins counted over a sliding window. The planner uses
 * them to foresee overtaking: a ticket of a long service will see shorter services that join
 * later go first (until its fairness deadline), and its ETA should say so.
 */
const MINUTE = 60_000;

export class ArrivalRateEstimator {
  private readonly seen = new Set<string>();
  private joins: { at: number; kind: string; ticketId: string }[] = [];

  constructor(private readonly windowMinutes = 30) {}

  /** Notes a ticket's join once (later calls with the same id are ignored). */
  observe(ticketId: string, kind: string, joinedMs: number): void {
    if (this.seen.has(ticketId)) return;
    this.seen.add(ticketId);
    this.joins.push({ at: joinedMs, kind, ticketId });
  }

  /** Joins per minute per kind over the window ending at `nowMs`. */
  perMinute(nowMs: number): Record<string, number> {
    const from = nowMs - this.windowMinutes * MINUTE;
    if (this.joins.length > 0 && this.joins[0]!.at < from) {
      const kept = this.joins.filter((j) => j.at >= from);
      for (const j of this.joins) if (j.at < from) this.seen.delete(j.ticketId);
      this.joins = kept;
    }
    const counts: Record<string, number> = {};
    for (const j of this.joins) counts[j.kind] = (counts[j.kind] ?? 0) + 1;
    for (const kind of Object.keys(counts)) counts[kind] = counts[kind]! / this.windowMinutes;
    return counts;
  }
}
