/**
 * Live position and ETA of waiting tickets. The worker's plan (laneId + position) is the truth
 * while it exists; positions are renumbered live so a ticket moves up as soon as the one ahead
 * is called. Tickets the worker has not planned yet get a FIFO estimate over the lanes that
 * could serve them. A ticket that no open lane serves (its lanes closed) gets its place among
 * the tickets waiting for the same lanes to open, and no ETA: nobody can say when that is.
 */

import type { StoredTicket } from '../domain/ports.ts';
import type { Lane, VenueRules } from '../domain/rules.ts';
import { eligible } from '../queue/jobs.ts';

export interface LivePosition {
  position: number;
  etaAt?: string;
  laneId?: string;
}

type Ticket = Pick<
  StoredTicket,
  'ticketId' | 'status' | 'serviceKind' | 'accessibility' | 'laneId' | 'position' | 'etaAt' | 'joinedAt'
>;

/** Lanes that may serve a ticket: open, serving its kind, accessible when it asks for that. */
export function eligibleLanes(
  venue: VenueRules,
  ticket: Pick<Ticket, 'serviceKind' | 'accessibility'>,
): Lane[] {
  return venue.lanes.filter((l) => l.open && eligible(l, ticket.serviceKind, ticket.accessibility));
}

/**
 * The order of a lane's plan: by position, then by ticket id (a plan half written has ties),
 * the order of the lane plan index, so that its first few are the plan's first few.
 */
export function byPlan(
  a: Pick<Ticket, 'position' | 'ticketId'>,
  b: Pick<Ticket, 'position' | 'ticketId'>,
): number {
  const pa = a.position ?? Number.MAX_SAFE_INTEGER;
  const pb = b.position ?? Number.MAX_SAFE_INTEGER;
  return pa - pb || (a.ticketId < b.ticketId ? -1 : a.ticketId > b.ticketId ? 1 : 0);
}

/** Positions of every waiting ticket of a venue, by ticket id. */
export function livePositions(tickets: Ticket[], venue: VenueRules, now: Date): Map<string, LivePosition> {
  const result = new Map<string, LivePosition>();
  const laneIdsOf = laneSets(venue);
  const waiting = tickets.filter((t) => t.status === 'waiting' && !stranded(laneIdsOf(t)));
  const minutesOf = (t: Pick<Ticket, 'serviceKind'>) => venue.queue.serviceMinutes[t.serviceKind] ?? 5;
  const lanes = new Map<string, Ticket[]>();
  for (const t of waiting) {
    if (t.laneId === undefined || t.position === undefined) continue;
    const planned = lanes.get(t.laneId);
    if (planned === undefined) lanes.set(t.laneId, [t]);
    else planned.push(t);
  }
  for (const [laneId, planned] of lanes) {
    let minutes = 0;
    planned.sort(byPlan).forEach((t, i) => {
      const estimate = new Date(now.getTime() + minutes * 60_000).toISOString();
      result.set(t.ticketId, { position: i + 1, etaAt: t.etaAt ?? estimate, laneId });
      minutes += minutesOf(t);
    });
  }
  fifoEstimates(waiting, laneIdsOf, now, minutesOf, result);
  const places = new Map<string, number>();
  const byAge = tickets.filter((t) => t.status === 'waiting' && stranded(laneIdsOf(t))).sort(byJoined);
  for (const t of byAge) {
    const key = `${t.serviceKind}|${t.accessibility}`;
    const position = (places.get(key) ?? 0) + 1;
    places.set(key, position);
    result.set(t.ticketId, { position });
  }
  return result;
}

/**
 * Unplanned tickets: a FIFO estimate over the lanes that could serve them. The tickets ahead
 * are the earlier ones (planned or not) that could go to one of the same lanes. Tickets fall
 * into few lane sets (kind × accessibility), so running counts per set replace a scan of
 * everyone ahead: O(tickets × sets) instead of O(tickets²), which matters while a surge's
 * thousands wait for the worker's first plan.
 */
function fifoEstimates(
  waiting: readonly Ticket[],
  laneIdsOf: (t: Ticket) => readonly string[],
  now: Date,
  minutesOf: (t: Ticket) => number,
  result: Map<string, LivePosition>,
): void {
  interface LaneSet {
    laneIds: readonly string[];
    count: number;
    minutes: number;
    /** the sets sharing a lane with this one, itself included */
    meets: LaneSet[];
  }
  const sets = new Map<readonly string[], LaneSet>();
  const setOf = (t: Ticket): LaneSet => {
    const laneIds = laneIdsOf(t);
    const known = sets.get(laneIds);
    if (known) return known;
    const set: LaneSet = { laneIds, count: 0, minutes: 0, meets: [] };
    sets.set(laneIds, set);
    for (const other of sets.values()) {
      if (!other.laneIds.some((id) => laneIds.includes(id))) continue;
      set.meets.push(other);
      if (other !== set) other.meets.push(set);
    }
    return set;
  };
  for (const t of [...waiting].sort(byJoined)) {
    const set = setOf(t);
    if (!result.has(t.ticketId)) {
      let ahead = 0;
      let minutes = 0;
      for (const other of set.meets) {
        ahead += other.count;
        minutes += other.minutes;
      }
      result.set(t.ticketId, {
        position: ahead + 1,
        etaAt: new Date(now.getTime() + (minutes / Math.max(1, set.laneIds.length)) * 60_000).toISOString(),
      });
    }
    set.count += 1;
    set.minutes += minutesOf(t);
  }
}

/**
 * The ids of the open lanes that may serve a ticket, worked out once per kind × accessibility;
 * equal lane sets come back as the same array, so that it can key them.
 */
function laneSets(venue: VenueRules): (t: Ticket) => readonly string[] {
  const byClass = new Map<string, readonly string[]>();
  const byIds = new Map<string, readonly string[]>();
  return (t) => {
    const cls = `${t.serviceKind}|${t.accessibility}`;
    let laneIds = byClass.get(cls);
    if (laneIds === undefined) {
      const ids = eligibleLanes(venue, t).map((l) => l.laneId);
      const key = ids.join('\u0000');
      laneIds = byIds.get(key) ?? ids;
      byIds.set(key, laneIds);
      byClass.set(cls, laneIds);
    }
    return laneIds;
  };
}

/** Oldest first; the id breaks a tie, so that the numbering never depends on the order read. */
function byJoined(
  a: Pick<Ticket, 'joinedAt' | 'ticketId'>,
  b: Pick<Ticket, 'joinedAt' | 'ticketId'>,
): number {
  if (a.joinedAt !== b.joinedAt) return a.joinedAt < b.joinedAt ? -1 : 1;
  return a.ticketId < b.ticketId ? -1 : a.ticketId > b.ticketId ? 1 : 0;
}

/** No open lane serves the ticket: it waits for one to open, whatever plan it had before. */
function stranded(laneIds: readonly string[]): boolean {
  return laneIds.length === 0;
}
