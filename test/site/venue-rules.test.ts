import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkInWindow, rulesDocument } from '../../site/src/venue-rules.ts';

const slot = { startsAt: '2026-12-01T20:00:00.000Z', endsAt: '2026-12-01T20:30:00.000Z' };
const at = (iso: string) => Date.parse(iso);

describe('venue rules as the site reads them', () => {
  it('reads the document bare or wrapped in {document}', () => {
    const doc = { venues: { v: { maxPartySize: 6 } }, features: { queue: true } };
    assert.deepEqual(rulesDocument(doc), doc);
    assert.deepEqual(rulesDocument({ document: doc, version: '3' }), doc);
    assert.deepEqual(rulesDocument(undefined), {});
  });

  it('says when check-in opens from the venue window', () => {
    const window = { before: 30, after: 15 };
    assert.deepEqual(checkInWindow(slot, window, at('2026-12-01T19:29:00.000Z')), {
      state: 'early',
      opensAt: '2026-12-01T19:30:00.000Z',
    });
    assert.deepEqual(checkInWindow(slot, window, at('2026-12-01T19:30:00.000Z')), { state: 'open' });
    assert.deepEqual(checkInWindow(slot, window, at('2026-12-01T20:45:00.000Z')), { state: 'open' });
    assert.deepEqual(checkInWindow(slot, window, at('2026-12-01T20:46:00.000Z')), { state: 'late' });
  });

  it('without the rules, knows only the booked times and no opening time', () => {
    assert.deepEqual(checkInWindow(slot, undefined, at('2026-12-01T19:45:00.000Z')), { state: 'early' });
    assert.deepEqual(checkInWindow(slot, undefined, at('2026-12-01T20:10:00.000Z')), { state: 'open' });
    assert.deepEqual(checkInWindow(slot, undefined, at('2026-12-01T20:31:00.000Z')), { state: 'late' });
  });
});
