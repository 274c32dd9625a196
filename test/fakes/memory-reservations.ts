/**
 * In-memory ReservationStore and OutboxStore. `book`, `cancel` and `checkIn` check every
 * condition first and then change everything at once, like the one TransactWriteItems each
 * stands for.
 */
import {
  AlreadyBooked,
  CapacityExceeded,
  InvalidState,
  NotBookable,
  NotFound,
  RateLimited,
} from '../../src/domain/errors.ts';
import type { Reservation } from '../../src/domain/model.ts';
import {
  type BookingCommand,
  IdempotencyKeyTaken,
  OUTBOX_MAX_ATTEMPTS,
  type OutboxStore,
  outboxRetryAt,
  type RefusedEvent,
  type ReservationStore,
} from '../../src/domain/ports.ts';
import { applyJoin, checkJoin } from './memory-queue.ts';
import { ACTIVE_RESERVATION, type MemoryState, type OutboxEntry } from './memory-state.ts';
import { byTimeThenId, copy, pageOf } from './paging.ts';

type Target = { booked?: number; capacity?: number; endsAt?: string; status?: string };

function targetOf(state: MemoryState, r: Reservation): Target | undefined {
  return r.type === 'event' ? state.catalog.get(r.eventId ?? '') : state.slots.get(r.slotId ?? '');
}

function targetId(r: Reservation): string {
  return (r.type === 'event' ? r.eventId : r.slotId) ?? '';
}

function checkBooking(state: MemoryState, cmd: BookingCommand): Target {
  const r = cmd.reservation;
  const claim = cmd.idempotency;
  if (claim) {
    const existing = state.idempotency.get(`${claim.userId}#${claim.key}`);
    if (existing && existing.expiresAt > cmd.now) throw new IdempotencyKeyTaken();
  }
  const target = targetOf(state, r);
  if (!target) throw new NotFound(r.type === 'event' ? 'Event' : 'Pickup slot');
  if ((target.status ?? 'published') !== 'published' || target.capacity === undefined)
    throw new NotBookable();
  if (target.endsAt === undefined || target.endsAt <= cmd.now) throw new NotBookable();
  const mine = [...state.reservations.values()].filter(
    (x) => x.userId === r.userId && ACTIVE_RESERVATION.has(x.status),
  );
  if (mine.some((x) => x.type === r.type && targetId(x) === targetId(r))) throw new AlreadyBooked();
  // as the store: the cap counts reservations still to be used (confirmed), the guard all active
  const toUse = mine.filter((x) => x.venueId === r.venueId && x.status === 'confirmed');
  if (toUse.length >= cmd.maxActiveReservations) {
    throw new RateLimited('You hold the maximum number of active reservations at this venue.');
  }
  if ((target.booked ?? 0) + r.partySize > target.capacity) throw new CapacityExceeded();
  return target;
}

export function memoryReservationStore(state: MemoryState): ReservationStore {
  return {
    async book(cmd) {
      const target = checkBooking(state, cmd);
      const r = copy(cmd.reservation);
      target.booked = (target.booked ?? 0) + r.partySize;
      state.reservations.set(r.reservationId, r);
      state.outbox.set(cmd.event.detail.id, { event: copy(cmd.event) });
      if (cmd.idempotency) {
        const { userId, key, requestHash, expiresAt } = cmd.idempotency;
        state.idempotency.set(`${userId}#${key}`, {
          userId,
          key,
          requestHash,
          expiresAt,
          reservationId: r.reservationId,
        });
      }
      return copy(r);
    },
    async get(reservationId) {
      const r = state.reservations.get(reservationId);
      return r && copy(r);
    },
    async listByUser(userId, page) {
      const all = [...state.reservations.values()]
        .filter((r) => r.userId === userId)
        .sort((a, b) => (a.createdAt > b.createdAt ? -1 : a.createdAt < b.createdAt ? 1 : 0));
      const result = pageOf(all, page);
      return { ...result, items: result.items.map(copy) };
    },
    async listByTarget(targetId, page) {
      const all = [...state.reservations.values()]
        .filter((r) => (r.type === 'event' ? r.eventId : r.slotId) === targetId)
        // as the index: by booking time, then id
        .sort(
          byTimeThenId(
            (r) => r.createdAt,
            (r) => r.reservationId,
          ),
        );
      const result = pageOf(all, page);
      return { ...result, items: result.items.map(copy) };
    },
    async listConfirmedFor(targetId) {
      return [...state.reservations.values()]
        .filter((r) => r.status === 'confirmed' && (r.type === 'event' ? r.eventId : r.slotId) === targetId)
        .map(copy);
    },
    async findIdempotency(userId, key, now) {
      const record = state.idempotency.get(`${userId}#${key}`);
      return record && record.expiresAt > now ? copy(record) : undefined;
    },
    async cancel(reservation, now) {
      const current = state.reservations.get(reservation.reservationId);
      if (!current) throw new NotFound('Reservation');
      if (current.status !== 'confirmed')
        throw new InvalidState('Only a confirmed reservation can be cancelled.');
      const target = targetOf(state, current);
      if (target) target.booked = Math.max(0, (target.booked ?? 0) - current.partySize);
      const next: Reservation = { ...current, status: 'cancelled', updatedAt: now };
      state.reservations.set(next.reservationId, next);
      return copy(next);
    },
    async checkIn(cmd) {
      const current = state.reservations.get(cmd.reservation.reservationId);
      if (!current) throw new NotFound('Reservation');
      if (current.status !== 'confirmed')
        throw new InvalidState('Only a confirmed reservation can be checked in.');
      if (cmd.ticket) checkJoin(state, cmd.ticket);
      const ticket = cmd.ticket ? applyJoin(state, cmd.ticket) : undefined;
      const next: Reservation = { ...current, status: 'checked_in', updatedAt: cmd.now };
      state.reservations.set(next.reservationId, next);
      state.outbox.set(cmd.event.detail.id, { event: copy(cmd.event) });
      return ticket ? { reservation: copy(next), ticket } : { reservation: copy(next) };
    },
  };
}

/** As the pending index orders them: by when each is due (its occurrence, or its retry). */
export function pendingEntries(
  entries: Iterable<OutboxEntry>,
  olderThan: string,
  limit: number,
): OutboxEntry[] {
  const due = (e: OutboxEntry) => e.dueAt ?? e.event.detail.occurredAt;
  return [...entries]
    .filter((e) => e.publishedAt === undefined && e.deadAt === undefined && due(e) < olderThan)
    .sort((a, b) => (due(a) < due(b) ? -1 : 1))
    .slice(0, limit);
}

/** As the store defers refused events: due later, dead-lettered after the last attempt. */
export function deferEntries(
  entries: Map<string, OutboxEntry>,
  refused: RefusedEvent[],
  now: string,
): string[] {
  const dead: string[] = [];
  for (const { id } of refused) {
    const entry = entries.get(id);
    if (!entry || entry.publishedAt !== undefined || entry.deadAt !== undefined) continue;
    entry.attempts = (entry.attempts ?? 0) + 1;
    if (entry.attempts >= OUTBOX_MAX_ATTEMPTS) {
      entry.deadAt = now;
      dead.push(id);
    } else entry.dueAt = outboxRetryAt(now, entry.attempts);
  }
  return dead;
}

export function memoryOutboxStore(state: MemoryState): OutboxStore {
  return {
    async listPending(olderThan, limit) {
      return pendingEntries(state.outbox.values(), olderThan, limit).map((e) => copy(e.event));
    },
    async deferRefused(refused, now) {
      return deferEntries(state.outbox, refused, now);
    },
    async markPublished(eventIds, now) {
      for (const id of eventIds) {
        const entry = state.outbox.get(id);
        if (entry) entry.publishedAt = now;
      }
    },
  };
}
