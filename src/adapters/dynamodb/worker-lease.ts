/**
 * The worker tasks' lease (queue-state table, `WORKER#LEASE`): one conditional update takes or
 * renews it, one conditional delete gives it up. The holder renews it every cycle; a task that
 * died leaves a lease that another takes once it has ended (ADR 0507).
 */
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { WorkerLeaseStore } from '../../domain/ports.ts';
import { type Db, epochSeconds, isConditionFailure } from './db.ts';
import { queueKeys } from './keys.ts';

/** How long an ended lease item stays before TTL removes it (it is overwritten long before). */
const KEEP_MS = 24 * 60 * 60 * 1000;

export class DynamoWorkerLease implements WorkerLeaseStore {
  constructor(private readonly db: Db) {}

  async acquire(owner: string, nowMs: number, untilMs: number): Promise<boolean> {
    try {
      await this.db.run(() =>
        this.db.doc.send(
          // an update, not a put: the worker's role writes the queue-state table by UpdateItem
          new UpdateCommand({
            TableName: this.db.tables.queueState,
            Key: queueKeys.workerLease(),
            UpdateExpression:
              'SET #owner = :owner, #leaseUntil = :until, #renewedAt = :renewedAt, #expiresAt = :expiresAt',
            // free, ours already (a renewal, or the SDK resending an update whose answer was
            // lost), or another's that has ended
            ConditionExpression: 'attribute_not_exists(pk) OR #owner = :owner OR #leaseUntil < :now',
            ExpressionAttributeNames: {
              '#owner': 'owner',
              '#leaseUntil': 'leaseUntil',
              '#renewedAt': 'renewedAt',
              '#expiresAt': 'expiresAt',
            },
            ExpressionAttributeValues: {
              ':owner': owner,
              ':until': untilMs,
              ':now': nowMs,
              ':renewedAt': new Date(nowMs).toISOString(),
              ':expiresAt': epochSeconds(new Date(untilMs + KEEP_MS)),
            },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async release(owner: string): Promise<void> {
    try {
      await this.db.run(() =>
        this.db.doc.send(
          new DeleteCommand({
            TableName: this.db.tables.queueState,
            Key: queueKeys.workerLease(),
            // only our own: a standby that took over since must keep its lease
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
