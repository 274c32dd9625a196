/**
 * The transactional outbox (reservations table). Every write that emits an event puts an
 * `OUTBOX#{id}` item in the same transaction; the API publishes right after the commit and marks
 * it published; the worker sweeps what is still pending (ADR 0100). Pending items carry
 * `gsi3pk = PENDING` (sparse index `pendingOutbox`, sorted by `{occurredAt}#{id}`); marking one
 * published removes those attributes and sets a TTL.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../../config/tables.ts';
import { InvalidState } from '../../domain/errors.ts';
import type { VenueEvent } from '../../domain/model.ts';
import type { OutboxStore } from '../../domain/ports.ts';
import { type Db, epochSeconds, isConditionFailure, mapLimit } from './db.ts';
import { PENDING, RETENTION_SECONDS, reservationKeys } from './keys.ts';
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
