/**
 * Bookings (routes 6, 7, 8, 9). Capacity, the one-active-reservation guard, the per-user cap
 * and the idempotency record are all enforced by the store's one transaction; this service
 * decides what to ask for and turns a lost idempotency race into the replay or a mismatch.
 *
 *   request A (key K) ──► book(claim K) ──► wins: 201, event published
 *   request B (key K) ──► book(claim K) ──► IdempotencyKeyTaken ──► read record K
 *                                             same hash → A's reservation, 200
 *                                             other hash → 409 IDEMPOTENCY_MISMATCH
 */
import { createHash } from 'node:crypto';
import {
  IdempotencyMismatch,
  NotBookable,
  NotFound,
  ServiceUnavailable,
  ValidationFailed,
} from '../domain/errors.ts';
import type { Page, PageRequest, Reservation, VenueEvent } from '../domain/model.ts';
import { IdempotencyKeyTaken } from '../domain/ports.ts';
import type { VenueRules } from '../domain/rules.ts';
import {
  type Actor,
  canSee,
  newId,
  publishStored,
  requireFeature,
  type ServiceDeps,
  venueRules,
} from './context.ts';

/** How long a key is remembered: a client's retries come within minutes, not days. */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface BookingResult {
  reservation: Reservation;
  /** true when an earlier request with the same Idempotency-Key made this reservation */
  replayed: boolean;
}

interface Target {
  type: 'event' | 'pickup';
  id: string;
  venueId: string;
  title: string;
  startsAt: string;
  endsAt: string;
}

/** Stable JSON (sorted keys), so the hash does not depend on the order a client sent fields in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The idempotency hash: route, target and body together. */
function requestHash(route: string, targetId: string, body: unknown): string {
  return createHash('sha256')
    .update(`${route}\n${targetId}\n${canonical(body)}`)
    .digest('hex');
}

/** A request's Idempotency-Key and the hash of what it asked for. */
interface Idempotency {
  key: string;
  requestHash: string;
}

function idempotency(
  key: string | undefined,
  route: string,
  targetId: string,
  body: unknown,
): Idempotency | undefined {
  return key === undefined ? undefined : { key, requestHash: requestHash(route, targetId, body) };
}

export class BookingService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Route 6: book seats at an event or program. */
  async bookEvent(
    actor: Actor,
    eventId: string,
    body: { partySize: number },
    key?: string,
  ): Promise<BookingResult> {
    const idem = idempotency(key, 'POST /events/{eventId}/reservations', eventId, body);
    const replay = await this.replay(actor, idem);
    if (replay) return replay;
    const item = await this.deps.stores.catalog.get(eventId);
    // drafts answer NOT_BOOKABLE like cancelled and past items (DESIGN.md §3 booking rules)
    if (!item) throw new NotFound('Event');
    if ((item.kind !== 'event' && item.kind !== 'program') || !item.startsAt || !item.endsAt) {
      throw new NotBookable('Only events and programs take reservations.');
    }
    const target: Target = {
      type: 'event',
      id: eventId,
      venueId: item.venueId,
      title: item.title,
      startsAt: item.startsAt,
      endsAt: item.endsAt,
    };
    return this.book(actor, target, body.partySize, undefined, idem);
  }

  /** Route 9: book a pickup slot for an order. */
  async bookPickup(
    actor: Actor,
    slotId: string,
    body: { orderRef: string; partySize: number },
    key?: string,
  ): Promise<BookingResult> {
    await requireFeature(this.deps, 'pickup');
    const idem = idempotency(key, 'POST /pickup-slots/{slotId}/bookings', slotId, body);
    const replay = await this.replay(actor, idem);
    if (replay) return replay;
    const slot = await this.deps.stores.slots.get(slotId);
    if (!slot) throw new NotFound('Pickup slot');
    const target: Target = {
      type: 'pickup',
      id: slotId,
      venueId: slot.venueId,
      title: `Pickup ${body.orderRef}`,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
    };
    return this.book(actor, target, body.partySize, body.orderRef, idem);
  }

  /** An earlier request with this key: its reservation (same request) or a mismatch. */
  private async replay(actor: Actor, idem: Idempotency | undefined): Promise<BookingResult | undefined> {
    if (idem === undefined) return undefined;
    const now = this.deps.clock.now().toISOString();
    const record = await this.deps.stores.reservations.findIdempotency(actor.caller.userId, idem.key, now);
    if (!record) return undefined;
    if (record.requestHash !== idem.requestHash) throw new IdempotencyMismatch();
    const reservation = await this.deps.stores.reservations.get(record.reservationId);
    if (!reservation) throw new NotFound('Reservation');
    return { reservation, replayed: true };
  }

  private async book(
    actor: Actor,
    target: Target,
    partySize: number,
    orderRef: string | undefined,
    idem: Idempotency | undefined,
  ): Promise<BookingResult> {
    const { venue } = await venueRules(this.deps, target.venueId);
    checkParty(venue, partySize);
    const now = this.deps.clock.now();
    const nowIso = now.toISOString();
    if (target.endsAt <= nowIso) throw new NotBookable('This item has already ended.');
    const reservation: Reservation = {
      reservationId: newId(this.deps),
      userId: actor.caller.userId,
      venueId: target.venueId,
      type: target.type,
      ...(target.type === 'event' ? { eventId: target.id } : { slotId: target.id }),
      partySize,
      status: 'confirmed',
      ...(orderRef !== undefined ? { orderRef } : {}),
      startsAt: target.startsAt,
      endsAt: target.endsAt,
      createdAt: nowIso,
      updatedAt: nowIso,
    };
    const event: VenueEvent = {
      detailType: 'BookingConfirmed',
      detail: {
        id: newId(this.deps),
        occurredAt: nowIso,
        venueId: target.venueId,
        userId: actor.caller.userId,
        correlationId: actor.correlationId,
        reservationId: reservation.reservationId,
        reservationType: target.type,
        ...(target.type === 'event' ? { eventId: target.id } : { slotId: target.id }),
        title: target.title,
        startsAt: target.startsAt,
        endsAt: target.endsAt,
        partySize,
      },
    };
    const claim = idem?.key && {
      userId: actor.caller.userId,
      key: idem.key,
      requestHash: idem.requestHash,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
    };
    try {
      const stored = await this.deps.stores.reservations.book({
        reservation,
        now: nowIso,
        maxActiveReservations: venue.limits.activeReservationsPerUser,
        event,
        ...(claim ? { idempotency: claim } : {}),
      });
      await publishStored(this.deps, [event], actor.correlationId);
      return { reservation: stored, replayed: false };
    } catch (error) {
      if (!(error instanceof IdempotencyKeyTaken)) throw error;
      const replay = await this.replay(actor, idem);
      // the winning record vanished (expired between the two reads): let the client retry
      if (!replay)
        throw new ServiceUnavailable('A request with this Idempotency-Key is settling; retry.', error);
      return replay;
    }
  }

  /**
   * Route 7: the caller's reservations, newest first. A reservation keeps the times of its event as they were at booking; an event moved
   * since (route 17) shows its current times, read for the whole page in one batch.
   */
  async listMine(actor: Actor, page: PageRequest): Promise<Page<Reservation>> {
    const found = await this.deps.stores.reservations.listByUser(actor.caller.userId, page);
    const eventIds = found.items.flatMap((r) => (r.type === 'event' && r.eventId ? [r.eventId] : []));
    if (eventIds.length === 0) return found;
    const events = new Map((await this.deps.stores.catalog.getMany(eventIds)).map((e) => [e.eventId, e]));
    const items = found.items.map((r) => {
      const event = r.eventId === undefined ? undefined : events.get(r.eventId);
      return event?.startsAt && event.endsAt ? { ...r, startsAt: event.startsAt, endsAt: event.endsAt } : r;
    });
    return { ...found, items };
  }

  /**
   * The reservations of a pickup slot, in booking order, for operators at the pickup desk: the
   * order references to hand over and who is still to check in (ADR 0416).
   */
  async listForSlot(slotId: string, page: PageRequest): Promise<Page<Reservation>> {
    if (!(await this.deps.stores.slots.get(slotId))) throw new NotFound('Pickup slot');
    return this.deps.stores.reservations.listByTarget(slotId, page);
  }

  /** Route 8: cancel (owner or operator); the store frees the seats exactly once. */
  async cancel(actor: Actor, reservationId: string): Promise<Reservation> {
    const reservation = await this.deps.stores.reservations.get(reservationId);
    if (!reservation || !canSee(actor.caller, reservation.userId)) throw new NotFound('Reservation');
    return this.deps.stores.reservations.cancel(reservation, this.deps.clock.now().toISOString());
  }
}

export function checkParty(venue: VenueRules, partySize: number): void {
  if (partySize > venue.maxPartySize) {
    throw ValidationFailed.at('partySize', `must be at most ${venue.maxPartySize} at this venue`);
  }
}
