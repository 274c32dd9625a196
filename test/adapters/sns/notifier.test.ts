import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PublishCommand, type PublishCommandInput } from '@aws-sdk/client-sns';
import { SnsNotifier, type SnsSender } from '../../../src/adapters/sns/notifier.ts';
import { ServiceUnavailable } from '../../../src/domain/errors.ts';
import type { Notification } from '../../../src/domain/ports.ts';

const topics = {
  shopper: 'arn:aws:sns:us-east-1:123456789012:venue-hub-dev-shopper-notifications',
  operator: 'arn:aws:sns:us-east-1:123456789012:venue-hub-dev-operator-alerts',
};

function fakeSns(fail?: Error) {
  const requests: PublishCommandInput[] = [];
  const client = {
    async send(command: unknown) {
      assert.ok(command instanceof PublishCommand);
      requests.push(command.input);
      if (fail) throw fail;
      return { MessageId: 'm-1' };
    },
  };
  return { client: client as unknown as SnsSender, requests };
}

const notification: Notification = {
  topic: 'shopper',
  eventType: 'BookingConfirmed',
  venueId: 'flagship-001',
  channel: 'sms',
  correlationId: 'req-1',
  body: {
    eventType: 'BookingConfirmed',
    reservationId: 'res-1',
    venueId: 'flagship-001',
    channel: 'sms',
    text: 'Hi',
  },
};

describe('SnsNotifier', () => {
  it('publishes the JSON body to the topic with the filter attributes and the correlation id', async () => {
    const { client, requests } = fakeSns();
    await new SnsNotifier(client, topics).publish(notification);
    assert.deepEqual(requests, [
      {
        TopicArn: topics.shopper,
        Message: JSON.stringify(notification.body),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'BookingConfirmed' },
          venueId: { DataType: 'String', StringValue: 'flagship-001' },
          channel: { DataType: 'String', StringValue: 'sms' },
          correlationId: { DataType: 'String', StringValue: 'req-1' },
        },
      },
    ]);
  });

  it('sends operator alerts to the operator topic', async () => {
    const { client, requests } = fakeSns();
    await new SnsNotifier(client, topics).publish({
      ...notification,
      topic: 'operator',
      channel: 'operator',
    });
    assert.equal(requests[0]?.TopicArn, topics.operator);
    assert.equal(requests[0]?.MessageAttributes?.channel?.StringValue, 'operator');
  });

  it('maps an SNS failure to ServiceUnavailable with the cause kept', async () => {
    const sdkError = Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' });
    const { client } = fakeSns(sdkError);
    await assert.rejects(new SnsNotifier(client, topics).publish(notification), (error) => {
      assert.ok(error instanceof ServiceUnavailable);
      assert.equal(error.cause, sdkError);
      return true;
    });
  });
});
