/**
 * The transactional outbox (reservations table). Every write that emits an event puts an
 * `OUTBOX#{id}` item in the same transaction; the API publishes right after the commit and marks
 * it published; the scheduled outbox sweeper publishes what is still pending (ADR 0100, 0311).
 * Pending items carry `gsi3pk = PENDING` (sparse index `pendingOutbox`, sorted by
 * `{occurredAt}#{id}`); marking one
 * published removes those attributes and sets a TTL. An event the bus refuses is due again
 * later (`gsi3sk = {retryAt}#{id}`, backing off); after `OUTBOX_MAX_ATTEMPTS` refusals it moves
 * to `gsi3pk = OUTBOX_DEAD`, the hop's dead letters, kept with its `lastError` for an operator.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../../config/tables.ts';
import { InvalidState } from '../../domain/errors.ts';
import type { VenueEvent } from '../../domain/model.ts';
import {
  OUTBOX_MAX_ATTEMPTS,
  type OutboxStore,
  outboxRetryAt,
  type RefusedEvent,
} from '../../domain/ports.ts';
import { type Db, epochSeconds, isConditionFailure, mapLimit } from './db.ts';
import { OUTBOX_DEAD, PENDING, RETENTION_SECONDS, reservationKeys } from './keys.ts';
import type { TxAction } from './transactions.ts';

const WRITE_CONCURRENCY = 8;
const MAX_BATCH = 1000;

/** The transaction action that records `event` as pending. */
export function outboxPut(tables: TableNames, event: VenueEvent): TxAction {
  return {
    item: {
      Put: {
        TableName: tables.reservations,
        Item: {
          ...reservationKeys.outbox(event.detail.id),
          detailType: event.detailType,
          detail: event.detail,
          gsi3pk: PENDING,
          gsi3sk: `${event.detail.occurredAt}#${event.detail.id}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    onConditionFailed: () => new InvalidState('This event was already recorded.'),
  };
}

export class DynamoOutboxStore implements OutboxStore {
  constructor(private readonly db: Db) {}

  async listPending(olderThan: string, limit: number): Promise<VenueEvent[]> {
    // no filter on this query, so one page of `Limit` items is the whole answer
    const out = await this.db.run(() =>
      this.db.doc.send(
        new QueryCommand({
          TableName: this.db.tables.reservations,
          IndexName: 'pendingOutbox',
          KeyConditionExpression: 'gsi3pk = :pending AND gsi3sk < :olderThan',
          ExpressionAttributeValues: { ':pending': PENDING, ':olderThan': olderThan },
          Limit: Math.max(1, Math.min(MAX_BATCH, Math.floor(limit))),
        }),
      ),
    );
    return (out.Items ?? []).map(
      (item) => ({ detailType: item.detailType, detail: item.detail }) as VenueEvent,
    );
  }

  async deferRefused(refused: RefusedEvent[], now: string): Promise<string[]> {
    const dead: string[] = [];
    await mapLimit(refused, WRITE_CONCURRENCY, async ({ id, reason }) => {
      try {
        // one more attempt, due later: its place in the pending index moves behind the others
        const out = await this.db.run(() =>
          this.db.doc.send(
            new UpdateCommand({
              TableName: this.db.tables.reservations,
              Key: reservationKeys.outbox(id),
              UpdateExpression:
                'SET #attempts = if_not_exists(#attempts, :zero) + :one, #lastError = :reason',
              ConditionExpression: 'gsi3pk = :pending',
              ExpressionAttributeNames: { '#attempts': 'attempts', '#lastError': 'lastError' },
              ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':reason': reason, ':pending': PENDING },
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        const attempts = Number(out.Attributes?.attempts ?? 1);
        const deadNow = attempts >= OUTBOX_MAX_ATTEMPTS;
        await this.db.run(() =>
          this.db.doc.send(
            new UpdateCommand({
              TableName: this.db.tables.reservations,
              Key: reservationKeys.outbox(id),
              UpdateExpression: deadNow ? 'SET gsi3pk = :dead, #deadAt = :now' : 'SET gsi3sk = :due',
              ConditionExpression: 'gsi3pk = :pending',
              ...(deadNow ? { ExpressionAttributeNames: { '#deadAt': 'deadAt' } } : {}),
              ExpressionAttributeValues: deadNow
                ? { ':dead': OUTBOX_DEAD, ':now': now, ':pending': PENDING }
                : { ':due': `${outboxRetryAt(now, attempts)}#${id}`, ':pending': PENDING },
            }),
          ),
        );
        if (deadNow) dead.push(id);
      } catch (error) {
        // published meanwhile (no longer pending), or unknown: nothing to defer
        if (!isConditionFailure(error)) throw error;
      }
    });
    return dead;
  }

  async markPublished(eventIds: string[], now: string): Promise<void> {
    await mapLimit(eventIds, WRITE_CONCURRENCY, async (id) => {
      try {
        await this.db.run(() =>
          this.db.doc.send(
            new UpdateCommand({
              TableName: this.db.tables.reservations,
              Key: reservationKeys.outbox(id),
              UpdateExpression: 'SET #publishedAt = :now, #expiresAt = :expires REMOVE gsi3pk, gsi3sk',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#publishedAt': 'publishedAt', '#expiresAt': 'expiresAt' },
              ExpressionAttributeValues: { ':now': now, ':expires': epochSeconds(now) + RETENTION_SECONDS },
            }),
          ),
        );
      } catch (error) {
        // an unknown id has nothing to mark; anything else is a real failure
        if (!isConditionFailure(error)) throw error;
      }
    });
  }
}
