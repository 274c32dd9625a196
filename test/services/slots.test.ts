import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { planSlotDay } from '../../src/services/slots.ts';
import { closesAt, isOpenAt, localParts, localToInstant, opensAt } from '../../src/services/venue-time.ts';
import { demoVenue } from '../fakes/demo-rules.ts';

const NY = 'America/New_York';
const allDay: [string, string] = ['00:00', '24:00'];
const day = (date: string, from: string, to: string, slotMinutes = 30) =>
  planSlotDay('v1', NY, allDay, { date, from, to, slotMinutes, capacity: 4 });

describe('local time in America/New_York', () => {
  it('maps wall-clock times to instants on ordinary and DST days', () => {
    assert.equal(localToInstant('2026-12-01', '10:00', NY).toISOString(), '2026-12-01T15:00:00.000Z');
    assert.equal(localToInstant('2026-07-01', '10:00', NY).toISOString(), '2026-07-01T14:00:00.000Z');
    assert.equal(localToInstant('2026-03-08', '01:30', NY).toISOString(), '2026-03-08T06:30:00.000Z');
    assert.equal(localToInstant('2026-03-08', '03:00', NY).toISOString(), '2026-03-08T07:00:00.000Z');
    // 02:30 does not exist on 2026-03-08: it maps past the gap
    assert.equal(localToInstant('2026-03-08', '02:30', NY).toISOString(), '2026-03-08T07:30:00.000Z');
    // 01:30 happens twice on 2026-11-01: the first (EDT) one
    assert.equal(localToInstant('2026-11-01', '01:30', NY).toISOString(), '2026-11-01T05:30:00.000Z');
    assert.equal(localToInstant('2026-11-01', '02:00', NY).toISOString(), '2026-11-01T07:00:00.000Z');
    assert.equal(localToInstant('2026-12-01', '24:00', NY).toISOString(), '2026-12-02T05:00:00.000Z');
  });

  it('round-trips any instant through its local parts', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }), (ms) => {
        const instant = new Date(Math.floor(ms / 60_000) * 60_000);
        const local = localParts(instant, NY);
        const hhmm = `${String(Math.floor(local.minutes / 60)).padStart(2, '0')}:${String(local.minutes % 60).padStart(2, '0')}`;
        const back = localToInstant(local.date, hhmm, NY);
        // a repeated hour maps to its first occurrence: at most one hour earlier
        const diff = instant.getTime() - back.getTime();
        return diff === 0 || diff === 3_600_000;
      }),
    );
  });
});

describe('slot generation across daylight saving', () => {
  it('spring forward (2026-03-08): 00:00–06:00 holds 5 real hours of slots', () => {
    const slots = day('2026-03-08', '00:00', '06:00', 60);
    assert.equal(slots.length, 5);
    assert.deepEqual(
      slots.map((s) => s.startsAt),
      [
        '2026-03-08T05:00:00.000Z',
        '2026-03-08T06:00:00.000Z',
        '2026-03-08T07:00:00.000Z',
        '2026-03-08T08:00:00.000Z',
        '2026-03-08T09:00:00.000Z',
      ],
    );
    assert.deepEqual(
      slots.map((s) => localParts(new Date(s.startsAt), NY).minutes / 60),
      [0, 1, 3, 4, 5],
    );
    for (const s of slots) assert.equal(Date.parse(s.endsAt) - Date.parse(s.startsAt), 3_600_000);
  });

  it('fall back (2026-11-01): 00:00–03:00 holds 4 real hours, 01:00 twice', () => {
    const slots = day('2026-11-01', '00:00', '03:00', 60);
    assert.equal(slots.length, 4);
    assert.deepEqual(
      slots.map((s) => localParts(new Date(s.startsAt), NY).minutes / 60),
      [0, 1, 1, 2],
    );
    assert.equal(new Set(slots.map((s) => s.slotId)).size, 4);
  });

  it('an ordinary day is unchanged and ids are stable', () => {
    const slots = day('2026-12-01', '10:00', '12:00');
    assert.equal(slots.length, 4);
    assert.equal(slots[0]?.slotId, 'v1-20261201T1500Z');
    assert.deepEqual(day('2026-12-01', '10:00', '12:00'), slots);
  });

  it('refuses closed days and times outside hours', () => {
    assert.throws(() =>
      planSlotDay('v1', NY, undefined, {
        date: '2026-12-25',
        from: '10:00',
        to: '11:00',
        slotMinutes: 30,
        capacity: 1,
      }),
    );
    assert.throws(() =>
      planSlotDay('v1', NY, ['10:00', '18:00'], {
        date: '2026-12-01',
        from: '09:00',
        to: '11:00',
        slotMinutes: 30,
        capacity: 1,
      }),
    );
    assert.throws(() =>
      planSlotDay('v1', NY, ['10:00', '18:00'], {
        date: '2026-12-01',
        from: '17:00',
        to: '19:00',
        slotMinutes: 30,
        capacity: 1,
      }),
    );
    assert.throws(() => day('2026-12-01', '10:00', '10:20'));
    assert.throws(() => day('2026-12-01', '00:00', '24:00', 1));
  });

  it('every generated slot lies inside [from, to] and they tile it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 22 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(15, 20, 30, 45, 60),
        fc.constantFrom('2026-03-08', '2026-11-01', '2026-06-15'),
        (fromHour, hours, minutes, date) => {
          const to = Math.min(24, fromHour + hours);
          const from = `${String(fromHour).padStart(2, '0')}:00`;
          const toText = `${String(to).padStart(2, '0')}:00`;
          let slots: ReturnType<typeof day>;
          try {
            slots = day(date, from, toText, minutes);
          } catch {
            return true;
          }
          const start = localToInstant(date, from, NY).getTime();
          const end = localToInstant(date, toText, NY).getTime();
          return slots.every(
            (s, i) =>
              Date.parse(s.startsAt) === start + i * minutes * 60_000 &&
              Date.parse(s.endsAt) <= end &&
              Date.parse(s.endsAt) - Date.parse(s.startsAt) === minutes * 60_000,
          );
        },
      ),
    );
  });
});

describe('opening hours', () => {
  it('reads hours and closed dates in the venue zone', () => {
    const venue = demoVenue({ hours: { tue: ['10:00', '21:00'] }, closedDates: ['2026-12-08'] });
    assert.equal(isOpenAt(venue, new Date('2026-12-01T15:00:00Z')), true); // Tue 10:00
    assert.equal(isOpenAt(venue, new Date('2026-12-01T14:59:00Z')), false);
    assert.equal(isOpenAt(venue, new Date('2026-12-02T02:00:00Z')), false); // Tue 21:00
    assert.equal(isOpenAt(venue, new Date('2026-12-02T01:59:00Z')), true);
    assert.equal(isOpenAt(venue, new Date('2026-12-02T15:00:00Z')), false); // Wednesday: no hours
    assert.equal(isOpenAt(venue, new Date('2026-12-08T16:00:00Z')), false); // closed date
  });

  it('tells when the venue next closes: its hours in force, now when closed, run on across midnight', () => {
    const venue = demoVenue({ hours: { tue: ['10:00', '21:00'] }, closedDates: [] });
    assert.equal(closesAt(venue, new Date('2026-12-01T15:00:00Z')).toISOString(), '2026-12-02T02:00:00.000Z');
    const closed = new Date('2026-12-02T15:00:00Z');
    assert.equal(closesAt(venue, closed).toISOString(), closed.toISOString());
    const late = demoVenue({ hours: { fri: ['08:00', '24:00'], sat: ['00:00', '02:00'] }, closedDates: [] });
    // Friday 2026-12-04 20:00 New York: open until Saturday 02:00 local (07:00Z)
    assert.equal(closesAt(late, new Date('2026-12-05T01:00:00Z')).toISOString(), '2026-12-05T07:00:00.000Z');
  });

  it('tells when the hours in force began: today’s opening, now when closed, back across midnight', () => {
    const venue = demoVenue({ hours: { tue: ['10:00', '21:00'] }, closedDates: [] });
    assert.equal(opensAt(venue, new Date('2026-12-01T20:00:00Z')).toISOString(), '2026-12-01T15:00:00.000Z');
    const closed = new Date('2026-12-02T15:00:00Z');
    assert.equal(opensAt(venue, closed).toISOString(), closed.toISOString());
    const late = demoVenue({ hours: { fri: ['08:00', '24:00'], sat: ['00:00', '02:00'] }, closedDates: [] });
    // Saturday 2026-12-05 01:00 New York: the hours began on Friday 08:00 local (13:00Z)
    assert.equal(opensAt(late, new Date('2026-12-05T06:00:00Z')).toISOString(), '2026-12-04T13:00:00.000Z');
  });
});
