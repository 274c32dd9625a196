import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import type { Reservation } from '../../src/domain/model.ts';
import { compileSchema } from '../../src/events/schema-validator.ts';
import {
  bookingConfirmed,
  checkInCompleted,
  EVENT_SCHEMAS,
  pickupCompleted,
  VENUE_EVENT_TYPES,
  venueEventErrors,
} from '../../src/events/venue-events.ts';
import { SAMPLE_NAMES, sampleEvent } from '../helpers/sample-events.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const ajvValidators = Object.fromEntries(
  Object.entries(EVENT_SCHEMAS).map(([type, schema]) => [type, ajv.compile(schema)]),
);

function agree(detailType: string, detail: unknown): boolean {
  const ours = venueEventErrors(detailType, detail).length === 0;
  const theirs = ajvValidators[detailType]?.(detail) === true;
  assert.equal(ours, theirs, `disagreement on ${detailType} ${JSON.stringify(detail)}`);
  return ours;
}

const reservation: Reservation = {
  reservationId: 'res-1',
  userId: 'user-1',
  venueId: 'flagship-001',
  type: 'event',
  eventId: 'evt-1',
  partySize: 2,
  status: 'confirmed',
  startsAt: '2026-12-05T20:00:00.000Z',
  endsAt: '2026-12-05T21:00:00.000Z',
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
};
const context = { correlationId: 'corr-1', occurredAt: '2026-11-20T10:00:00.000Z' };

/** Values that break a property in various ways (wrong type, empty, bad format). */
const BAD_VALUES: unknown[] = [null, 42, 1.5, '', true, [], {}, 'not-a-date', '2026-13-01T00:00:00Z', 0, -1];

describe('venue event schemas', () => {
  it('accept the sample events, per their detail type', () => {
    for (const name of SAMPLE_NAMES) {
      const sample = sampleEvent(name);
      assert.equal(sample.source, 'venue.hub');
      assert.deepEqual(venueEventErrors(sample['detail-type'], sample.detail), []);
      assert.ok(agree(sample['detail-type'], sample.detail));
    }
  });

  it('agree with ajv when any property is removed or replaced by a bad value', () => {
    let rejected = 0;
    for (const name of SAMPLE_NAMES) {
      const { detail, 'detail-type': type } = sampleEvent(name);
      for (const key of [...Object.keys(detail), 'eventId', 'slotId', 'ticketId', 'orderRef']) {
        const { [key]: _removed, ...without } = detail;
        if (!agree(type, without)) rejected += 1;
        for (const bad of BAD_VALUES) if (!agree(type, { ...detail, [key]: bad })) rejected += 1;
      }
      for (const whole of [null, [], 'text', 7]) assert.equal(agree(type, whole), false);
    }
    assert.ok(rejected > 100, 'the mutations do reach invalid events');
  });

  it('agree with ajv on generated date-times, uuids and party sizes', () => {
    const base = sampleEvent('booking-confirmed').detail;
    const dateLike = fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc
        .tuple(
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 13 }),
          fc.integer({ min: 0, max: 32 }),
          fc.integer({ min: 0, max: 25 }),
          fc.integer({ min: 0, max: 61 }),
          fc.integer({ min: 0, max: 61 }),
          fc.constantFrom('Z', 'z', '+05:30', '-0800', '+24:00', '', '+01'),
          fc.constantFrom('T', 't', ' ', '_'),
        )
        .map(
          ([y, mo, d, h, mi, s, tz, sep]) =>
            `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}${sep}` +
            `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}${tz}`,
        ),
      fc.string(),
    );
    const uuidLike = fc.oneof(
      fc.uuid(),
      fc.uuid().map((u) => u.toUpperCase()),
      fc.string(),
      fc.uuid().map((u) => u.replace(/-/g, '')),
    );
    fc.assert(
      fc.property(dateLike, uuidLike, fc.oneof(fc.integer(), fc.double()), (when, id, partySize) => {
        agree('BookingConfirmed', { ...base, startsAt: when, id, partySize });
      }),
      { numRuns: 500 },
    );
  });

  it('require eventId for event bookings and slotId for pickups', () => {
    const detail = sampleEvent('booking-confirmed').detail;
    const { eventId: _e, ...noEvent } = detail;
    assert.deepEqual(venueEventErrors('BookingConfirmed', noEvent), [
      { path: '/eventId', message: 'is required' },
    ]);
    const pickup = { ...noEvent, reservationType: 'pickup' };
    assert.equal(agree('BookingConfirmed', pickup), false);
    assert.equal(agree('BookingConfirmed', { ...pickup, slotId: 'slot-1' }), true);
  });

  it('refuse an unknown detail type', () => {
    assert.deepEqual(venueEventErrors('Nope', {}), [{ path: '', message: 'unknown detail type "Nope"' }]);
  });

  it('refuse to compile a schema with keywords the small validator does not implement', () => {
    assert.throws(() => compileSchema({ type: 'object', patternProperties: {} }), /patternProperties/);
    assert.throws(() => compileSchema({ properties: { a: { format: 'email' } } }), /format "email"/);
  });
});

describe('event constructors', () => {
  it('build a BookingConfirmed for an event with a fresh uuid, valid against the schema', () => {
    const a = bookingConfirmed(reservation, { ...context, title: 'Workshop' });
    const b = bookingConfirmed(reservation, { ...context, title: 'Workshop' });
    assert.notEqual(a.detail.id, b.detail.id);
    assert.equal(a.detailType, 'BookingConfirmed');
    assert.deepEqual(a.detail, {
      id: a.detail.id,
      occurredAt: context.occurredAt,
      venueId: 'flagship-001',
      userId: 'user-1',
      correlationId: 'corr-1',
      reservationId: 'res-1',
      reservationType: 'event',
      eventId: 'evt-1',
      title: 'Workshop',
      startsAt: reservation.startsAt,
      endsAt: reservation.endsAt,
      partySize: 2,
    });
    assert.ok(agree(a.detailType, a.detail));
  });

  it('title a pickup booking "Pickup {orderRef}" and carry the slot', () => {
    const pickup: Reservation = {
      ...reservation,
      type: 'pickup',
      eventId: undefined,
      slotId: 'slot-9',
      orderRef: 'A-77',
    };
    const event = bookingConfirmed(pickup, context);
    assert.equal(event.detail.title, 'Pickup A-77');
    assert.equal(event.detail.slotId, 'slot-9');
    assert.equal('eventId' in event.detail, false);
    assert.ok(agree(event.detailType, event.detail));
    assert.throws(() => bookingConfirmed(reservation, context), /title/);
  });

  it('build CheckInCompleted (with and without ticket) and PickupCompleted', () => {
    const plain = checkInCompleted(reservation, context);
    assert.equal('ticketId' in plain.detail, false);
    const pickup = checkInCompleted({ ...reservation, type: 'pickup' }, context, 'tkt-1');
    assert.equal(pickup.detail.ticketId, 'tkt-1');
    const done = pickupCompleted(
      { ticketId: 'tkt-1', venueId: 'flagship-001', userId: 'user-1' },
      'res-1',
      context,
    );
    assert.deepEqual(
      [done.detail.reservationId, done.detail.ticketId, done.detailType],
      ['res-1', 'tkt-1', 'PickupCompleted'],
    );
    for (const e of [plain, pickup, done]) assert.ok(agree(e.detailType, e.detail));
  });

  it('cover every detail type with a schema', () => {
    assert.deepEqual(VENUE_EVENT_TYPES.sort(), ['BookingConfirmed', 'CheckInCompleted', 'PickupCompleted']);
  });
});
