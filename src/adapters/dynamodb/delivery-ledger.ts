/**
 * The fan-out's delivery markers (preferences table, `DELIVERY#{eventId}#{channel}`), written
 * the way Powertools' idempotency layer writes its records: a claim is a conditional put of a
 * `pending` marker with a lease, the publish confirms it `sent`, a failed publish deletes it.
 * A marker left `pending` by an attempt that died is taken over once its lease runs out.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DeliveryInFlight, type DeliveryLedger, type NotificationChannel } from '../../domain/ports.ts';
import { type Db, epochSeconds, isConditionFailure, plainItem } from './db.ts';
import { preferenceKeys } from './keys.ts';

const PENDING = 'pending';
const SENT = 'sent';

export class DynamoDeliveryLedger implements DeliveryLedger {
  constructor(private readonly db: Db) {}

  async claim(
    eventId: string,
    channel: NotificationChannel,
    expiresAt: string,
    leaseUntil: string = expiresAt,
  ): Promise<boolean> {
    const now = this.db.now();
    // Names this claim, so that the SDK resending the put after a lost response finds its own
    // marker instead of a stranger's live lease.
    const claimId = randomUUID();
    try {
      await this.db.run(() =>
        this.db.doc.send(
          new PutCommand({
            TableName: this.db.tables.preferences,
            Item: {
              ...preferenceKeys.delivery(eventId, channel),
              status: PENDING,
              claimId,
              claimedAt: now.toISOString(),
              leaseUntil: Date.parse(leaseUntil),
              expiresAt: epochSeconds(expiresAt),
            },
            // Two deliveries A and B of one event, one channel (L = A's lease end):
            //   A: claim ✓ pending ── publish ── confirm → sent
            //   B:    claim ✗ pending, lease live → DeliveryInFlight → event fails, retried later
            //   B':                                        claim ✗ sent → duplicate, nothing sent
            // A dies after its claim (no confirm, no release):
            //   A: claim ✓ pending ── ✝
            //   B:    claim ✗ pending, lease live → DeliveryInFlight → retried
            //   B':                     (after L) claim ✓ lease expired → publish → confirm → sent
            // A dies after its publish, before confirm: B' publishes again (at least once wins).
            // An expired marker (sent or not) is gone even before TTL deletes it; a marker
            // without status predates leases and counts as sent.
            ConditionExpression:
              'attribute_not_exists(pk) OR #expiresAt < :nowSeconds' +
              ' OR (#status = :pending AND #leaseUntil < :nowMs) OR #claimId = :claimId',
            ExpressionAttributeNames: {
              '#expiresAt': 'expiresAt',
              '#status': 'status',
              '#leaseUntil': 'leaseUntil',
              '#claimId': 'claimId',
            },
            ExpressionAttributeValues: {
              ':nowSeconds': epochSeconds(now),
              ':nowMs': now.getTime(),
              ':pending': PENDING,
              ':claimId': claimId,
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const held = plainItem(error.Item) ?? {};
      if (held.status !== PENDING) return false;
      const until = typeof held.leaseUntil === 'number' ? new Date(held.leaseUntil).toISOString() : undefined;
      throw new DeliveryInFlight(eventId, channel, until);
    }
  }

  async confirm(eventId: string, channel: NotificationChannel, expiresAt: string): Promise<void> {
    // Unconditional: whoever published may say so, and saying it twice changes nothing.
    await this.db.run(() =>
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.tables.preferences,
          Item: {
            ...preferenceKeys.delivery(eventId, channel),
            status: SENT,
            sentAt: this.db.now().toISOString(),
            expiresAt: epochSeconds(expiresAt),
          },
        }),
      ),
    );
  }

  async release(eventId: string, channel: NotificationChannel): Promise<void> {
    try {
      await this.db.run(() =>
        this.db.doc.send(
          new DeleteCommand({
            TableName: this.db.tables.preferences,
            Key: preferenceKeys.delivery(eventId, channel),
            // only a pending claim: a message sent (by any attempt, or before leases) stays sent
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pending': PENDING },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
