/**
 * The notification-fanout composition root as deployed: the real handler module, its SDK
 * clients pointed (through the endpoint variables) at DynamoDB Local and at a small local
 * AppConfigData + SNS stand-in, driven by the sample EventBridge events.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { EventBridgeEvent } from 'aws-lambda';
import type { FanoutOutcome } from '../../src/fanout/notification-fanout.ts';
import { useTables } from '../helpers/dynamodb.ts';
import { SAMPLE_NAMES, sampleEvent } from '../helpers/sample-events.ts';
import { sampleRules } from '../helpers/sample-rules.ts';

interface Published {
  topic: string | null;
  attributes: Record<string, string | null>;
  body: Record<string, unknown>;
}

const published: Published[] = [];
let snsFails = false;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/configurationsessions') {
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"InitialConfigurationToken":"t0"}');
    } else if (req.method === 'GET' && req.url?.startsWith('/configuration?')) {
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'next-poll-configuration-token': 't1',
          'version-label': '1',
        })
        .end(req.url.endsWith('t0') ? JSON.stringify(sampleRules()) : '');
    } else if (snsFails) {
      res
        .writeHead(500, { 'content-type': 'text/xml' })
        .end('<ErrorResponse><Error><Code>InternalError</Code></Error></ErrorResponse>');
    } else {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const attributes: Record<string, string | null> = {};
      for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i += 1)
        attributes[form.get(`MessageAttributes.entry.${i}.Name`) ?? ''] = form.get(
          `MessageAttributes.entry.${i}.Value.StringValue`,
        );
      published.push({
        topic: form.get('TopicArn'),
        attributes,
        body: JSON.parse(form.get('Message') ?? '{}'),
      });
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end('<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult></PublishResponse>');
    }
  });
});

let handler: (event: EventBridgeEvent<string, unknown>) => Promise<FanoutOutcome>;

describe('notification-fanout handler (composition root)', () => {
  before(async () => {
    const { endpoint, tables } = await useTables();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      EVENTS_TABLE: tables.events,
      RESERVATIONS_TABLE: tables.reservations,
      PICKUP_SLOTS_TABLE: tables.pickupSlots,
      QUEUE_STATE_TABLE: tables.queueState,
      PREFERENCES_TABLE: tables.preferences,
      DYNAMODB_ENDPOINT: endpoint,
      SNS_ENDPOINT: local,
      APPCONFIG_ENDPOINT: local,
      APPCONFIG_APPLICATION: 'venue-hub',
      APPCONFIG_ENVIRONMENT: 'test',
      APPCONFIG_PROFILE: 'venue-rules',
      APPCONFIG_POLL_SECONDS: '1',
      SHOPPER_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:shopper',
      OPERATOR_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:operator',
    });
    ({ handler } = await import('../../src/handlers/notification-fanout.ts'));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('publishes one shopper message per sample event however often it arrives', async () => {
    for (let round = 0; round < 3; round += 1)
      for (const name of SAMPLE_NAMES) await handler(sampleEvent(name));
    assert.deepEqual(
      published.map((p) => [p.topic, p.attributes.eventType, p.attributes.channel, p.attributes.venueId]),
      [
        ['arn:aws:sns:us-east-1:000000000000:shopper', 'BookingConfirmed', 'email', 'flagship-001'],
        ['arn:aws:sns:us-east-1:000000000000:shopper', 'CheckInCompleted', 'email', 'flagship-001'],
        ['arn:aws:sns:us-east-1:000000000000:shopper', 'PickupCompleted', 'email', 'flagship-001'],
      ],
    );
    assert.equal(
      published[0]?.attributes.correlationId,
      sampleEvent('booking-confirmed').detail.correlationId,
    );
    assert.match(String(published[0]?.body.text), /Sat, Dec 5, 3:00 PM EST/);
  });

  it('fails the invocation when SNS fails, then delivers exactly once on the retry', async () => {
    const event = sampleEvent('booking-confirmed');
    event.detail.id = '5b0e7c8a-1d2f-4e3a-9b4c-6d7e8f9a0b1c';
    published.length = 0;
    snsFails = true;
    await assert.rejects(handler(event));
    snsFails = false;
    assert.deepEqual(await handler(event), { sent: 1, duplicates: 0, failed: 0, inFlight: 0 });
    assert.deepEqual(await handler(event), { sent: 0, duplicates: 1, failed: 0, inFlight: 0 });
    assert.equal(published.length, 1);
  });
});
