/**
 * Reservation items and the transaction actions that several writes share (cancel, check-in,
 * and the queue's completion of a served pickup): status moves, and releasing what an active
 * reservation holds (the per-item guard, the user's counter, and on cancel the seats).
 */
import type { TableNames } from '../../config/tables.ts';
import { InvalidState, NotFound } from '../../domain/errors.ts';
import { RESERVATION_FIELDS, type Reservation, type ReservationStatus } from '../../domain/model.ts';
import { pick } from './db.ts';
import { catalogKeys, reservationKeys, slotKeys } from './keys.ts';
import type { TxAction } from './transactions.ts';

const FIELDS = RESERVATION_FIELDS;

export function toReservation(stored: Record<string, unknown>): Reservation {
  return pick<Reservation>(stored, FIELDS);
}

/** The stored reservation item: domain fields, index keys and version. */
export function reservationItem(reservation: Reservation): Record<string, unknown> {
  const order = `${reservation.createdAt}#${reservation.reservationId}`;
  return {
    ...reservationKeys.reservation(reservation.reservationId),
    ...pick<Reservation>(reservation as unknown as Record<string, unknown>, FIELDS),
    gsi1pk: reservationKeys.user(reservation.userId),
    gsi1sk: order,
    gsi2pk: reservationKeys.target(targetId(reservation)),
    gsi2sk: order,
    version: 1,
  };
}

export function targetId(reservation: Reservation): string {
  const id = reservation.type === 'event' ? reservation.eventId : reservation.slotId;
  if (!id)
    throw new InvalidState(
      `A ${reservation.type} reservation needs its ${reservation.type === 'event' ? 'eventId' : 'slotId'}.`,
    );
  return id;
}

/** Where the seats of a reservation are counted: the event's or the slot's item. */
export function seatCounter(
  tables: TableNames,
  reservation: Reservation,
): {
  table: string;
  key: { pk: string; sk: string };
  label: string;
} {
  return reservation.type === 'event'
    ? { table: tables.events, key: catalogKeys.item(targetId(reservation)), label: 'Event' }
    : { table: tables.pickupSlots, key: slotKeys.slot(targetId(reservation)), label: 'Pickup slot' };
}

/** `from → to` on the reservation item, only if it is still `from` (exactly once under races). */
export function moveReservation(
  tables: TableNames,
  reservation: Reservation,
  from: ReservationStatus,
  to: ReservationStatus,
  at: string,
): TxAction {
  return {
    item: {
      Update: {
        TableName: tables.reservations,
        Key: reservationKeys.reservation(reservation.reservationId),
        UpdateExpression: 'SET #status = :to, #updatedAt = :at, #version = #version + :one',
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt', '#version': 'version' },
        ExpressionAttributeValues: { ':to': to, ':from': from, ':at': at, ':one': 1 },
      },
    },
    onConditionFailed: (old) =>
      old
        ? new InvalidState(`The reservation is ${String(old.status)}, not ${from}.`)
        : new NotFound('Reservation'),
  };
}

/*
 * What a reservation holds, and when it lets go (each release rides in the transaction of a
 * status move, which is what makes it happen exactly once):
 *
 *   seats            booked on confirm          returned on cancel
 *   user's count     counted on confirm         released on cancel and on check-in
 *   per-item guard   taken on confirm           released on cancel and on completion
 *
 * The count limits reservations still to be used: a checked-in reservation is being used, and
 * an event's check-in is its last move, so counting it would block the user for good.
 */

/** Deletes the one-active-reservation-per-item guard. */
export function releaseGuard(tables: TableNames, reservation: Reservation): TxAction {
  return {
    item: {
      Delete: {
        TableName: tables.reservations,
        Key: reservationKeys.guard(reservation.userId, targetId(reservation)),
      },
    },
  };
}

/** Gives the user's place in their active-reservation count back. */
export function releaseCount(tables: TableNames, reservation: Reservation): TxAction {
  return {
    item: {
      Update: {
        TableName: tables.reservations,
        Key: reservationKeys.counter(reservation.userId, reservation.venueId),
        UpdateExpression: 'SET #active = if_not_exists(#active, :one) - :one',
        ExpressionAttributeNames: { '#active': 'active' },
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
  };
}

/*
 * A pickup slot also counts its reservations still to check in (`awaiting`: +1 at booking, −1
 * at cancel or check-in, in the same transactions), which the queue worker reads to foresee
 * appointment check-ins. Slots written before the counter existed lack it: `if_not_exists`
 * counts their bookings from zero, and readers clamp at zero.
 */
export const AWAITING_PLUS_ONE = '#awaiting = if_not_exists(#awaiting, :zero) + :one';
const AWAITING_LESS_ONE = '#awaiting = if_not_exists(#awaiting, :one) - :one';

/** A pickup check-in: one reservation fewer awaited by the slot. */
export function slotCheckedIn(tables: TableNames, reservation: Reservation): TxAction {
  return {
    item: {
      Update: {
        TableName: tables.pickupSlots,
        Key: slotKeys.slot(targetId(reservation)),
        UpdateExpression: `SET ${AWAITING_LESS_ONE}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#awaiting': 'awaiting' },
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
    onConditionFailed: () => new NotFound('Pickup slot'),
  };
}

/** Gives the party's seats back to the event or slot. */
export function returnSeats(tables: TableNames, reservation: Reservation): TxAction {
  const counter = seatCounter(tables, reservation);
  const pickup = reservation.type === 'pickup';
  return {
    item: {
      Update: {
        TableName: counter.table,
        Key: counter.key,
        UpdateExpression: `SET #booked = #booked - :n${pickup ? `, ${AWAITING_LESS_ONE}` : ''}`,
        ConditionExpression: 'attribute_exists(pk) AND #booked >= :n',
        ExpressionAttributeNames: {
          '#booked': 'booked',
          ...(pickup ? { '#awaiting': 'awaiting' } : {}),
        },
        ExpressionAttributeValues: {
          ':n': reservation.partySize,
          ...(pickup ? { ':one': 1 } : {}),
        },
      },
    },
    onConditionFailed: (old) =>
      old ? new InvalidState('The seat count does not match this reservation.') : new NotFound(counter.label),
  };
}
