/**
 * AppConfig faults, end to end through the API: the real AppConfigData client and
 * `AppConfigRulesProvider`, talking over HTTP to the hub's AppConfigData stand-in behind a
 * switch that can make it unreachable or make it serve a document that fails the schema.
 * Unreachable → the last good rules stay in force (not defaults, not a 500); a document that
 * fails the schema never takes effect, whether the deployment is refused up front (the hub's
 * `PUT /local/appconfig` path, as AppConfig's validator would) or somehow served anyway.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createLocalJWKSet } from 'jose';
import { AppConfigRulesProvider } from '../../src/adapters/appconfig/rules-provider.ts';
import { ValidationFailed } from '../../src/domain/errors.ts';
import type { RulesDocument } from '../../src/domain/rules.ts';
import { createVenueApi } from '../../src/http/app.ts';
import { createJwtVerifier } from '../../src/http/auth.ts';
import { LocalRulesStore } from '../../src/local/rules-store.ts';
import { AppConfigDataStandIn } from '../../src/local/stand-ins/appconfigdata.ts';
import { loadVenueRulesFromTemplate, validateRules } from '../../src/local/venue-rules.ts';
import { createLogger } from '../../src/observability/log.ts';
import { createMemoryStores, FakeClock, FakePublisher } from '../fakes/index.ts';
import { apiEvent, CLIENT_ID, ISSUER, mintToken, PUBLIC_JWK } from '../helpers/api-harness.ts';
import { assertDocumentedResponse } from '../helpers/openapi.ts';

const SETTINGS = { application: 'venue-hub', environment: 'local', profile: 'venue-rules', pollSeconds: 15 };
const { document, schema } = loadVenueRulesFromTemplate();
const store = new LocalRulesStore(document, (doc) => validateRules(doc, schema));
const standIn = new AppConfigDataStandIn({ ...SETTINGS, current: () => override ?? store.current() });
let override: { content: string; version: string } | undefined;
let down = false;

const server = createServer((req, res) => {
  if (down) {
    req.socket.destroy();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://x');
    const out = standIn.handle(req.method ?? 'GET', url.pathname, url.searchParams, Buffer.concat(chunks));
    res.writeHead(out.status, out.headers).end(out.body);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

let nowMs = Date.parse('2026-12-01T15:00:00.000Z');
function provider(): AppConfigRulesProvider {
  const client = new AppConfigDataClient({
    region: 'us-east-1',
    endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  after(() => client.destroy());
  return new AppConfigRulesProvider(client, SETTINGS, undefined, () => nowMs);
}

function apiWith(rules: AppConfigRulesProvider) {
  const api = createVenueApi({
    stores: createMemoryStores(),
    rules,
    publisher: new FakePublisher(),
    verifier: createJwtVerifier({
      issuer: ISSUER,
      clientId: CLIENT_ID,
      keys: createLocalJWKSet({ keys: [PUBLIC_JWK] }),
    }),
    clock: new FakeClock(new Date('2026-12-01T15:00:00.000Z')),
    logger: createLogger('venue-api', { level: 'error', sink: () => undefined }),
    metricsSink: () => undefined,
  });
  const call = async (method: string, path: string, options: { body?: unknown; token?: string } = {}) => {
    const event = apiEvent(method, path, options);
    const res = (await api(event)) as APIGatewayProxyStructuredResultV2;
    const body = res.body ? JSON.parse(res.body) : undefined;
    assertDocumentedResponse(event.routeKey, res.statusCode ?? 0, body);
    return { status: res.statusCode ?? 0, body };
  };
  return { call };
}

function withPartyCap(max: number): RulesDocument {
  const doc = structuredClone(document);
  for (const venue of Object.values(doc.venues)) venue.maxPartySize = max;
  return doc;
}

const advance = (seconds: number) => {
  nowMs += seconds * 1000;
};

describe('AppConfig faults through the API', () => {
  it('unreachable → the last good rules stay in force; schema failures never take effect', async () => {
    const { call } = apiWith(provider());
    const operator = await mintToken({ sub: 'user-op', groups: ['operators'] });
    const created = await call('POST', '/venues/flagship-001/events', {
      token: operator,
      body: {
        kind: 'event',
        title: 'Fair',
        capacity: 100,
        startsAt: '2026-12-03T15:00:00.000Z',
        endsAt: '2026-12-03T16:00:00.000Z',
      },
    });
    const book = (partySize: number, sub: string) =>
      mintToken({ sub }).then((token) =>
        call('POST', `/events/${created.body.event.eventId}/reservations`, { token, body: { partySize } }),
      );
    assert.equal((await call('GET', '/health')).body.configVersion, '1');
    assert.equal((await book(6, 'u-six')).status, 201);

    // a good deployment is picked up after the poll interval
    store.deploy(withPartyCap(2));
    advance(16);
    assert.equal((await call('GET', '/health')).body.configVersion, '2');
    assert.equal((await book(3, 'u-three')).status, 400);

    // AppConfig unreachable for several poll intervals: version 2 stays, nothing breaks
    down = true;
    for (let i = 0; i < 3; i++) {
      advance(16);
      const health = await call('GET', '/health');
      assert.equal(health.status, 200);
      assert.equal(health.body.configVersion, '2');
      assert.equal((await book(3, `u-down-${i}`)).status, 400, 'the cap of version 2, not a default');
      // the public profile (ADR 0417) reads the same last good copy
      const profile = await call('GET', '/venues/flagship-001');
      assert.equal(profile.status, 200);
      assert.equal(profile.body.venue.maxPartySize, 2);
      assert.equal((await book(2, `u-down-${i}`)).status, 201);
    }
    down = false;

    // a deployment that fails the schema is refused and changes nothing (PUT /local/appconfig)
    const broken = withPartyCap(2) as unknown as { venues: Record<string, Record<string, unknown>> };
    (broken.venues['flagship-001'] as Record<string, unknown>).maxPartySize = 'six';
    assert.throws(() => store.deploy(broken), ValidationFailed);
    assert.throws(() => store.deploy({ venues: {} }), ValidationFailed);
    assert.equal(store.current().version, '2');
    advance(16);
    assert.equal((await call('GET', '/health')).body.configVersion, '2');

    // even if a malformed document were served, the provider keeps the last good copy
    for (const content of ['{"venues": 5}', 'not json', JSON.stringify(broken)]) {
      override = { content, version: `bad-${content.length}` };
      advance(16);
      const health = await call('GET', '/health');
      assert.equal(health.body.configVersion, '2', `served ${content}`);
      assert.equal((await book(3, 'u-bad')).status, 400);
    }
    override = undefined;
  });

  it('unreachable on the very first load → 503 SERVICE_UNAVAILABLE (never 500), then recovers', async () => {
    const { call } = apiWith(provider());
    down = true;
    const first = await call('GET', '/health');
    const profile = await call('GET', '/venues/flagship-001');
    down = false;
    assert.equal(first.status, 503, JSON.stringify(first.body));
    assert.equal(first.body.error.code, 'SERVICE_UNAVAILABLE');
    assert.equal(profile.status, 503, JSON.stringify(profile.body));
    assert.equal(profile.body.error.code, 'SERVICE_UNAVAILABLE');
    advance(2);
    const later = await call('GET', '/health');
    assert.equal(later.status, 200);
  });
});
