/** Builders for planner tests. */
import type { StoredTicket } from '../../src/domain/ports.ts';
import type { Lane, QueueRules } from '../../src/domain/rules.ts';

export const NOW = new Date('2026-12-05T15:00:00.000Z');

export function minutesAgo(minutes: number): string {
  return new Date(NOW.getTime() - minutes * 60_000).toISOString();
}

/** Minutes from NOW to a time (e.g. an ETA); negative for the past. */
export function minutesFromNow(iso: string): number {
  return (Date.parse(iso) - NOW.getTime()) / 60_000;
}

export function rules(overrides: Partial<QueueRules> = {}): QueueRules {
  return {
    maxLength: 500,
    noShowGraceMinutes: 5,
    serviceMinutes: { pickup: 3, returns: 6, consultation: 15 },
    ...overrides,
  };
}

export function lane(laneId: string, serviceKinds: string[], extra: Partial<Lane> = {}): Lane {
  return { laneId, serviceKinds, accessible: false, open: true, ...extra };
}

let counter = 0;
export function ticket(overrides: Partial<StoredTicket> = {}): StoredTicket {
  counter++;
  return {
    ticketId: `t${counter}`,
    venueId: 'v1',
    userId: `u${counter}`,
    serviceKind: 'pickup',
    partySize: 1,
    accessibility: false,
    status: 'waiting',
    joinedAt: minutesAgo(1),
    version: 1,
    ...overrides,
  };
}

/** A ticket a lane is serving: called `minutesAgoCalled` minutes before NOW on `laneId`. */
export function serving(laneId: string, serviceKind: string, minutesAgoCalled = 0): StoredTicket {
  return ticket({
    status: 'called',
    calledAt: minutesAgo(minutesAgoCalled),
    calledLaneId: laneId,
    serviceKind,
  });
}
