/**
 * Key and index attribute values of every item, in one place, as templates/data.yaml's
 * access-pattern table lists them. Stores build keys only through these functions.
 */

/** Seconds that TTL keeps finished tickets and published outbox events before DynamoDB may delete them. */
export const RETENTION_SECONDS = 7 * 24 * 3600;

export const catalogKeys = {
  item: (eventId: string) => ({ pk: `ITEM#${eventId}`, sk: 'ITEM' }),
  listing: (venueId: string, listing: 'schedule' | 'products') => `${venueId}#${listing}`,
  kind: (venueId: string, kind: string) => `${venueId}#${kind}`,
};

export const slotKeys = {
  slot: (slotId: string) => ({ pk: `SLOT#${slotId}`, sk: 'SLOT' }),
};

export const reservationKeys = {
  reservation: (reservationId: string) => ({ pk: `RES#${reservationId}`, sk: 'RES' }),
  user: (userId: string) => `USER#${userId}`,
  target: (targetId: string) => `TARGET#${targetId}`,
  /** one active reservation per user and event or slot */
  guard: (userId: string, targetId: string) => ({ pk: `ACTIVE#${userId}#${targetId}`, sk: 'GUARD' }),
  /** the user's active-reservation counter at a venue */
  counter: (userId: string, venueId: string) => ({ pk: `USER#${userId}#${venueId}`, sk: 'COUNTERS' }),
  idempotency: (userId: string, key: string) => ({ pk: `IDEMP#${userId}#${key}`, sk: 'IDEMP' }),
  outbox: (eventId: string) => ({ pk: `OUTBOX#${eventId}`, sk: 'OUTBOX' }),
};

/** gsi3pk of outbox events not yet published (sparse index `pendingOutbox`). */
export const PENDING = 'PENDING';
/** outbox events the bus refused too often (index pendingOutbox, another partition) */
export const OUTBOX_DEAD = 'OUTBOX_DEAD';

/** The largest number a lane plan key holds: 10 digits (a queue holds far fewer tickets). */
const MAX_KEY_POSITION = 9_999_999_999;

/**
 * Whether a ticket's place fits a lane plan key, and so does the bound after it that
 * `lanePlacesBelow(position + 1)` reads up to.
 */
export function isLanePosition(position: number): boolean {
  return Number.isSafeInteger(position) && position >= 0 && position < MAX_KEY_POSITION;
}

/**
 * Positions zero-padded to 10 digits, so that they sort as numbers. Anything else would sort
 * wrongly (a negative or fractional position, or one of 11 digits): refused, so that a bad
 * plan fails at its write instead of misplacing tickets quietly.
 */
function positionKey(position: number): string {
  if (!(Number.isSafeInteger(position) && position >= 0 && position <= MAX_KEY_POSITION)) {
    throw new RangeError(
      `a lane plan position must be an integer from 0 to ${MAX_KEY_POSITION - 1}, got ${position}`,
    );
  }
  return String(position).padStart(10, '0');
}

export const queueKeys = {
  ticket: (ticketId: string) => ({ pk: `TICKET#${ticketId}`, sk: 'TICKET' }),
  venueStatus: (venueId: string, status: string) => `${venueId}#${status}`,
  /** a venue lane's plan (index byLanePlan, gsi3pk) */
  lanePlan: (venueId: string, laneId: string) => `${venueId}#${laneId}`,
  /** a planned ticket's place in its lane's plan (gsi3sk): by position, then ticket id */
  lanePlace: (position: number, ticketId: string) => `${positionKey(position)}#${ticketId}`,
  /** every place at a position below `position` sorts before this */
  lanePlacesBelow: (position: number) => positionKey(position),
  user: (userId: string) => `USER#${userId}`,
  /** one active (waiting or called) ticket per user and venue */
  guard: (venueId: string, userId: string) => ({ pk: `ACTIVE#${venueId}#${userId}`, sk: 'GUARD' }),
  /** the venue's waiting count */
  venueCounter: (venueId: string) => ({ pk: `VENUE#${venueId}`, sk: 'COUNTERS' }),
  /** a user's joins at a venue in one UTC clock hour (`hour` = YYYY-MM-DDTHH) */
  joins: (venueId: string, userId: string, hour: string) => ({
    pk: `JOINS#${venueId}#${userId}#${hour}`,
    sk: 'RATE',
  }),
  /** the worker tasks' one lease (ADR 0507) */
  workerLease: () => ({ pk: 'WORKER#LEASE', sk: 'LEASE' }),
  /** a venue's observed service times, kept for the next lease holder (ADR 0507) */
  serviceTimes: (venueId: string) => ({ pk: `STATS#${venueId}`, sk: 'SERVICE_TIMES' }),
};

export const preferenceKeys = {
  preferences: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PREFS' }),
  delivery: (eventId: string, channel: string) => ({ pk: `DELIVERY#${eventId}#${channel}`, sk: 'DELIVERY' }),
};
