/**
 * Notifier over SNS Publish: the shopper or operator topic, the JSON body as the message, and
 * the message attributes that the subscriptions' filter policies match on (`eventType`,
 * `venueId`, `channel`) plus `correlationId` for tracing (docs/notifications.md).
 */
import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { ServiceUnavailable } from '../../domain/errors.ts';
import type { Notification, Notifier } from '../../domain/ports.ts';

/** The part of SNSClient the notifier uses (tests inject a fake `send`). */
export type SnsSender = Pick<SNSClient, 'send'>;

export interface TopicArns {
  shopper: string;
  operator: string;
}

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

export class SnsNotifier implements Notifier {
  /**
   * @param client the SNS client (built once at module scope)
   * @param topics the ARNs of the shopper notifications and operator alerts topics
   */
  constructor(
    private readonly client: SnsSender,
    private readonly topics: TopicArns,
  ) {}

  /** Publishes one message; any SNS failure becomes ServiceUnavailable (the cause is kept). */
  async publish(notification: Notification): Promise<void> {
    const command = new PublishCommand({
      TopicArn: this.topics[notification.topic],
      Message: JSON.stringify(notification.body),
      MessageAttributes: {
        eventType: text(notification.eventType),
        venueId: text(notification.venueId),
        channel: text(notification.channel),
        // SNS refuses empty attribute values; events always carry one, this guards the shape.
        correlationId: text(notification.correlationId || 'none'),
      },
    });
    try {
      await this.client.send(command);
    } catch (error) {
      throw new ServiceUnavailable('The notification topic did not accept the message.', error);
    }
  }
}
