/**
 * Recent walk-in rates per service kind: joins counted over a sliding window. The planner uses
 * them to forecast who joins later (src/queue/forecast.ts): shorter services that join later
 * overtake a longer one until its fairness deadline, and a ticket's ETA should say so.
 * Appointment check-ins are not walk-ins (their slot decides when they are called) and are
 * not counted; accessible walk-ins are also counted apart, as only accessible lanes serve them.
 */
import type { StoredTicket } from '../domain/ports.ts';

const MINUTE = 60_000;

interface Join {
  at: number;
  kind: string;
  accessible: boolean;
  ticketId: string;
}

export class ArrivalRateEstimator {
  private readonly seen = new Set<string>();
  private joins: Join[] = [];
  /** joins before this have left the window: the worker lists a waiting ticket every cycle */
  private forgottenBefore = Number.NEGATIVE_INFINITY;

  /**
   * A window of an hour: rates counted over 30 minutes were noisier (about 35 joins at 70 an
   * hour), and the ETAs of 5 of the 6 built-in days came out a little worse with them, none
   * better (ADR 0412). Early in the day the window is the time since opening (`perMinute`).
   */
  constructor(private readonly windowMinutes = 60) {}

  /** Notes a ticket's join once (later calls with the same id are ignored). */
  observe(
    ticketId: string,
    kind: string,
    joinedMs: number,
    flags: { accessible?: boolean; appointment?: boolean } = {},
  ): void {
    if (flags.appointment === true || joinedMs < this.forgottenBefore || this.seen.has(ticketId)) return;
    this.seen.add(ticketId);
    this.joins.push({ at: joinedMs, kind, accessible: flags.accessible === true, ticketId });
  }

  /** Notes a stored ticket's join: the worker lists its venue's tickets every cycle. */
  observeTicket(
    t: Pick<StoredTicket, 'ticketId' | 'serviceKind' | 'joinedAt' | 'accessibility' | 'appointment'>,
  ): void {
    this.observe(t.ticketId, t.serviceKind, Date.parse(t.joinedAt), {
      accessible: t.accessibility,
      appointment: t.appointment !== undefined,
    });
  }

  /**
   * Walk-ins per minute per kind over the window ending at `nowMs`. `seenSinceMs`: from when
   * every join was seen (the venue opened, the worker started); a window that reaches back
   * further counts over the time seen only. Ten minutes after opening, ten minutes of joins
   * are not a third of the rate (at least a minute counts, so that one join is not a flood).
   */
  perMinute(nowMs: number, seenSinceMs = Number.NEGATIVE_INFINITY): Record<string, number> {
    return this.rates(nowMs, seenSinceMs, () => true);
  }

  /** The accessible part of `perMinute`. */
  accessiblePerMinute(nowMs: number, seenSinceMs = Number.NEGATIVE_INFINITY): Record<string, number> {
    return this.rates(nowMs, seenSinceMs, (j) => j.accessible);
  }

  private rates(
    nowMs: number,
    seenSinceMs: number,
    counted: (join: Join) => boolean,
  ): Record<string, number> {
    const from = nowMs - this.windowMinutes * MINUTE;
    // Joins arrive in the order they are seen, not by time: drop every one that left.
    if (from > this.forgottenBefore) {
      for (const j of this.joins) if (j.at < from) this.seen.delete(j.ticketId);
      this.joins = this.joins.filter((j) => j.at >= from);
      this.forgottenBefore = from;
    }
    const since = Math.min(nowMs - MINUTE, Math.max(from, seenSinceMs));
    const minutes = (nowMs - since) / MINUTE;
    const counts: Record<string, number> = {};
    for (const j of this.joins) if (j.at >= since && counted(j)) counts[j.kind] = (counts[j.kind] ?? 0) + 1;
    for (const kind of Object.keys(counts)) counts[kind] = counts[kind]! / minutes;
    return counts;
  }
}
