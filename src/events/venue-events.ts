/**
 * The three venue.hub events (DESIGN.md §4): typed constructors that the API uses to build
 * them (fresh uuid `id` for de-duplication, `occurredAt`, the request's correlation id), and
 * the check of a received detail against the JSON Schemas in `./schemas/`, which the
 * notification fan-out runs before acting on an event.
 */
import { randomUUID } from 'node:crypto';
import type { QueueTicket, Reservation, VenueEvent, VenueEventType } from '../domain/model.ts';
import { compileSchema, type JsonSchema, type SchemaError, type Validate } from './schema-validator.ts';
import bookingConfirmedSchema from './schemas/booking-confirmed.schema.json' with { type: 'json' };
import checkInCompletedSchema from './schemas/check-in-completed.schema.json' with { type: 'json' };
import pickupCompletedSchema from './schemas/pickup-completed.schema.json' with { type: 'json' };

/** The JSON Schema of each detail type. */
export const EVENT_SCHEMAS: Record<VenueEventType, JsonSchema> = {
  BookingConfirmed: bookingConfirmedSchema,
  CheckInCompleted: checkInCompletedSchema,
  PickupCompleted: pickupCompletedSchema,
};

export const VENUE_EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as VenueEventType[];

/** What every event carries beside its own facts. */
export interface EventContext {
  /** the request's correlation id, carried on to the notifications */
  correlationId: string;
  /** ISO time of the write that produced the event */
  occurredAt: string;
}

function envelope(
  detailType: VenueEventType,
  owner: { venueId: string; userId: string },
  context: EventContext,
  facts: Record<string, unknown>,
): VenueEvent {
  return {
    detailType,
    detail: {
      id: randomUUID(),
      occurredAt: context.occurredAt,
      venueId: owner.venueId,
      userId: owner.userId,
      correlationId: context.correlationId,
      ...facts,
    },
  };
}

/**
 * BookingConfirmed for a new reservation. `title` is the event's title; for a pickup it
 * defaults to "Pickup {orderRef}".
 */
export function bookingConfirmed(
  reservation: Reservation,
  context: EventContext & { title?: string },
): VenueEvent {
  const pickup = reservation.type === 'pickup';
  const title = context.title ?? (pickup ? `Pickup ${reservation.orderRef ?? ''}`.trim() : undefined);
  if (!title) throw new Error('bookingConfirmed needs the event title');
  return envelope('BookingConfirmed', reservation, context, {
    reservationId: reservation.reservationId,
    reservationType: reservation.type,
    ...(pickup ? { slotId: reservation.slotId } : { eventId: reservation.eventId }),
    ...(reservation.orderRef ? { orderRef: reservation.orderRef } : {}),
    title,
    startsAt: reservation.startsAt,
    endsAt: reservation.endsAt,
    partySize: reservation.partySize,
  });
}

/** CheckInCompleted for a reservation; `ticketId` when the check-in opened a queue ticket. */
export function checkInCompleted(
  reservation: Reservation,
  context: EventContext,
  ticketId?: string,
): VenueEvent {
  return envelope('CheckInCompleted', reservation, context, {
    reservationId: reservation.reservationId,
    reservationType: reservation.type,
    ...(ticketId ? { ticketId } : {}),
  });
}

/** PickupCompleted for a served pickup ticket and the reservation it completed. */
export function pickupCompleted(
  ticket: Pick<QueueTicket, 'ticketId' | 'venueId' | 'userId'>,
  reservationId: string,
  context: EventContext,
): VenueEvent {
  return envelope('PickupCompleted', ticket, context, { reservationId, ticketId: ticket.ticketId });
}

const validators = new Map<string, Validate>(
  Object.entries(EVENT_SCHEMAS).map(([type, schema]) => [type, compileSchema(schema)]),
);

/** Schema errors of a received event (empty when valid); an unknown detail type is an error. */
export function venueEventErrors(detailType: string, detail: unknown): SchemaError[] {
  const validate = validators.get(detailType);
  if (!validate) return [{ path: '', message: `unknown detail type "${detailType}"` }];
  return validate(detail);
}
