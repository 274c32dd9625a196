/**
 * Reservations (reservations table) and the writes that must land with them: the seat counter
 * of the event or slot, the user's guard and counter, the outbox event, the idempotency record
 * and, for a pickup's check-in, the queue join. Each write is ONE transaction (docs/data-model.md
 * explains each condition).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  AlreadyBooked,
  CapacityExceeded,
  InvalidState,
  NotBookable,
  NotFound,
  RateLimited,
} from '../../domain/errors.ts';
import type { Page, PageRequest, QueueTicket, Reservation } from '../../domain/model.ts';
import {
  type BookingCommand,
  type CheckInCommand,
  IdempotencyKeyTaken,
  type IdempotencyRecord,
  type ReservationStore,
} from '../../domain/ports.ts';
import { type Db, epochSeconds } from './db.ts';
import { reservationKeys } from './keys.ts';
import { outboxPut } from './outbox-store.ts';
import { queryAll, timeOrderedPage } from './pagination.ts';
import { joinActions } from './queue-items.ts';
import {
  AWAITING_PLUS_ONE,
  moveReservation,
  releaseCount,
  releaseGuard,
  reservationItem,
  returnSeats,
  seatCounter,
  slotCheckedIn,
  targetId,
  toReservation,
} from './reservation-items.ts';
import { type TxAction, transactWrite } from './transactions.ts';

/** A booking re-reads the capacity and tries again when an operator changed it mid-flight. */
const BOOK_ATTEMPTS = 4;

/** Thrown inside `book` when the pinned capacity moved: retry with the new one. */
class CapacityMoved extends Error {}

export class DynamoReservationStore implements ReservationStore {
  constructor(private readonly db: Db) {}

  private async read(
    table: string,
    key: { pk: string; sk: string },
  ): Promise<Record<string, unknown> | undefined> {
    const out = await this.db.run(() =>
      this.db.doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true })),
    );
    return out.Item;
  }

  /**
   * Condition expressions cannot add (`booked + :n <= capacity`), so the capacity is read first
   * and pinned: the counter's condition is `capacity = :capacity AND booked <= :capacity - n`.
   * If an operator changes the capacity in between, the pin fails and the booking is retried.
   */
  async book(cmd: BookingCommand): Promise<Reservation> {
    const { reservation } = cmd;
    const counter = seatCounter(this.db.tables, reservation);
    for (let attempt = 1; attempt <= BOOK_ATTEMPTS; attempt++) {
      const target = await this.read(counter.table, counter.key);
      if (!target) throw new NotFound(counter.label);
      // campaigns and products have no seats to book
      if (typeof target.capacity !== 'number') throw new NotBookable();
      const capacity = Number(target.capacity);
      const verdict = (item: Record<string, unknown> | undefined): Error => {
        if (!item) return new NotFound(counter.label);
        if (reservation.type === 'event' && item.status !== 'published') return new NotBookable();
        if (typeof item.endsAt !== 'string' || item.endsAt <= cmd.now) return new NotBookable();
        if (Number(item.capacity) !== capacity) return new CapacityMoved();
        return new CapacityExceeded();
      };
      // The read answers clear refusals without a write — but not when an Idempotency-Key is
      // claimed: a concurrent twin of this request may have taken the last seat, and then the
      // transaction must report the taken key (a replay), which it checks first.
      if (!cmd.idempotency) {
        const early = verdict(target);
        if (!(early instanceof CapacityMoved || early instanceof CapacityExceeded)) throw early;
        if (Number(target.booked ?? 0) + reservation.partySize > capacity) throw new CapacityExceeded();
      }
      try {
        await transactWrite(this.db, this.bookingActions(cmd, capacity, verdict));
        return reservation;
      } catch (error) {
        if (!(error instanceof CapacityMoved)) throw error;
      }
    }
    throw new InvalidState('The capacity kept changing; please retry.');
  }

  /** In the precedence of their errors: a replayed key wins over "already booked" and the rest. */
  private bookingActions(
    cmd: BookingCommand,
    capacity: number,
    verdict: (item: Record<string, unknown> | undefined) => Error,
  ): TxAction[] {
    const { reservation } = cmd;
    const tables = this.db.tables;
    const counter = seatCounter(tables, reservation);
    const nowEpoch = epochSeconds(cmd.now);
    const actions: TxAction[] = [];
    if (cmd.idempotency) {
      const claim = cmd.idempotency;
      actions.push({
        item: {
          Put: {
            TableName: tables.reservations,
            Item: {
              ...reservationKeys.idempotency(claim.userId, claim.key),
              userId: claim.userId,
              key: claim.key,
              requestHash: claim.requestHash,
              reservationId: reservation.reservationId,
              expiresAtIso: claim.expiresAt,
              expiresAt: epochSeconds(claim.expiresAt),
            },
            // an expired record is gone even before TTL deletes it
            ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt < :nowEpoch',
            ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
            ExpressionAttributeValues: { ':nowEpoch': nowEpoch },
          },
        },
        onConditionFailed: () => new IdempotencyKeyTaken(),
      });
    }
    const pickup = reservation.type === 'pickup';
    const published = pickup ? '' : '#status = :published AND ';
    actions.push(
      {
        item: {
          Update: {
            TableName: counter.table,
            Key: counter.key,
            UpdateExpression: `SET #booked = #booked + :n${pickup ? `, ${AWAITING_PLUS_ONE}` : ''}`,
            ConditionExpression: `attribute_exists(pk) AND ${published}#endsAt > :now AND #capacity = :capacity AND #booked <= :maxBooked`,
            ExpressionAttributeNames: {
              '#booked': 'booked',
              '#endsAt': 'endsAt',
              '#capacity': 'capacity',
              ...(pickup ? { '#awaiting': 'awaiting' } : { '#status': 'status' }),
            },
            ExpressionAttributeValues: {
              ':n': reservation.partySize,
              ':now': cmd.now,
              ':capacity': capacity,
              ':maxBooked': capacity - reservation.partySize,
              ...(pickup ? { ':zero': 0, ':one': 1 } : { ':published': 'published' }),
            },
          },
        },
        onConditionFailed: verdict,
      },
      {
        item: {
          Put: {
            TableName: tables.reservations,
            Item: {
              ...reservationKeys.guard(reservation.userId, targetId(reservation)),
              reservationId: reservation.reservationId,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        onConditionFailed: () => new AlreadyBooked(),
      },
      {
        item: {
          Update: {
            TableName: tables.reservations,
            Key: reservationKeys.counter(reservation.userId, reservation.venueId),
            UpdateExpression: 'SET #active = if_not_exists(#active, :zero) + :one',
            ConditionExpression: 'attribute_not_exists(#active) OR #active < :max',
            ExpressionAttributeNames: { '#active': 'active' },
            ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': cmd.maxActiveReservations },
          },
        },
        onConditionFailed: () =>
          new RateLimited(
            `At most ${cmd.maxActiveReservations} active reservations are allowed at this venue.`,
          ),
      },
      {
        item: {
          Put: {
            TableName: tables.reservations,
            Item: reservationItem(reservation),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        onConditionFailed: () => new InvalidState('A reservation with this id already exists.'),
      },
      outboxPut(tables, cmd.event),
    );
    return actions;
  }

  async get(reservationId: string): Promise<Reservation | undefined> {
    const item = await this.read(this.db.tables.reservations, reservationKeys.reservation(reservationId));
    return item && toReservation(item);
  }

  async listByUser(userId: string, page: PageRequest): Promise<Page<Reservation>> {
    return timeOrderedPage(
      this.db,
      {
        table: this.db.tables.reservations,
        index: 'byUser',
        keys: ['gsi1pk', 'gsi1sk'],
        partition: reservationKeys.user(userId),
        map: toReservation,
      },
      page,
    );
  }

  async listByTarget(targetId: string, page: PageRequest): Promise<Page<Reservation>> {
    return timeOrderedPage(
      this.db,
      {
        table: this.db.tables.reservations,
        index: 'byTarget',
        keys: ['gsi2pk', 'gsi2sk'],
        partition: reservationKeys.target(targetId),
        map: toReservation,
        oldestFirst: true,
      },
      page,
    );
  }

  async listConfirmedFor(targetId: string): Promise<Reservation[]> {
    const items = await queryAll(this.db, {
      TableName: this.db.tables.reservations,
      IndexName: 'byTarget',
      KeyConditionExpression: 'gsi2pk = :target',
      FilterExpression: '#status = :confirmed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':target': reservationKeys.target(targetId), ':confirmed': 'confirmed' },
    });
    return items.map(toReservation);
  }

  async findIdempotency(userId: string, key: string, now: string): Promise<IdempotencyRecord | undefined> {
    const item = await this.read(this.db.tables.reservations, reservationKeys.idempotency(userId, key));
    // TTL deletes lazily: an expired record still on disk counts as gone
    if (!item || Number(item.expiresAt) < epochSeconds(now)) return undefined;
    return {
      userId: String(item.userId),
      key: String(item.key),
      requestHash: String(item.requestHash),
      reservationId: String(item.reservationId),
      expiresAt: String(item.expiresAtIso),
    };
  }

  async cancel(reservation: Reservation, now: string): Promise<Reservation> {
    await transactWrite(this.db, [
      moveReservation(this.db.tables, reservation, 'confirmed', 'cancelled', now),
      returnSeats(this.db.tables, reservation),
      releaseGuard(this.db.tables, reservation),
      releaseCount(this.db.tables, reservation),
    ]);
    return { ...reservation, status: 'cancelled', updatedAt: now };
  }

  async checkIn(cmd: CheckInCommand): Promise<{ reservation: Reservation; ticket?: QueueTicket }> {
    const actions: TxAction[] = [
      moveReservation(this.db.tables, cmd.reservation, 'confirmed', 'checked_in', cmd.now),
      releaseCount(this.db.tables, cmd.reservation),
      outboxPut(this.db.tables, cmd.event),
    ];
    if (cmd.reservation.type === 'pickup') actions.push(slotCheckedIn(this.db.tables, cmd.reservation));
    if (cmd.ticket) actions.push(...joinActions(this.db.tables, cmd.ticket));
    await transactWrite(this.db, actions);
    const reservation: Reservation = { ...cmd.reservation, status: 'checked_in', updatedAt: cmd.now };
    if (!cmd.ticket) return { reservation };
    return { reservation, ticket: { ...cmd.ticket.ticket, status: 'waiting' } };
  }
}
