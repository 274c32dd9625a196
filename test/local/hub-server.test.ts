/**
 * The hub's HTTP front around fake functions and the fixture template: the stand-ins are
 * exercised with the real AWS SDK clients, the API with plain HTTP.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { loadTemplate } from '../../src/local/cfn-template.ts';
import { LocalIssuer } from '../../src/local/cognito-issuer.ts';
import { assembleHubParts } from '../../src/local/hub-parts.ts';
import { createHubListener, STAND_IN_PATHS } from '../../src/local/hub-server.ts';
import { LocalRulesStore } from '../../src/local/rules-store.ts';
import type { BusEvent } from '../../src/local/stand-ins/eventbridge.ts';
import { validateRules } from '../../src/local/venue-rules.ts';
import { createLogger } from '../../src/observability/log.ts';

const template = loadTemplate(join(import.meta.dirname, 'fixtures/template.yaml'));
const AWS = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const schema = {
  type: 'object',
  required: ['venues', 'features'],
  properties: {
    features: { type: 'object', required: ['queue'], properties: { queue: { type: 'boolean' } } },
  },
};
const rulesDoc = { venues: {}, features: { queue: true, pickup: true, campaigns: true } };

let server: Server;
let url: string;
let parts: ReturnType<typeof assembleHubParts>;
const apiEvents: unknown[] = [];
let fanoutFailures = 0;

before(async () => {
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  url = `http://127.0.0.1:${port}`;
  const issuer = await LocalIssuer.create(`${url}/local/cognito`, 'local-site');
  const siteDir = mkdtempSync(join(tmpdir(), 'hub-site-'));
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>site</title>');
  writeFileSync(join(siteDir, 'app.js'), 'console.log(1)');
  const sns = new SNSClient({ ...AWS, endpoint: `${url}${STAND_IN_PATHS.sns}` });
  const env = {
    EVENT_BUS_NAME: 'venue-hub-local-bus',
    APPCONFIG_APPLICATION: 'venue-hub',
    APPCONFIG_ENVIRONMENT: 'local',
    APPCONFIG_PROFILE: 'venue-rules',
  };
  parts = assembleHubParts({
    template,
    env,
    issuer,
    rules: new LocalRulesStore(rulesDoc as never, (doc) => validateRules(doc, schema)),
    invoke: async (functionId, event) => {
      if (functionId === 'VenueApiFunction') {
        apiEvents.push(event);
        return {
          statusCode: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ok: true }),
        };
      }
      const busEvent = event as BusEvent;
      if (busEvent.detail.failTimes && fanoutFailures < Number(busEvent.detail.failTimes)) {
        fanoutFailures += 1;
        throw new Error('fan-out failed');
      }
      // A fake fan-out: one message per topic, as the real one publishes.
      for (const [topicId, channel] of [
        ['ShopperNotificationsTopic', 'email'],
        ['OperatorAlertsTopic', 'operator'],
      ]) {
        const arn = parts.sns.arnOf(topicId as string);
        await sns.send(
          new PublishCommand({
            TopicArn: arn,
            Message: JSON.stringify({ eventType: busEvent['detail-type'], ...busEvent.detail }),
            MessageAttributes: {
              eventType: { DataType: 'String', StringValue: busEvent['detail-type'] },
              venueId: { DataType: 'String', StringValue: String(busEvent.detail.venueId) },
              channel: { DataType: 'String', StringValue: channel },
            },
          }),
        );
      }
      return undefined;
    },
    siteDir,
    siteConfig: () => ({ mode: 'local' }),
    logger: createLogger('test', { sink: () => undefined }),
    busOptions: { baseDelayMs: 5, maxAttempts: 3 },
  });
  server.on('request', createHubListener(parts));
});

after(() => {
  server.closeAllConnections();
  server.close();
});

async function http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in assertions
  return { status: response.status, text, json: json as Record<string, any>, headers: response.headers };
}

async function token(username: string, groups: string[], extra: Record<string, unknown> = {}) {
  const { json } = await http('POST', '/local/cognito/token', { username, groups, ...extra });
  return json.access_token as string;
}

describe('local Cognito endpoints', () => {
  it('mints tokens and serves the JWKS', async () => {
    const minted = await http('POST', '/local/cognito/token', { username: 'alice', groups: ['shoppers'] });
    assert.equal(minted.status, 200);
    assert.equal(minted.json.token_type, 'Bearer');
    assert.equal(minted.json.expires_in, 3600);
    const jwks = await http('GET', '/local/cognito/.well-known/jwks.json');
    assert.equal(jwks.json.keys.length, 1);
  });

  it('answers bad bodies with 400 in the error shape', async () => {
    for (const body of ['{not json', { groups: [] }, { username: 'a', extra: 1 }]) {
      const response = await http('POST', '/local/cognito/token', body);
      assert.equal(response.status, 400);
      assert.equal(response.json.error.code, 'VALIDATION_FAILED');
      assert.equal(typeof response.json.error.requestId, 'string');
      assert.ok(Array.isArray(response.json.error.details));
    }
  });
});

describe('HTTP API front', () => {
  it('passes public routes without a token', async () => {
    const response = await http('GET', '/venues/flagship-001/events?kind=event');
    assert.equal(response.status, 200);
    const event = apiEvents.at(-1) as { routeKey: string; requestContext: { authorizer?: unknown } };
    assert.equal(event.routeKey, 'GET /venues/{venueId}/events');
    assert.equal(event.requestContext.authorizer, undefined);
  });

  it('refuses protected routes without a valid token exactly as API Gateway', async () => {
    const expired = await token('alice', ['shoppers'], { expiresIn: -10 });
    const otherClient = await token('alice', ['shoppers'], { clientId: 'elsewhere' });
    for (const authorization of [undefined, 'Bearer nope', `Bearer ${expired}`, `Bearer ${otherClient}`]) {
      const response = await http(
        'GET',
        '/me/reservations',
        undefined,
        authorization ? { authorization } : {},
      );
      assert.equal(response.status, 401);
      assert.equal(response.text, '{"message":"Unauthorized"}');
    }
  });

  it('hands protected routes the verified claims', async () => {
    const good = await token('olivia', ['operators']);
    const response = await http(
      'POST',
      '/venues/flagship-001/events',
      { title: 'x' },
      { authorization: `Bearer ${good}` },
    );
    assert.equal(response.status, 200);
    const event = apiEvents.at(-1) as {
      body: string;
      requestContext: { authorizer: { jwt: { claims: Record<string, string> } } };
    };
    assert.equal(event.body, '{"title":"x"}');
    assert.equal(event.requestContext.authorizer.jwt.claims['cognito:groups'], '[operators]');
    assert.equal(event.requestContext.authorizer.jwt.claims.username, 'olivia');
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    for (const [method, path] of [
      ['GET', '/nope.json'],
      ['POST', '/health'],
      ['GET', '/local/unknown'],
    ]) {
      const response = await http(method as string, path as string);
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.json.error.code, 'NOT_FOUND');
    }
  });

  it('serves the site, its config and the SPA fallback for HTML navigations', async () => {
    assert.match((await http('GET', '/')).text, /<title>site/);
    assert.equal(
      (await http('GET', '/app.js')).headers.get('content-type'),
      'text/javascript; charset=utf-8',
    );
    assert.deepEqual((await http('GET', '/config.json')).json, { mode: 'local' });
    const deep = await http('GET', '/my/reservations', undefined, { accept: 'text/html' });
    assert.match(deep.text, /<title>site/);
    assert.equal(
      (await http('GET', '/../../etc/passwd', undefined, { accept: 'application/json' })).status,
      404,
    );
  });
});

describe('EventBridge and SNS stand-ins (real SDK clients) and the local bus', () => {
  const client = () => new EventBridgeClient({ ...AWS, endpoint: `${url}${STAND_IN_PATHS.eventbridge}` });

  it('accepts PutEvents, routes by rule pattern and filters SNS deliveries', async () => {
    await http('DELETE', '/local/outbox');
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
    await parts.bus.idle();
    const { json } = await http('GET', '/local/outbox');
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
    await http('DELETE', '/local/outbox');
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
    await parts.bus.idle();
    const topics = (await http('GET', '/local/outbox')).json.messages
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
    fanoutFailures = 0;
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
    await parts.bus.idle();
    assert.equal(fanoutFailures, 2);
    assert.equal((await http('GET', '/local/dlq')).json.messages.length, 0);
    fanoutFailures = 0;
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
    await parts.bus.idle();
    const dlq = (await http('GET', '/local/dlq')).json.messages;
    assert.equal(dlq.length, 1);
    assert.equal(dlq[0].attempts, 3);
    assert.equal(dlq[0].event.detail.failTimes, 9);
  });

  it('answers SNS errors in the query protocol', async () => {
    const sns = new SNSClient({ ...AWS, endpoint: `${url}${STAND_IN_PATHS.sns}` });
    await assert.rejects(
      sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:nope', Message: 'x' })),
      (error: Error) => error.name === 'NotFoundException' || error.name === 'NotFound',
    );
    const ok = await sns.send(
      new PublishCommand({ TopicArn: parts.sns.arnOf('ShopperNotificationsTopic'), Message: 'hello' }),
    );
    assert.equal(typeof ok.MessageId, 'string');
  });
});

describe('AppConfigData stand-in (real SDK client) and /local/appconfig', () => {
  const client = () => new AppConfigDataClient({ ...AWS, endpoint: `${url}${STAND_IN_PATHS.appconfigdata}` });
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

    const rejected = await http('PUT', '/local/appconfig', { venues: {}, features: { queue: 'off' } });
    assert.equal(rejected.status, 400);
    assert.equal(rejected.json.error.code, 'VALIDATION_FAILED');
    assert.deepEqual((await http('GET', '/local/appconfig')).json, rulesDoc);

    const next = { venues: {}, features: { queue: false, pickup: true, campaigns: true } };
    assert.equal((await http('PUT', '/local/appconfig', next)).status, 200);
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
