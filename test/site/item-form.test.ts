import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogItem } from '../../site/src/api.ts';
import { setLanguage } from '../../site/src/i18n.ts';
import { changedFields, linkedItemLabel } from '../../site/src/operator/item-form.ts';

const event: CatalogItem = {
  eventId: 'e1',
  venueId: 'flagship-001',
  kind: 'event',
  title: 'Yoga',
  description: 'Bring a mat',
  category: 'wellness',
  campaignId: 'c1',
  status: 'published',
  startsAt: '2026-12-02T15:00:00.000Z',
  endsAt: '2026-12-02T16:00:00.000Z',
  capacity: 10,
  booked: 2,
  remaining: 8,
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
};

describe('the operator’s item form sends what changed', () => {
  it('sends only the changed fields', () => {
    const { eventId: _e, venueId: _v, booked: _b, remaining: _r, ...same } = event;
    assert.deepEqual(changedFields(event, same), {});
    assert.deepEqual(changedFields(event, { ...same, title: 'Sunset yoga', capacity: 12 }), {
      title: 'Sunset yoga',
      capacity: 12,
    });
  });

  it('clears an emptied description, category or campaign with null', () => {
    const {
      eventId: _e,
      venueId: _v,
      booked: _b,
      remaining: _r,
      description,
      category,
      campaignId,
      ...rest
    } = event;
    assert.deepEqual(changedFields(event, rest), { description: null, category: null, campaignId: null });
    // a field that was never set is not cleared
    const bare = { ...event, description: undefined, category: undefined, campaignId: undefined };
    assert.deepEqual(changedFields(bare, rest), {});
    assert.ok(description && category && campaignId);
  });

  it('leaves a campaign’s own campaign field alone: its form does not show it', () => {
    const campaign: CatalogItem = { ...event, kind: 'campaign', capacity: undefined, itemIds: ['p1'] };
    const {
      eventId: _e,
      venueId: _v,
      booked: _b,
      remaining: _r,
      campaignId: _c,
      capacity: _cap,
      ...shown
    } = campaign;
    assert.deepEqual(changedFields(campaign, shown), {});
  });

  it('names a campaign’s items with their kind and time, so repeats of one event differ', () => {
    setLanguage('en');
    const tz = 'America/New_York';
    const later = { ...event, eventId: 'e2', startsAt: '2026-12-03T15:00:00.000Z' };
    assert.notEqual(linkedItemLabel(event, tz, 'en-US'), linkedItemLabel(later, tz, 'en-US'));
    assert.match(linkedItemLabel(event, tz, 'en-US'), /^Yoga \(Event, .*10:00/);
    const product = { ...event, kind: 'product' as const, startsAt: undefined, title: 'Mat' };
    assert.equal(linkedItemLabel(product, tz, 'en-US'), 'Mat (Product)');
  });
});
