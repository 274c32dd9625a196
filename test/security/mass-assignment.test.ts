/**
 * Property-level authorization (OWASP API3), over the real DynamoDB adapters.
 *
 * In: every write route of template.yaml, given its valid body plus one server-owned field
 * (status, userId, booked, version, remaining, table keys, ids, timestamps…), answers 400
 * VALIDATION_FAILED naming that field, and writes nothing.
 *
 * Out: a whole workflow is walked (catalog, slots, bookings, check-in, queue, board, call-next,
 * complete, preferences, cancel) and every response is searched, at any depth, for attribute
 * names that exist only in storage. That set is not guessed: it is read from the items the
 * workflow left in the tables, minus the property names openapi.yaml documents.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { loadTemplate } from '../../src/local/cfn-template.ts';
import { readHttpApiRoutes } from '../../src/local/http-api-routes.ts';
import { ROOT_TEMPLATE } from '../../src/local/venue-rules.ts';
import { createEvent, type Reply } from '../helpers/api-harness.ts';
import { OPENAPI } from '../helpers/openapi.ts';
import { dynamoBed, type Person, person } from './support.ts';

const WRITE_ROUTES = readHttpApiRoutes(loadTemplate(ROOT_TEMPLATE)).filter((r) => r.method !== 'GET');

/** Fields a client never sets on any route (server-owned state, keys, bookkeeping). */
const SERVER_OWNED = [
  'status',
  'userId',
  'booked',
  'remaining',
  'version',
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'reservationId',
  'ticketId',
  'eventId',
  'slotId',
  'venueId',
  'createdAt',
  'updatedAt',
  'position',
  'etaAt',
  'laneId',
  'joinedAt',
  'calledAt',
  'expiresAt',
  'isOperator',
  'groups',
  '__proto__',
];

/** What a route legitimately accepts of the list above (DESIGN.md §3). */
const ACCEPTED: Record<string, string[]> = {
  'POST /venues/{venueId}/events': ['status'],
  'PATCH /events/{eventId}': ['status'],
};

const bed = await dynamoBed();
const operator = await person('olivia', ['operators']);
const slots = await bed.as(operator, 'POST', '/venues/flagship-001/pickup-slots', {
  body: { date: '2026-12-01', from: '10:00', to: '12:00', slotMinutes: 30, capacity: 100 },
});
const slotId: string = slots.body.items[0].slotId;
const event = await createEvent(bed.h, {
  startsAt: '2026-12-01T15:10:00.000Z',
  endsAt: '2026-12-01T16:00:00.000Z',
});

const prefs = {
  channels: { email: true, sms: true },
  phone: '+12125550100',
  interests: ['coffee'],
  language: 'en',
  accessibility: true,
  marketingOptIn: false,
};

/** A valid request for each write route, made by a fresh shopper (or the operator). */
async function validRequest(
  routeKey: string,
  shopper: Person,
): Promise<{ path: string; body: object; who: Person }> {
  const book = () =>
    bed.as(shopper, 'POST', `/events/${event.eventId}/reservations`, { body: { partySize: 1 } });
  const join = () =>
    bed.as(shopper, 'POST', '/venues/flagship-001/queue/tickets', {
      body: { serviceKind: 'returns', partySize: 1 },
    });
  switch (routeKey) {
    case 'POST /events/{eventId}/reservations':
      return { path: `/events/${event.eventId}/reservations`, body: { partySize: 1 }, who: shopper };
    case 'DELETE /reservations/{reservationId}':
      return {
        path: `/reservations/${(await book()).body.reservation.reservationId}`,
        body: {},
        who: shopper,
      };
    case 'POST /pickup-slots/{slotId}/bookings':
      return {
        path: `/pickup-slots/${slotId}/bookings`,
        body: { orderRef: 'ORD-1', partySize: 1 },
        who: shopper,
      };
    case 'POST /reservations/{reservationId}/check-in':
      return {
        path: `/reservations/${(await book()).body.reservation.reservationId}/check-in`,
        body: {},
        who: shopper,
      };
    case 'POST /venues/{venueId}/queue/tickets':
      return {
        path: '/venues/flagship-001/queue/tickets',
        body: { serviceKind: 'pickup', partySize: 2 },
        who: shopper,
      };
    case 'DELETE /queue/tickets/{ticketId}':
      return { path: `/queue/tickets/${(await join()).body.ticket.ticketId}`, body: {}, who: shopper };
    case 'PUT /me/preferences':
      return { path: '/me/preferences', body: prefs, who: shopper };
    case 'POST /venues/{venueId}/events':
      return {
        path: '/venues/flagship-001/events',
        body: {
          kind: 'program',
          title: 'Talk',
          capacity: 5,
          startsAt: '2026-12-05T15:00:00.000Z',
          endsAt: '2026-12-05T16:00:00.000Z',
        },
        who: operator,
      };
    case 'PATCH /events/{eventId}':
      return { path: `/events/${event.eventId}`, body: { title: 'Renamed' }, who: operator };
    case 'POST /venues/{venueId}/pickup-slots':
      return {
        path: '/venues/flagship-001/pickup-slots',
        body: { date: '2026-12-04', from: '10:00', to: '11:00', slotMinutes: 30, capacity: 2 },
        who: operator,
      };
    case 'POST /venues/{venueId}/lanes/{laneId}/call-next':
      await join();
      return { path: '/venues/flagship-001/lanes/L1/call-next', body: {}, who: operator };
    case 'POST /queue/tickets/{ticketId}/complete': {
      await join();
      const called = await bed.as(operator, 'POST', '/venues/flagship-001/lanes/L3/call-next');
      return {
        path: `/queue/tickets/${called.body.ticket.ticketId}/complete`,
        body: { outcome: 'served' },
        who: operator,
      };
    }
    default:
      throw new Error(`no valid request for ${routeKey}: add one`);
  }
}

describe('mass assignment: server-owned fields in a body → 400 on every write route', () => {
  it('covers the 12 write routes of the template', () => {
    assert.equal(WRITE_ROUTES.length, 12);
  });

  for (const route of WRITE_ROUTES) {
    it(route.routeKey, async () => {
      const shopper = await person('mallory');
      const { path, body, who } = await validRequest(route.routeKey, shopper);
      const before = await bed.as(shopper, 'GET', '/me/reservations');
      for (const field of SERVER_OWNED.filter((f) => !ACCEPTED[route.routeKey]?.includes(f))) {
        // JSON.parse keeps "__proto__" as an own key, as a client could send it
        const raw = JSON.stringify(body)
          .replace(/^\{/, `{${JSON.stringify(field)}:"x",`)
          .replace(',}', '}');
        const res = await bed.as(who, route.method, path, { rawBody: raw });
        assert.equal(res.status, 400, `${field}: ${res.status} ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, 'VALIDATION_FAILED');
        assert.ok(
          res.body.error.details.some((d: { path: string }) => d.path === field),
          `${field} not named: ${JSON.stringify(res.body.error.details)}`,
        );
      }
      // nothing was written by the refused requests
      const after = await bed.as(shopper, 'GET', '/me/reservations');
      assert.deepEqual(after.body, before.body);
      // and the plain body still works (the refusals were about the field, not the request)
      const plain = await bed.as(who, route.method, path, { body });
      assert.ok(plain.status < 300, `${route.routeKey} plain: ${plain.status} ${JSON.stringify(plain.body)}`);
    });
  }
});

/** Every key at any depth of a JSON value. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  }
  return into;
}

/** Every property name any schema of openapi.yaml documents. */
function documentedNames(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) documentedNames(n, into);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'properties' && v && typeof v === 'object') for (const name of Object.keys(v)) into.add(name);
      documentedNames(v, into);
    }
  }
  return into;
}

/** Attribute names of every item stored in the file's tables. */
async function storedAttributeNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const table of Object.values(bed.db.tables)) {
    const out = await bed.db.client.send(new ScanCommand({ TableName: table }));
    for (const item of out.Items ?? []) for (const key of Object.keys(item)) names.add(key);
  }
  return names;
}

describe('responses never carry table keys or internal fields', () => {
  it('walks a workflow and checks every response against what storage holds', async () => {
    const alice = await person('alice');
    const replies: Array<[string, Reply]> = [];
    const call = async (who: Person | undefined, method: string, path: string, body?: unknown) => {
      const res = await bed.as(who, method, path, body === undefined ? {} : { body });
      replies.push([`${method} ${path}`, res]);
      return res;
    };
    const item = await call(operator, 'POST', '/venues/flagship-001/events', {
      kind: 'event',
      title: 'Workshop',
      capacity: 3,
      startsAt: '2026-12-01T15:20:00.000Z',
      endsAt: '2026-12-01T16:00:00.000Z',
    });
    const eventId = item.body.event.eventId;
    await call(operator, 'POST', '/venues/flagship-001/events', {
      kind: 'product',
      title: 'Mug',
      priceCents: 1200,
    });
    await call(undefined, 'GET', '/health');
    await call(undefined, 'GET', '/venues/flagship-001/events?limit=1');
    await call(undefined, 'GET', '/venues/flagship-001/products');
    await call(undefined, 'GET', `/events/${eventId}`);
    await call(undefined, 'GET', '/venues/flagship-001/pickup-slots?date=2026-12-01');
    await call(operator, 'PATCH', `/events/${eventId}`, { capacity: 4 });
    const booking = await call(alice, 'POST', `/events/${eventId}/reservations`, { partySize: 2 });
    const pickup = await call(alice, 'POST', `/pickup-slots/${slotId}/bookings`, { orderRef: 'ORD-9' });
    await call(alice, 'GET', '/me/reservations?limit=1');
    await call(alice, 'POST', `/reservations/${booking.body.reservation.reservationId}/check-in`);
    bed.h.clock.set('2026-12-01T15:00:00.000Z');
    const checkIn = await call(
      alice,
      'POST',
      `/reservations/${pickup.body.reservation.reservationId}/check-in`,
    );
    const ticketId = checkIn.body.ticket?.ticketId;
    assert.ok(ticketId, JSON.stringify(checkIn.body));
    await call(alice, 'GET', `/queue/tickets/${ticketId}`);
    await call(operator, 'GET', '/venues/flagship-001/queue');
    // Tickets other tests of this file left waiting may stand ahead of alice's on the lane:
    // call until hers comes up, sending the others away as no-shows.
    for (let calls = 0; ; calls++) {
      const called = await call(operator, 'POST', '/venues/flagship-001/lanes/L2/call-next');
      assert.equal(called.status, 200, JSON.stringify(replies.slice(-4)));
      const mine = called.body.ticket.ticketId === ticketId;
      await call(operator, 'POST', `/queue/tickets/${called.body.ticket.ticketId}/complete`, {
        outcome: mine ? 'served' : 'no_show',
      });
      if (mine) break;
      assert.ok(calls < 20, 'alice was never called');
    }
    await call(alice, 'PUT', '/me/preferences', prefs);
    await call(alice, 'GET', '/me/preferences');
    const other = await call(alice, 'POST', '/venues/flagship-001/queue/tickets', {
      serviceKind: 'consultation',
      partySize: 1,
    });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    await call(alice, 'DELETE', `/queue/tickets/${other.body.ticket.ticketId}`);
    await call(alice, 'GET', '/me/reservations');
    assert.ok(
      replies.every(([, r]) => r.status < 300),
      JSON.stringify(replies.filter(([, r]) => r.status >= 300)),
    );

    const stored = await storedAttributeNames();
    const documented = documentedNames(OPENAPI);
    const internal = new Set([...stored].filter((name) => !documented.has(name)));
    // storage really does hold keys and bookkeeping, so the check below has teeth
    for (const name of ['pk', 'sk', 'version']) assert.ok(internal.has(name), `no internal ${name} stored`);
    for (const [request, reply] of replies) {
      const keys = [...keysOf(reply.body)];
      const leaked = keys.filter((k) => internal.has(k) || /^(pk|sk|gsi\d*(pk|sk)|version|ttl)$/i.test(k));
      assert.deepEqual(leaked, [], `${request} leaked ${leaked.join(', ')}`);
      const undocumented = keys.filter((k) => !documented.has(k));
      assert.deepEqual(undocumented, [], `${request} answered undocumented fields`);
    }
    // nor do values from storage keys appear in responses (e.g. "RES#…", "USER#…")
    for (const [request, reply] of replies) {
      assert.doesNotMatch(JSON.stringify(reply.body ?? {}), /"[A-Z]+#/, `${request} leaked a key value`);
    }
  });
});
