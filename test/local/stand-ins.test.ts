/**
 * The EventBridge, SNS and AppConfigData stand-ins exercised with the real AWS SDK clients,
 * and the local bus and verification queue behind them, on the fixture hub.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { STAND_IN_PATHS } from '../../src/local/hub-server.ts';
import { loadVenueRulesFromTemplate } from '../../src/local/venue-rules.ts';
import { AWS, http, rulesDoc, useHubFixture } from './helpers/hub-fixture.ts';

const hub = useHubFixture();

describe('EventBridge and SNS stand-ins (real SDK clients) and the local bus', () => {
  const client = () => new EventBridgeClient({ ...AWS, endpoint: `${hub.url}${STAND_IN_PATHS.eventbridge}` });

  it('accepts PutEvents, routes by rule pattern and filters SNS deliveries', async () => {
    await http(hub, 'DELETE', '/local/outbox');
    const detail = { id: 'd-1', venueId: 'flagship-001', userId: 'u', reservationId: 'r-1' };
    const result = await client().send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'venue.hub',
            DetailType: 'BookingConfirmed',
            Detail: JSON.stringify(detail),
            EventBusName: 'venue-hub-local-bus',
          },
          {
            Source: 'venue.hub',
            DetailType: 'Ignored',
            Detail: JSON.stringify(detail),
            EventBusName: 'venue-hub-local-bus',
          },
        ],
      }),
    );
    assert.equal(result.FailedEntryCount, 0);
    assert.equal(result.Entries?.length, 2);
    assert.ok(result.Entries?.every((e) => typeof e.EventId === 'string'));
    await hub.parts.bus.idle();
    const { json } = await http(hub, 'GET', '/local/outbox');
    // BookingConfirmed: the shopper subscription (channel email) passes, the operator one
    // (eventType prefix Pickup / CheckInCompleted) does not; "Ignored" matches no rule.
    assert.deepEqual(
      json.messages.map(
        (m: { topic: string; attributes: Record<string, string>; body: { reservationId: string } }) => [
          m.topic,
          m.attributes.eventType,
          m.body.reservationId,
        ],
      ),
      [['ShopperNotificationsTopic', 'BookingConfirmed', 'r-1']],
    );
  });

  it('follows alias targets and the operator filter policy', async () => {
    await http(hub, 'DELETE', '/local/outbox');
    await client().send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'venue.hub',
            DetailType: 'PickupCompleted',
            Detail: '{"venueId":"v","ticketId":"t-1"}',
            EventBusName: 'venue-hub-local-bus',
          },
        ],
      }),
    );
    await hub.parts.bus.idle();
    const topics = (await http(hub, 'GET', '/local/outbox')).json.messages
      .map((m: { topic: string }) => m.topic)
      .sort();
    assert.deepEqual(topics, ['OperatorAlertsTopic', 'ShopperNotificationsTopic']);
  });

  it('reports bad entries as failed entries, as EventBridge does', async () => {
    const result = await client().send(
      new PutEventsCommand({
        Entries: [
          { Source: 'venue.hub', DetailType: 'X', Detail: 'not json', EventBusName: 'venue-hub-local-bus' },
          { Source: 'venue.hub', DetailType: 'X', Detail: '{}', EventBusName: 'no-such-bus' },
          { Source: 'venue.hub', DetailType: 'X', Detail: '{}', EventBusName: 'venue-hub-local-bus' },
        ],
      }),
    );
    assert.equal(result.FailedEntryCount, 2);
    assert.equal(result.Entries?.[0]?.ErrorCode, 'MalformedDetail');
    assert.equal(result.Entries?.[1]?.ErrorCode, 'NotFoundException');
    assert.equal(typeof result.Entries?.[2]?.EventId, 'string');
  });

  it('retries a failing target with backoff, then parks the event in the DLQ', async () => {
    hub.fanout.failures = 0;
    await client().send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'venue.hub',
            DetailType: 'BookingConfirmed',
            Detail: '{"venueId":"v","failTimes":2}',
            EventBusName: 'venue-hub-local-bus',
          },
        ],
      }),
    );
    await hub.parts.bus.idle();
    assert.equal(hub.fanout.failures, 2);
    assert.equal((await http(hub, 'GET', '/local/dlq')).json.messages.length, 0);
    hub.fanout.failures = 0;
    await client().send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'venue.hub',
            DetailType: 'BookingConfirmed',
            Detail: '{"venueId":"v","failTimes":9}',
            EventBusName: 'venue-hub-local-bus',
          },
        ],
      }),
    );
    await hub.parts.bus.idle();
    const dlq = (await http(hub, 'GET', '/local/dlq')).json.messages;
    assert.equal(dlq.length, 1);
    assert.equal(dlq[0].attempts, 3);
    assert.equal(dlq[0].event.detail.failTimes, 9);
  });

  it('answers SNS errors in the query protocol', async () => {
    const sns = new SNSClient({ ...AWS, endpoint: `${hub.url}${STAND_IN_PATHS.sns}` });
    await assert.rejects(
      sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:nope', Message: 'x' })),
      (error: Error) => error.name === 'NotFoundException' || error.name === 'NotFound',
    );
    const ok = await sns.send(
      new PublishCommand({ TopicArn: hub.parts.sns.arnOf('ShopperNotificationsTopic'), Message: 'hello' }),
    );
    assert.equal(typeof ok.MessageId, 'string');
  });
});

describe('AppConfigData stand-in (real SDK client) and /local/appconfig', () => {
  const client = () =>
    new AppConfigDataClient({ ...AWS, endpoint: `${hub.url}${STAND_IN_PATHS.appconfigdata}` });
  const decode = (bytes?: Uint8Array) => new TextDecoder().decode(bytes ?? new Uint8Array());

  it('serves the document on the first poll, nothing until a new deployment, then the new one', async () => {
    const appconfig = client();
    const session = await appconfig.send(
      new StartConfigurationSessionCommand({
        ApplicationIdentifier: 'venue-hub',
        EnvironmentIdentifier: 'local',
        ConfigurationProfileIdentifier: 'venue-rules',
        RequiredMinimumPollIntervalInSeconds: 1,
      }),
    );
    const first = await appconfig.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken }),
    );
    assert.deepEqual(JSON.parse(decode(first.Configuration)), rulesDoc);
    assert.equal(first.NextPollIntervalInSeconds, 1);
    assert.ok(first.VersionLabel);
    const second = await appconfig.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: first.NextPollConfigurationToken }),
    );
    assert.equal(decode(second.Configuration), '');

    const rejected = await http(hub, 'PUT', '/local/appconfig', { venues: {}, features: { queue: 'off' } });
    assert.equal(rejected.status, 400);
    assert.equal(rejected.json.error.code, 'VALIDATION_FAILED');
    assert.deepEqual((await http(hub, 'GET', '/local/appconfig')).json, rulesDoc);
    // a document the schema passes but the bundles would refuse (a time zone that does not
    // exist): refused here too, not accepted and then ignored by the API and the worker
    const [venueId, venue] = Object.entries(loadVenueRulesFromTemplate().document.venues)[0] ?? [];
    const mars = { ...rulesDoc, venues: { [venueId ?? 'v']: { ...venue, timezone: 'Mars/Olympus' } } };
    const refused = await http(hub, 'PUT', '/local/appconfig', mars);
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.json.error.details, [
      { path: `/venues/${venueId}/timezone`, message: 'must be an IANA time zone' },
    ]);
    assert.deepEqual((await http(hub, 'GET', '/local/appconfig')).json, rulesDoc);

    const next = { venues: {}, features: { queue: false, pickup: true, campaigns: true } };
    assert.equal((await http(hub, 'PUT', '/local/appconfig', next)).status, 200);
    const third = await appconfig.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: second.NextPollConfigurationToken }),
    );
    assert.deepEqual(JSON.parse(decode(third.Configuration)), next);
    assert.notEqual(third.VersionLabel, first.VersionLabel);
    // A token is good for one poll, as with the service.
    await assert.rejects(
      appconfig.send(
        new GetLatestConfigurationCommand({ ConfigurationToken: second.NextPollConfigurationToken }),
      ),
    );
  });

  it('refuses unknown identifiers', async () => {
    await assert.rejects(
      client().send(
        new StartConfigurationSessionCommand({
          ApplicationIdentifier: 'other',
          EnvironmentIdentifier: 'local',
          ConfigurationProfileIdentifier: 'venue-rules',
        }),
      ),
      (error: Error) => error.name === 'ResourceNotFoundException',
    );
  });
});
