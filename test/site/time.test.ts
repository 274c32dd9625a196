import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addDays,
  formatRange,
  fromLocalInput,
  toLocalInput,
  venueDate,
  venueDayRange,
  zonedToUtc,
} from '../../site/src/time.ts';

const NY = 'America/New_York';

describe('venue time zone helpers', () => {
  it('turns venue wall times into UTC instants', () => {
    assert.equal(zonedToUtc('2026-12-01', '10:00', NY).toISOString(), '2026-12-01T15:00:00.000Z');
    assert.equal(zonedToUtc('2026-07-04', '10:00', NY).toISOString(), '2026-07-04T14:00:00.000Z');
  });

  it('handles the days DST starts and ends', () => {
    // 2026-03-08: clocks jump 02:00 → 03:00; the day is 23 hours long.
    const spring = venueDayRange('2026-03-08', NY);
    assert.equal(spring.from, '2026-03-08T05:00:00.000Z');
    assert.equal(spring.to, '2026-03-09T04:00:00.000Z');
    assert.equal(zonedToUtc('2026-03-08', '03:30', NY).toISOString(), '2026-03-08T07:30:00.000Z');
    // a skipped wall time resolves forward, as the venue's clocks do
    assert.equal(zonedToUtc('2026-03-08', '02:30', NY).toISOString(), '2026-03-08T07:30:00.000Z');
    // 2026-11-01: clocks fall back 02:00 → 01:00; the day is 25 hours long.
    const fall = venueDayRange('2026-11-01', NY);
    assert.equal(fall.from, '2026-11-01T04:00:00.000Z');
    assert.equal(fall.to, '2026-11-02T05:00:00.000Z');
    assert.equal(zonedToUtc('2026-11-01', '12:00', NY).toISOString(), '2026-11-01T17:00:00.000Z');
  });

  it('gives the venue date, which differs from the UTC date late in the evening', () => {
    assert.equal(venueDate(new Date('2026-12-02T03:30:00Z'), NY), '2026-12-01');
    assert.equal(venueDate(new Date('2026-12-02T05:30:00Z'), NY), '2026-12-02');
  });

  it('round-trips datetime-local values in the venue zone', () => {
    assert.equal(toLocalInput('2026-12-01T15:00:00.000Z', NY), '2026-12-01T10:00');
    assert.equal(fromLocalInput('2026-12-01T10:00', NY), '2026-12-01T15:00:00.000Z');
    for (const iso of ['2026-03-08T08:15:00.000Z', '2026-11-01T07:45:00.000Z', '2026-06-30T23:59:00.000Z']) {
      const back = fromLocalInput(toLocalInput(iso, NY), NY);
      assert.equal(back, iso);
    }
    // 01:30 happens twice on 2026-11-01; a typed wall time means the first (EDT) one
    assert.equal(fromLocalInput('2026-11-01T01:30', NY), '2026-11-01T05:30:00.000Z');
  });

  it('adds days across month and year ends', () => {
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  });

  it('formats ranges in the venue zone, not the machine zone', () => {
    const text = formatRange('2026-12-01T15:00:00.000Z', '2026-12-01T16:30:00.000Z', NY, 'en-US');
    assert.match(text, /10:00\s?AM/);
    assert.match(text, /11:30\s?AM/);
    const es = formatRange('2026-12-01T15:00:00.000Z', '2026-12-01T16:30:00.000Z', NY, 'es-US');
    assert.match(es, /dic/);
  });
});
