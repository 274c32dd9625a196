/**
 * The role matrix, generated from the router's route table: every route × {anonymous,
 * shopper, another shopper, operator} → the expected status. Public routes serve anyone;
 * shopper routes need a token (401); operator routes need the operators group (403);
 * owner-or-operator routes answer another shopper 404. A route added to the table without a
 * request here fails the test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROUTES, type Route, routeKey } from '../../src/http/routes.ts';
import { demoRules, demoVenue } from '../fakes/demo-rules.ts';
import { createEvent, createHarness, type Harness, type UserName } from '../helpers/api-harness.ts';

interface Fixture {
  eventId: string;
  otherEventId: string;
  slotId: string;
  reservationId: string;
  ticketId: string;
  calledTicketId: string;
}

/** Alice owns a reservation (in its check-in window) and a waiting ticket; Bob's ticket is called. */
async function setUp(h: Harness): Promise<Fixture> {
  const event = await createEvent(h, {
    startsAt: '2026-12-01T15:10:00.000Z',
    endsAt: '2026-12-01T16:00:00.000Z',
  });
  const other = await createEvent(h, { title: 'Other' });
  const slots = await h.call('POST', '/venues/flagship-001/pickup-slots', {
    as: 'olivia',
    body: { date: '2026-12-01', from: '11:00', to: '12:00', slotMinutes: 30, capacity: 5 },
  });
  const r = await h.call('POST', `/events/${event.eventId}/reservations`, {
    as: 'alice',
    body: { partySize: 1 },
  });
  const bobTicket = await h.call('POST', '/venues/flagship-001/queue/tickets', {
    as: 'bob',
    body: { serviceKind: 'returns', partySize: 1 },
  });
  await h.call('POST', '/venues/flagship-001/lanes/L1/call-next', { as: 'olivia' });
  h.clock.advanceMinutes(1);
  const aliceTicket = await h.call('POST', '/venues/flagship-001/queue/tickets', {
    as: 'alice',
    body: { serviceKind: 'returns', partySize: 1 },
  });
  return {
    eventId: event.eventId,
    otherEventId: other.eventId,
    slotId: slots.body.items[0].slotId,
    reservationId: r.body.reservation.reservationId,
    ticketId: aliceTicket.body.ticket.ticketId,
    calledTicketId: bobTicket.body.ticket.ticketId,
  };
}

const prefs = {
  channels: { email: true, sms: false },
  interests: [],
  language: 'en',
  accessibility: false,
  marketingOptIn: false,
};

/** One valid request per route, and the status an authorized caller gets. */
const REQUESTS: Record<string, (f: Fixture) => { path: string; body?: unknown; ok: number }> = {
  'GET /health': () => ({ path: '/health', ok: 200 }),
  'GET /venues/{venueId}/events': () => ({ path: '/venues/flagship-001/events', ok: 200 }),
  'GET /venues/{venueId}/products': () => ({ path: '/venues/flagship-001/products', ok: 200 }),
  'GET /events/{eventId}': (f) => ({ path: `/events/${f.eventId}`, ok: 200 }),
  'GET /venues/{venueId}/pickup-slots': () => ({
    path: '/venues/flagship-001/pickup-slots?date=2026-12-01',
    ok: 200,
  }),
  'POST /events/{eventId}/reservations': (f) => ({
    path: `/events/${f.otherEventId}/reservations`,
    body: { partySize: 1 },
    ok: 201,
  }),
  'GET /me/reservations': () => ({ path: '/me/reservations', ok: 200 }),
  'DELETE /reservations/{reservationId}': (f) => ({ path: `/reservations/${f.reservationId}`, ok: 200 }),
  'POST /pickup-slots/{slotId}/bookings': (f) => ({
    path: `/pickup-slots/${f.slotId}/bookings`,
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
    body: { date: '2026-12-02', from: '10:00', to: '11:00', slotMinutes: 30, capacity: 3 },
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

type Role = 'anonymous' | UserName;
const ROLES: Role[] = ['anonymous', 'alice', 'bob', 'olivia'];

function expected(route: Route, role: Role, ok: number): number {
  if (route.access === 'public') return ok;
  if (role === 'anonymous') return 401;
  if (route.access === 'operator') return role === 'olivia' ? ok : 403;
  if (route.owned && role === 'bob') return 404;
  return ok;
}

describe('role matrix', () => {
  it('has a request for every route of the table (21 routes)', () => {
    assert.equal(ROUTES.length, 21);
    assert.deepEqual(Object.keys(REQUESTS).sort(), ROUTES.map(routeKey).sort());
  });

  for (const route of ROUTES) {
    for (const role of ROLES) {
      it(`${routeKey(route)} as ${role}`, async () => {
        const rules = demoRules();
        rules.venues['flagship-002'] = demoVenue({ name: 'Second store' });
        const h = await createHarness({ rules });
        const fixture = await setUp(h);
        const request = REQUESTS[routeKey(route)]?.(fixture);
        assert.ok(request);
        const res = await h.call(route.method, request.path, {
          ...(role === 'anonymous' ? {} : { as: role }),
          ...(request.body === undefined ? {} : { body: request.body }),
        });
        assert.equal(res.status, expected(route, role, request.ok), JSON.stringify(res.body));
        if (res.status >= 400) assert.equal(typeof res.body.error.code, 'string');
      });
    }
  }
});
