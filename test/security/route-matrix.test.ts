/**
 * Route × role matrix generated from template.yaml: every `HttpApi` event of the deployed API
 * is called as anonymous, a shopper, another shopper and an operator, over the real DynamoDB
 * adapters, and must answer what DESIGN.md §2–3 prescribes. Who may call a route comes from two
 * independent sources that must agree: the template (public = `Authorizer: NONE`) and the "Who"
 * column of DESIGN.md §3 written out below; the router's own table is only checked against them.
 *
 * Object-level authorization (OWASP API1): on every route whose path takes a reservation or a
 * ticket, another shopper gets 404 and the object is left as it was; preferences are only ever
 * the caller's own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROUTES, routeKey } from '../../src/http/routes.ts';
import { loadTemplate } from '../../src/local/cfn-template.ts';
import { readHttpApiRoutes } from '../../src/local/http-api-routes.ts';
import { ROOT_TEMPLATE } from '../../src/local/venue-rules.ts';
import { createEvent } from '../helpers/api-harness.ts';
import { dynamoBed, type Person, person } from './support.ts';

const TEMPLATE_ROUTES = readHttpApiRoutes(loadTemplate(ROOT_TEMPLATE));

/** DESIGN.md §3, column "Who", for the routes that need more than any valid token. */
const OPERATOR_ONLY = new Set([
  'POST /venues/{venueId}/events',
  'PATCH /events/{eventId}',
  'POST /venues/{venueId}/pickup-slots',
  'GET /venues/{venueId}/queue',
  'POST /venues/{venueId}/lanes/{laneId}/call-next',
  'POST /queue/tickets/{ticketId}/complete',
  // beyond DESIGN.md §3 (ADR 0416)
  'GET /pickup-slots/{slotId}/reservations',
]);
const OWNER_OR_OPERATOR = new Set([
  'DELETE /reservations/{reservationId}',
  'POST /reservations/{reservationId}/check-in',
  'GET /queue/tickets/{ticketId}',
  'DELETE /queue/tickets/{ticketId}',
]);

const bed = await dynamoBed();
const { h } = bed;
const operator = await person('olivia', ['operators']);
// one set of pickup slots for the whole file (their ids are derived from venue and start)
const slotDay = await bed.as(operator, 'POST', '/venues/flagship-001/pickup-slots', {
  body: { date: '2026-12-01', from: '11:00', to: '12:00', slotMinutes: 30, capacity: 1000 },
});
const slotId: string = slotDay.body.items[0].slotId;

interface Cast {
  alice: Person;
  bob: Person;
  olivia: Person;
}

interface Fixture {
  eventId: string;
  otherEventId: string;
  reservationId: string;
  ticketId: string;
  calledTicketId: string;
}

/** Alice owns a reservation inside its check-in window and a waiting ticket; one ticket is called. */
async function setUp(cast: Cast): Promise<Fixture> {
  const event = await createEvent(h, {
    startsAt: '2026-12-01T15:10:00.000Z',
    endsAt: '2026-12-01T16:00:00.000Z',
  });
  const other = await createEvent(h, { title: 'Other' });
  const r = await bed.as(cast.alice, 'POST', `/events/${event.eventId}/reservations`, {
    body: { partySize: 1 },
  });
  await bed.as(cast.bob, 'POST', '/venues/flagship-001/queue/tickets', {
    body: { serviceKind: 'consultation', partySize: 1 },
  });
  const called = await bed.as(operator, 'POST', '/venues/flagship-001/lanes/L4/call-next');
  const ticket = await bed.as(cast.alice, 'POST', '/venues/flagship-001/queue/tickets', {
    body: { serviceKind: 'returns', partySize: 1 },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(called.status, 200, JSON.stringify(called.body));
  assert.equal(ticket.status, 201, JSON.stringify(ticket.body));
  return {
    eventId: event.eventId,
    otherEventId: other.eventId,
    reservationId: r.body.reservation.reservationId,
    ticketId: ticket.body.ticket.ticketId,
    calledTicketId: called.body.ticket.ticketId,
  };
}

const prefs = {
  channels: { email: true, sms: false },
  email: 'alice@example.com',
  interests: ['sneakers'],
  language: 'en',
  accessibility: false,
  marketingOptIn: false,
};

/** One valid request per template route, and the status a permitted caller gets. */
const REQUESTS: Record<string, (f: Fixture) => { path: string; body?: unknown; ok: number }> = {
  'GET /health': () => ({ path: '/health', ok: 200 }),
  'GET /venues/{venueId}/events': () => ({ path: '/venues/flagship-001/events', ok: 200 }),
  'GET /venues/{venueId}/products': () => ({ path: '/venues/flagship-001/products', ok: 200 }),
  'GET /events/{eventId}': (f) => ({ path: `/events/${f.eventId}`, ok: 200 }),
  'GET /venues/{venueId}/pickup-slots': () => ({
    path: '/venues/flagship-001/pickup-slots?date=2026-12-01',
    ok: 200,
  }),
  'GET /venues/{venueId}': () => ({ path: '/venues/flagship-001', ok: 200 }),
  'POST /events/{eventId}/reservations': (f) => ({
    path: `/events/${f.otherEventId}/reservations`,
    body: { partySize: 2 },
    ok: 201,
  }),
  'GET /me/reservations': () => ({ path: '/me/reservations', ok: 200 }),
  'GET /me/queue/tickets': () => ({ path: '/me/queue/tickets', ok: 200 }),
  'GET /pickup-slots/{slotId}/reservations': () => ({
    path: `/pickup-slots/${slotId}/reservations`,
    ok: 200,
  }),
  'DELETE /reservations/{reservationId}': (f) => ({ path: `/reservations/${f.reservationId}`, ok: 200 }),
  'POST /pickup-slots/{slotId}/bookings': () => ({
    path: `/pickup-slots/${slotId}/bookings`,
    body: { orderRef: 'ORD-7' },
    ok: 201,
  }),
  'POST /reservations/{reservationId}/check-in': (f) => ({
    path: `/reservations/${f.reservationId}/check-in`,
    ok: 200,
  }),
  'POST /venues/{venueId}/queue/tickets': () => ({
    path: '/venues/flagship-002/queue/tickets',
    body: { serviceKind: 'pickup', partySize: 1 },
    ok: 201,
  }),
  'GET /queue/tickets/{ticketId}': (f) => ({ path: `/queue/tickets/${f.ticketId}`, ok: 200 }),
  'DELETE /queue/tickets/{ticketId}': (f) => ({ path: `/queue/tickets/${f.ticketId}`, ok: 200 }),
  'GET /me/preferences': () => ({ path: '/me/preferences', ok: 200 }),
  'PUT /me/preferences': () => ({ path: '/me/preferences', body: prefs, ok: 200 }),
  'POST /venues/{venueId}/events': () => ({
    path: '/venues/flagship-001/events',
    body: { kind: 'product', title: 'Cap', priceCents: 900 },
    ok: 201,
  }),
  'PATCH /events/{eventId}': (f) => ({ path: `/events/${f.eventId}`, body: { title: 'Renamed' }, ok: 200 }),
  'POST /venues/{venueId}/pickup-slots': () => ({
    path: '/venues/flagship-001/pickup-slots',
    body: { date: '2026-12-03', from: '10:00', to: '10:30', slotMinutes: 30, capacity: 3 },
    ok: 201,
  }),
  'GET /venues/{venueId}/queue': () => ({ path: '/venues/flagship-001/queue', ok: 200 }),
  'POST /venues/{venueId}/lanes/{laneId}/call-next': () => ({
    path: '/venues/flagship-001/lanes/L1/call-next',
    ok: 200,
  }),
  'POST /queue/tickets/{ticketId}/complete': (f) => ({
    path: `/queue/tickets/${f.calledTicketId}/complete`,
    body: { outcome: 'served' },
    ok: 200,
  }),
};

type Role = 'anonymous' | 'shopper' | 'another shopper' | 'operator';
const ROLES: Role[] = ['anonymous', 'shopper', 'another shopper', 'operator'];

function expected(route: (typeof TEMPLATE_ROUTES)[number], role: Role, ok: number): number {
  if (!route.protected) return ok;
  if (role === 'anonymous') return 401;
  if (OPERATOR_ONLY.has(route.routeKey)) return role === 'operator' ? ok : 403;
  if (OWNER_OR_OPERATOR.has(route.routeKey) && role === 'another shopper') return 404;
  return ok;
}

/** The state of the objects another shopper must not be able to touch. */
async function aliceObjects(cast: Cast, f: Fixture) {
  const mine = await bed.as(cast.alice, 'GET', '/me/reservations');
  const ticket = await bed.as(cast.alice, 'GET', `/queue/tickets/${f.ticketId}`);
  const reservation = mine.body.items.find(
    (r: { reservationId: string }) => r.reservationId === f.reservationId,
  );
  return { reservation: reservation?.status, ticket: ticket.body.ticket?.status };
}

describe('route × role matrix from template.yaml', () => {
  it('the template, DESIGN.md (and ADRs 0415–0417) and the router agree on the routes and who may call them', () => {
    // DESIGN.md §3's 21, a shopper's own tickets (ADR 0415), a slot's reservations (ADR 0416),
    // a venue's public profile (ADR 0417)
    assert.equal(TEMPLATE_ROUTES.length, 24);
    assert.deepEqual(Object.keys(REQUESTS).sort(), TEMPLATE_ROUTES.map((r) => r.routeKey).sort());
    assert.ok(TEMPLATE_ROUTES.every((r) => r.functionId === 'VenueApiFunction'));
    const routerAccess = new Map(ROUTES.map((r) => [routeKey(r), r]));
    for (const route of TEMPLATE_ROUTES) {
      const inRouter = routerAccess.get(route.routeKey);
      assert.ok(inRouter, `${route.routeKey} is not in the router`);
      assert.equal(
        inRouter.access === 'public',
        !route.protected,
        `${route.routeKey}: public in one place only`,
      );
      assert.equal(inRouter.access === 'operator', OPERATOR_ONLY.has(route.routeKey), route.routeKey);
      assert.equal(inRouter.owned === true, OWNER_OR_OPERATOR.has(route.routeKey), route.routeKey);
    }
    // routes 1–5 and the venue profile (ADR 0417)
    assert.equal(TEMPLATE_ROUTES.filter((r) => !r.protected).length, 6);
  });

  for (const route of TEMPLATE_ROUTES) {
    it(`${route.routeKey}: ${ROLES.join(', ')}`, async () => {
      // a fresh fixture whenever the previous caller changed something
      let cast: Cast | undefined;
      let f: Fixture | undefined;
      for (const role of ROLES) {
        if (!cast || !f) {
          cast = {
            alice: await person('alice'),
            bob: await person('bob'),
            olivia: await person('olivia', ['operators']),
          };
          f = await setUp(cast);
        }
        const request = REQUESTS[route.routeKey]?.(f);
        assert.ok(request, `no request for ${route.routeKey}`);
        const who = {
          anonymous: undefined,
          shopper: cast.alice,
          'another shopper': cast.bob,
          operator: cast.olivia,
        }[role];
        const before = await aliceObjects(cast, f);
        const res = await bed.as(who, route.method, request.path, {
          ...(request.body === undefined ? {} : { body: request.body }),
        });
        const want = expected(route, role, request.ok);
        assert.equal(res.status, want, `${role}: ${JSON.stringify(res.body)}`);
        if (res.status >= 400) {
          assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'details', 'message', 'requestId']);
        }
        if (want >= 400) {
          // a refused request changed nothing of Alice's
          assert.deepEqual(await aliceObjects(cast, f), before, `${role} changed Alice's objects`);
        } else if (route.method !== 'GET') {
          f = undefined;
        }
      }
    });
  }
});

describe("another user's objects", () => {
  it('answer 404 on every route that takes a reservation or ticket id, as if they did not exist', async () => {
    const cast: Cast = { alice: await person('alice'), bob: await person('bob'), olivia: operator };
    const f = await setUp(cast);
    const owned = TEMPLATE_ROUTES.filter(
      (r) => /\{(reservationId|ticketId)\}/.test(r.path) && !OPERATOR_ONLY.has(r.routeKey),
    );
    assert.equal(owned.length, 4);
    for (const route of owned) {
      const path = route.path.replace('{reservationId}', f.reservationId).replace('{ticketId}', f.ticketId);
      const theirs = await bed.as(cast.bob, route.method, path);
      const missing = await bed.as(cast.bob, route.method, route.path.replace(/\{\w+\}/, 'no-such-object'));
      assert.equal(theirs.status, 404, route.routeKey);
      assert.equal(missing.status, 404, route.routeKey);
      // the same answer as for an id that does not exist: nothing tells the two apart
      assert.equal(theirs.body.error.code, missing.body.error.code);
      assert.equal(theirs.body.error.message, missing.body.error.message);
    }
    const mine = await bed.as(cast.bob, 'GET', '/me/reservations');
    assert.ok(mine.body.items.every((r: { userId: string }) => r.userId === cast.bob.sub));
    // the lists of one's own things take no user from the request
    const tickets = await bed.as(cast.bob, 'GET', '/me/queue/tickets');
    assert.ok(tickets.body.items.length > 0);
    assert.ok(tickets.body.items.every((t: { userId: string }) => t.userId === cast.bob.sub));
    assert.ok(!tickets.body.items.some((t: { ticketId: string }) => t.ticketId === f.ticketId));
    const asked = await bed.as(cast.bob, 'GET', `/me/queue/tickets?userId=${cast.alice.sub}`);
    assert.equal(asked.status, 400);
    assert.equal(asked.body.error.details[0].path, 'userId');
  });

  it("preferences are always the caller's own: no id to guess, no userId accepted", async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    assert.equal((await bed.as(alice, 'PUT', '/me/preferences', { body: prefs })).status, 200);
    const bobs = await bed.as(bob, 'GET', '/me/preferences');
    assert.equal(bobs.status, 200);
    assert.equal(bobs.body.preferences.email, undefined);
    const hijack = await bed.as(bob, 'PUT', '/me/preferences', {
      body: { ...prefs, email: 'bob@example.com', userId: alice.sub },
    });
    assert.equal(hijack.status, 400);
    assert.ok(hijack.body.error.details.some((d: { path: string }) => d.path === 'userId'));
    // a userId in the query is not a way in either: it is ignored, and Bob still gets his own
    const query = await bed.as(bob, 'GET', `/me/preferences?userId=${alice.sub}`);
    assert.equal(query.body.preferences?.email, undefined);
    assert.equal((await bed.as(alice, 'GET', '/me/preferences')).body.preferences.email, 'alice@example.com');
  });
});
