/**
 * Queue ticket items and the actions of a join, shared by `QueueStore.join` and a pickup's
 * check-in (which joins inside its own transaction).
 */
import type { TableNames } from '../../config/tables.ts';
import { AlreadyQueued, InvalidState, QueueFull, RateLimited } from '../../domain/errors.ts';
import { QUEUE_TICKET_FIELDS, type QueueTicket } from '../../domain/model.ts';
import type { JoinCommand, LanePlanEntry, StoredTicket } from '../../domain/ports.ts';
import { epochSeconds, pick } from './db.ts';
import { isLanePosition, queueKeys } from './keys.ts';
import type { TxAction } from './transactions.ts';

const FIELDS = QUEUE_TICKET_FIELDS;

export function toStoredTicket(stored: Record<string, unknown>): StoredTicket {
  const ticket: StoredTicket = { ...pick<QueueTicket>(stored, FIELDS), version: Number(stored.version) };
  if (typeof stored.fairnessDeadlineAt === 'string') ticket.fairnessDeadlineAt = stored.fairnessDeadlineAt;
  // A plan counts only with its own entry in the lane plan index (byLanePlan), which every
  // plan write sets with it. One without (written before that index existed, or by an older
  // worker after a rollback) reads as no plan: the worker plans the ticket again on its next
  // cycle, and a live position never counts on a lane list that misses or misplaces it.
  const planned = ticket.laneId !== undefined || ticket.position !== undefined;
  if (stored.status === 'waiting' && planned && !holdsItsPlace(stored, ticket.venueId)) {
    delete ticket.laneId;
    delete ticket.position;
  }
  return ticket;
}

/**
 * Whether an item's lane plan keys (byLanePlan) name its own lane and position: true of every
 * plan write since the index, false of a plan written before it or moved by an older worker.
 */
function holdsItsPlace(item: Record<string, unknown>, venueId: string): boolean {
  const { laneId, position, ticketId } = item;
  return (
    typeof laneId === 'string' &&
    typeof position === 'number' &&
    isLanePosition(position) &&
    item.gsi3pk === queueKeys.lanePlan(venueId, laneId) &&
    item.gsi3sk === queueKeys.lanePlace(position, String(ticketId))
  );
}

/**
 * Lane plan index items (INCLUDE projection) as the tickets-ahead list reads them: only those
 * whose keys still name their own lane and position, as a plan counts in `toStoredTicket`.
 */
export function toLanePlanEntries(items: Record<string, unknown>[], venueId: string): LanePlanEntry[] {
  return items
    .filter((item) => holdsItsPlace(item, venueId))
    .map((item) => ({
      ticketId: String(item.ticketId),
      status: item.status as LanePlanEntry['status'],
      serviceKind: String(item.serviceKind),
      accessibility: item.accessibility === true,
      laneId: String(item.laneId),
      position: Number(item.position),
      joinedAt: String(item.joinedAt),
    }));
}

/** `YYYY-MM-DDTHH` of an ISO time: the clock hour a join counts in. */
function hourOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 13);
}

/**
 * The actions of a join, in the precedence of their errors: the user's guard (ALREADY_QUEUED),
 * the joins-this-hour counter (RATE_LIMITED), the venue's waiting count (QUEUE_FULL), the ticket.
 * Shared with a pickup's check-in, which joins in its own transaction.
 */
export function joinActions(tables: TableNames, cmd: JoinCommand): TxAction[] {
  const { ticket } = cmd;
  const order = `${ticket.joinedAt}#${ticket.ticketId}`;
  const hour = hourOf(ticket.joinedAt);
  // The counter of an hour expires when the hour ends; a join always counts in the hour of its
  // own `joinedAt`, so the counter it touches is never past its expiry at that moment.
  const hourEnds = epochSeconds(`${hour}:00:00.000Z`) + 3600;
  return [
    {
      item: {
        Put: {
          TableName: tables.queueState,
          Item: { ...queueKeys.guard(ticket.venueId, ticket.userId), ticketId: ticket.ticketId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      onConditionFailed: () => new AlreadyQueued(),
    },
    {
      item: {
        Update: {
          TableName: tables.queueState,
          Key: queueKeys.joins(ticket.venueId, ticket.userId, hour),
          UpdateExpression: 'SET #joins = if_not_exists(#joins, :zero) + :one, #expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(#joins) OR #joins < :max',
          ExpressionAttributeNames: { '#joins': 'joins', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':max': cmd.maxJoinsPerHour,
            ':expires': hourEnds,
          },
        },
      },
      onConditionFailed: () =>
        new RateLimited(`At most ${cmd.maxJoinsPerHour} queue joins per hour are allowed at this venue.`),
    },
    {
      item: {
        Update: {
          TableName: tables.queueState,
          Key: queueKeys.venueCounter(ticket.venueId),
          UpdateExpression: 'SET #waiting = if_not_exists(#waiting, :zero) + :one',
          ConditionExpression: 'attribute_not_exists(#waiting) OR #waiting < :max',
          ExpressionAttributeNames: { '#waiting': 'waiting' },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': cmd.maxLength },
        },
      },
      onConditionFailed: () => new QueueFull(),
    },
    {
      item: {
        Put: {
          TableName: tables.queueState,
          Item: {
            ...queueKeys.ticket(ticket.ticketId),
            ...pick<QueueTicket>(ticket as unknown as Record<string, unknown>, FIELDS),
            status: 'waiting',
            gsi1pk: queueKeys.venueStatus(ticket.venueId, 'waiting'),
            gsi1sk: order,
            gsi2pk: queueKeys.user(ticket.userId),
            gsi2sk: order,
            version: 1,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      onConditionFailed: () => new InvalidState('A ticket with this id already exists.'),
    },
  ];
}
