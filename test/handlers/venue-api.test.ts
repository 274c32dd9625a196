/**
 * The bundled composition root: the real handler module, built from environment variables as
 * in Lambda, against DynamoDB Local and a small wire-compatible stand-in for AppConfigData,
 * EventBridge PutEvents and the Cognito JWKS.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { demoRules } from '../fakes/demo-rules.ts';
import { apiEvent, CLIENT_ID, ISSUER, mintToken, PUBLIC_JWK } from '../helpers/api-harness.ts';
import { useTables } from '../helpers/dynamodb.ts';

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const putEvents: Array<{ Source: string; DetailType: string; Detail: string; EventBusName: string }> = [];
const rules = JSON.stringify(demoRules());

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const standIn = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const body = await bodyOf(req);
  if (url.pathname === '/jwks.json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [PUBLIC_JWK] }));
  } else if (req.method === 'POST' && url.pathname === '/configurationsessions') {
    res
      .writeHead(201, { 'content-type': 'application/json' })
      .end(JSON.stringify({ InitialConfigurationToken: 't0' }));
  } else if (req.method === 'GET' && url.pathname === '/configuration') {
    res
      .writeHead(200, {
        'content-type': 'application/json',
        'next-poll-configuration-token': 't1',
        'next-poll-interval-in-seconds': '15',
        'version-label': '7',
      })
      .end(rules);
  } else if (String(req.headers['x-amz-target']).endsWith('.PutEvents')) {
    const entries = JSON.parse(body).Entries;
    putEvents.push(...entries);
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(
      JSON.stringify({
        FailedEntryCount: 0,
        Entries: entries.map((_: unknown, i: number) => ({ EventId: `e${i}` })),
      }),
    );
  } else {
    res.writeHead(404).end();
  }
});

describe('venue-api handler (composition root)', () => {
  let handler: Handler;

  before(async () => {
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
    const { endpoint, tables } = await useTables();
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: endpoint,
      APPCONFIG_ENDPOINT: base,
      EVENTBRIDGE_ENDPOINT: base,
      EVENTS_TABLE: tables.events,
      RESERVATIONS_TABLE: tables.reservations,
      PICKUP_SLOTS_TABLE: tables.pickupSlots,
      QUEUE_STATE_TABLE: tables.queueState,
      PREFERENCES_TABLE: tables.preferences,
      JWT_ISSUER: ISSUER,
      JWKS_URL: `${base}/jwks.json`,
      JWT_CLIENT_ID: CLIENT_ID,
      APPCONFIG_APPLICATION: 'venue-hub',
      APPCONFIG_ENVIRONMENT: 'test',
      APPCONFIG_PROFILE: 'venue-rules',
      EVENT_BUS_NAME: 'venue-hub-test',
    });
    ({ handler } = (await import('../../src/handlers/venue-api.ts')) as unknown as { handler: Handler });
  });

  after(() => standIn.close());

  it('serves health with the deployed rules version', async () => {
    const res = await handler(apiEvent('GET', '/health'));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(JSON.parse(res.body ?? ''), { status: 'ok', configVersion: '7' });
  });

  it('creates, books and publishes BookingConfirmed to the bus', async () => {
    const operator = await mintToken({ sub: 'op-1', groups: ['operators'] });
    const created = await handler(
      apiEvent('POST', '/venues/flagship-001/events', {
        token: operator,
        body: {
          kind: 'event',
          title: 'Launch',
          capacity: 2,
          startsAt: new Date(Date.now() + 86_400_000).toISOString(),
          endsAt: new Date(Date.now() + 90_000_000).toISOString(),
        },
      }),
    );
    assert.equal(created.statusCode, 201, created.body);
    const eventId = JSON.parse(created.body ?? '').event.eventId;
    const shopper = await mintToken({ sub: 'shopper-1' });
    const booked = await handler(
      apiEvent('POST', `/events/${eventId}/reservations`, { token: shopper, body: { partySize: 1 } }),
    );
    assert.equal(booked.statusCode, 201, booked.body);
    const reservationId = JSON.parse(booked.body ?? '').reservation.reservationId;
    assert.equal(putEvents.length, 1);
    assert.equal(putEvents[0]?.Source, 'venue.hub');
    assert.equal(putEvents[0]?.DetailType, 'BookingConfirmed');
    assert.equal(putEvents[0]?.EventBusName, 'venue-hub-test');
    assert.equal(JSON.parse(putEvents[0]?.Detail ?? '{}').reservationId, reservationId);
    const anonymous = await handler(apiEvent('GET', '/me/reservations'));
    assert.equal(anonymous.statusCode, 401);
  });
});
