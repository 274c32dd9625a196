/**
 * The fan-out's delivery markers (preferences table, `DELIVERY#{eventId}#{channel}`): a claim is
 * a conditional put, so of any number of deliveries of one event only the first publishes.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryLedger, NotificationChannel } from '../../domain/ports.ts';
import { type Db, epochSeconds, isConditionFailure } from './db.ts';
import { preferenceKeys } from './keys.ts';

export class DynamoDeliveryLedger implements DeliveryLedger {
  constructor(private readonly db: Db) {}

  async claim(eventId: string, channel: NotificationChannel, expiresAt: string): Promise<boolean> {
    try {
      await this.db.run(() =>
        this.db.doc.send(
          new PutCommand({
            TableName: this.db.tables.preferences,
            Item: {
              ...preferenceKeys.delivery(eventId, channel),
              claimedAt: this.db.now().toISOString(),
              expiresAt: epochSeconds(expiresAt),
            },
            // an expired marker is gone even before TTL deletes it
            ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt < :now',
            ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
            ExpressionAttributeValues: { ':now': epochSeconds(this.db.now()) },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async release(eventId: string, channel: NotificationChannel): Promise<void> {
    await this.db.run(() =>
      this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.tables.preferences,
          Key: preferenceKeys.delivery(eventId, channel),
        }),
      ),
    );
  }
}
