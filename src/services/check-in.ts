/**
 * Check-in (route 10): inside the venue's window around the booked event (at its current
 * times) or slot, never for a cancelled event. A pickup check-in also opens a queue ticket
 * whose appointment is the slot, in the same transaction, when the queue is on and a lane
 * serving pickups is open (otherwise the order is handed over without a ticket).
 */
import { InvalidState, NotFound } from '../domain/errors.ts';
import { PICKUP_SERVICE_KIND, type QueueTicket, type Reservation, type VenueEvent } from '../domain/model.ts';
import type { JoinCommand } from '../domain/ports.ts';
import type { Features, VenueRules } from '../domain/rules.ts';
import { type Actor, canSee, newId, publishStored, type ServiceDeps, venueRules } from './context.ts';

const MINUTE = 60_000;

/** Whether `now` lies in [startsAt − before, endsAt + after]. */
export function insideCheckInWindow(
  venue: VenueRules,
  r: Pick<Reservation, 'startsAt' | 'endsAt'>,
  now: Date,
): boolean {
  const opens = Date.parse(r.startsAt) - venue.checkInWindowMinutes.before * MINUTE;
  const closes = Date.parse(r.endsAt) + venue.checkInWindowMinutes.after * MINUTE;
  return now.getTime() >= opens && now.getTime() <= closes;
}

function pickupQueueOpen(venue: VenueRules, features: Features): boolean {
  return features.queue && venue.lanes.some((l) => l.open && l.serviceKinds.includes(PICKUP_SERVICE_KIND));
}

export class CheckInService {
  constructor(private readonly deps: ServiceDeps) {}

  async checkIn(
    actor: Actor,
    reservationId: string,
  ): Promise<{ reservation: Reservation; ticket?: QueueTicket }> {
    const reservation = await this.deps.stores.reservations.get(reservationId);
    if (!reservation || !canSee(actor.caller, reservation.userId)) throw new NotFound('Reservation');
    if (reservation.status !== 'confirmed') {
      throw new InvalidState(`A ${reservation.status} reservation cannot be checked in.`);
    }
    const { venue, features } = await venueRules(this.deps, reservation.venueId);
    const now = this.deps.clock.now();
    if (!insideCheckInWindow(venue, await this.bookedTimes(reservation), now)) {
      throw new InvalidState(
        `Check-in opens ${venue.checkInWindowMinutes.before} minutes before the start and closes ${venue.checkInWindowMinutes.after} minutes after the end.`,
      );
    }
    const nowIso = now.toISOString();
    const ticket =
      reservation.type === 'pickup' && pickupQueueOpen(venue, features)
        ? await this.pickupTicket(reservation, venue, nowIso)
        : undefined;
    const event: VenueEvent = {
      detailType: 'CheckInCompleted',
      detail: {
        id: newId(this.deps),
        occurredAt: nowIso,
        venueId: reservation.venueId,
        userId: reservation.userId,
        correlationId: actor.correlationId,
        reservationId,
        reservationType: reservation.type,
        ...(ticket ? { ticketId: ticket.ticket.ticketId } : {}),
      },
    };
    const result = await this.deps.stores.reservations.checkIn({
      reservation,
      now: nowIso,
      event,
      ...(ticket ? { ticket } : {}),
    });
    await publishStored(this.deps, [event], actor.correlationId);
    return result;
  }

  /**
   * When the booked event or slot takes place now. An event may have been moved since it was
   * booked (route 17 changes its times), so its own times count, not the copy the reservation
   * took at booking; a cancelled event has nothing left to check in to. Slots never move.
   */
  private async bookedTimes(reservation: Reservation): Promise<Pick<Reservation, 'startsAt' | 'endsAt'>> {
    if (reservation.type !== 'event' || reservation.eventId === undefined) return reservation;
    const item = await this.deps.stores.catalog.get(reservation.eventId);
    if (item?.status === 'cancelled') throw new InvalidState('This event was cancelled.');
    return item?.startsAt !== undefined && item.endsAt !== undefined
      ? { startsAt: item.startsAt, endsAt: item.endsAt }
      : reservation;
  }

  private async pickupTicket(
    reservation: Reservation,
    venue: VenueRules,
    nowIso: string,
  ): Promise<JoinCommand> {
    const prefs = await this.deps.stores.preferences.get(reservation.userId);
    return {
      ticket: {
        ticketId: newId(this.deps),
        venueId: reservation.venueId,
        userId: reservation.userId,
        serviceKind: PICKUP_SERVICE_KIND,
        partySize: reservation.partySize,
        accessibility: prefs?.accessibility ?? false,
        status: 'waiting',
        reservationId: reservation.reservationId,
        ...(reservation.orderRef === undefined ? {} : { orderRef: reservation.orderRef }),
        appointment: { startsAt: reservation.startsAt, endsAt: reservation.endsAt },
        joinedAt: nowIso,
      },
      maxLength: venue.queue.maxLength,
      maxJoinsPerHour: venue.limits.queueJoinsPerHour,
    };
  }
}
