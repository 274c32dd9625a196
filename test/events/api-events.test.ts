/**
 * The sample API Gateway events in events/api (also for `sam local invoke -e`): one per route,
 * each routes to its route, carries JWT claims on protected routes, and succeeds when handed to
 * the API with a real token for the same subject and groups.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { matchRoute } from '../../src/http/router.ts';
import { ROUTES, routeKey } from '../../src/http/routes.ts';
import { createHarness, type Harness, mintToken } from '../helpers/api-harness.ts';
import { assertDocumentedResponse } from '../helpers/openapi.ts';

const DIR = resolve(import.meta.dirname, '../../events/api');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (file: string) =>
  JSON.parse(readFileSync(resolve(DIR, file), 'utf8')) as APIGatewayProxyEventV2 & {
    requestContext: { authorizer?: { jwt: { claims: Record<string, string> } } };
  };

const SHOPPER = '7d9c3a52-0000-4000-8000-00000000a11c';
const at = (iso: string) => new Date(iso).toISOString();

/** The objects the sample ids point at, as each sample needs them. */
function seed(h: Harness, number: number): void {
  const s = h.memory.state;
  const base = {
    venueId: 'flagship-001',
    createdAt: at('2026-11-30T10:00:00Z'),
    updatedAt: at('2026-11-30T10:00:00Z'),
  };
  s.catalog.set('evt-demo-1', {
    ...base,
    eventId: 'evt-demo-1',
    kind: 'event',
    title: 'Sneaker launch',
    status: 'published',
    capacity: 40,
    booked: 0,
    startsAt: at('2026-12-01T15:10:00Z'),
    endsAt: at('2026-12-01T16:00:00Z'),
  });
  if (number === 8 || number === 10) {
    s.reservations.set('res-demo-1', {
      ...base,
      reservationId: 'res-demo-1',
      userId: SHOPPER,
      type: 'event',
      eventId: 'evt-demo-1',
      partySize: 1,
      status: 'confirmed',
      startsAt: at('2026-12-01T15:10:00Z'),
      endsAt: at('2026-12-01T16:00:00Z'),
    });
  }
  if (number === 9 || number === 23) {
    s.slots.set('flagship-001-20261201T1500Z', {
      slotId: 'flagship-001-20261201T1500Z',
      venueId: 'flagship-001',
      startsAt: at('2026-12-01T15:00:00Z'),
      endsAt: at('2026-12-01T15:30:00Z'),
      capacity: 4,
      booked: 0,
      remaining: 4,
    });
  }
  if (number === 12 || number === 13 || number === 21) {
    s.tickets.set('tkt-demo-1', {
      ticketId: 'tkt-demo-1',
      venueId: 'flagship-001',
      userId: SHOPPER,
      serviceKind: 'returns',
      partySize: 1,
      accessibility: false,
      status: number === 21 ? 'called' : 'waiting',
      joinedAt: at('2026-12-01T14:50:00Z'),
      version: 1,
    });
  }
}

describe('sample API events (events/api)', () => {
  it('has one event per route', () => {
    assert.equal(files.length, ROUTES.length);
    assert.deepEqual(files.map((f) => load(f).routeKey).sort(), ROUTES.map(routeKey).sort());
  });

  for (const file of files) {
    it(`${file} routes, carries claims where needed, and succeeds`, async () => {
      const event = load(file);
      const match = matchRoute(event);
      assert.ok(match, 'routes to a known route');
      assert.equal(routeKey(match.route), event.routeKey);
      const claims = event.requestContext.authorizer?.jwt.claims;
      if (match.route.access !== 'public') {
        assert.ok(claims?.sub, 'protected routes carry JWT claims with sub');
        assert.equal(claims.token_use, 'access');
      }
      const h = await createHarness();
      seed(h, Number(file.slice(0, 2)));
      const headers = { ...event.headers };
      if (claims) {
        const groups =
          claims['cognito:groups']
            ?.replace(/^\[|\]$/g, '')
            .split(/[ ,]+/)
            .filter(Boolean) ?? [];
        headers.authorization = `Bearer ${await mintToken({ sub: claims.sub, groups })}`;
      }
      const result = (await h.api({ ...event, headers })) as APIGatewayProxyStructuredResultV2;
      const body = result.body ? JSON.parse(result.body) : undefined;
      assert.ok((result.statusCode ?? 0) < 300, `${result.statusCode} ${result.body}`);
      assertDocumentedResponse(event.routeKey, result.statusCode ?? 0, body);
    });
  }
});
