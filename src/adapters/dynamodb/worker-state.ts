/**
 * What passes from one worker task to the next (ADR 0507), in the queue-state table: the lease
 * (`WORKER#LEASE`: one conditional update takes or renews it, another ends it; a task that
 * died leaves a lease that another takes once it has ended) and each venue's observed service
 * times (`STATS#{venueId}`), so that the next holder does not start cold.
 */
import { GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ObservedServiceTimes, ServiceTimeStore, WorkerLeaseStore } from '../../domain/ports.ts';
import { type Db, epochSeconds, isConditionFailure } from './db.ts';
import { queueKeys } from './keys.ts';

/** How long an ended lease item stays before TTL removes it (it is overwritten long before). */
const KEEP_MS = 24 * 60 * 60 * 1000;

export class DynamoWorkerLease implements WorkerLeaseStore {
  constructor(private readonly db: Db) {}

  acquire(owner: string, nowMs: number, untilMs: number): Promise<boolean> {
    return this.update({
      UpdateExpression:
        'SET #owner = :owner, #leaseUntil = :until, #renewedAt = :renewedAt, #expiresAt = :expiresAt',
      // free, ours already (a renewal, or the SDK resending an update whose answer was lost),
      // or another's that has ended (an item without a lease end, written by hand, must not
      // lock every task out)
      ConditionExpression:
        'attribute_not_exists(pk) OR #owner = :owner OR #leaseUntil < :now OR attribute_not_exists(#leaseUntil)',
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
    });
  }

  async release(owner: string): Promise<void> {
    // Ended, not deleted: the item keeps `renewedAt`, which the board reads as when the
    // planner last ran, so a hand-over does not show the planner as never seen.
    await this.update({
      UpdateExpression: 'SET #leaseUntil = :ended',
      // only our own: a standby that took over since must keep its lease
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner', '#leaseUntil': 'leaseUntil' },
      ExpressionAttributeValues: { ':owner': owner, ':ended': 0 },
    });
  }

  /**
   * Ends the lease whoever holds it, as its holder's `release` would (`renewedAt` stays for the
   * board); true when there was one to end. Only for the local hub, which runs the one worker
   * there is and ends what an earlier worker process left before it starts another (ADR 0507).
   */
  endLeftover(): Promise<boolean> {
    return this.update({
      UpdateExpression: 'SET #leaseUntil = :ended',
      ConditionExpression: 'attribute_exists(pk) AND #leaseUntil > :ended',
      ExpressionAttributeNames: { '#leaseUntil': 'leaseUntil' },
      ExpressionAttributeValues: { ':ended': 0 },
    });
  }

  /**
   * One conditional update of the lease item (an update, not a put: the worker's role writes
   * the queue-state table by UpdateItem); false when its condition does not hold.
   */
  private async update(input: Omit<UpdateCommandInput, 'TableName' | 'Key'>): Promise<boolean> {
    try {
      await this.db.run(() =>
        this.db.doc.send(
          new UpdateCommand({ TableName: this.db.tables.queueState, Key: queueKeys.workerLease(), ...input }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/** How long saved service times are worth starting from (TTL removes them after). */
const SERVICE_TIMES_KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A venue's observed service times (queue-state table, `STATS#{venueId}`), saved by the lease
 * holder and read by the next one. One item per venue, written whole; an update (the worker's
 * role writes this table by UpdateItem).
 */
export class DynamoServiceTimeStore implements ServiceTimeStore {
  constructor(private readonly db: Db) {}

  async load(venueId: string): Promise<ObservedServiceTimes | undefined> {
    const out = await this.db.run(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.db.tables.queueState, Key: queueKeys.serviceTimes(venueId) }),
      ),
    );
    const item = out.Item;
    // TTL deletes lazily: an expired item counts as gone
    if (item === undefined || Number(item.expiresAt) < epochSeconds(this.db.now())) return undefined;
    return item.times as ObservedServiceTimes;
  }

  async save(venueId: string, times: ObservedServiceTimes, at: Date): Promise<void> {
    await this.db.run(() =>
      this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tables.queueState,
          Key: queueKeys.serviceTimes(venueId),
          UpdateExpression: 'SET #times = :times, #savedAt = :savedAt, #expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#times': 'times', '#savedAt': 'savedAt', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: {
            ':times': times,
            ':savedAt': at.toISOString(),
            ':expiresAt': epochSeconds(new Date(at.getTime() + SERVICE_TIMES_KEEP_MS)),
          },
        }),
      ),
    );
  }
}
