import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoRules, demoVenue } from '../fakes/demo-rules.ts';
import { createEvent, createHarness } from '../helpers/api-harness.ts';

describe('GET /health', () => {
  it('answers ok with the rules version, publicly', async () => {
    const h = await createHarness();
    const res = await h.call('GET', '/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok', configVersion: '1' });
    h.rules.deploy(demoRules());
    assert.equal((await h.call('GET', '/health')).body.configVersion, '2');
  });
});

describe('catalog routes', () => {
  it('creates each kind and reads it back with remaining, without internal fields', async () => {
    const h = await createHarness();
    const event = await createEvent(h);
    assert.equal(event.kind, 'event');
    assert.equal(event.status, 'published');
    assert.equal(event.remaining, 10);
    assert.equal(event.booked, 0);
    assert.equal('version' in event, false);
    const got = await h.call('GET', `/events/${event.eventId}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body.event, event);
    const product = await h.call('POST', '/venues/flagship-001/events', {
      as: 'olivia',
      body: { kind: 'product', title: 'Tote bag', priceCents: 1500, category: 'bags' },
    });
    assert.equal(product.status, 201);
    const campaign = await createEvent(h, {
      kind: 'campaign',
      title: 'Winter',
      capacity: undefined,
      itemIds: [event.eventId],
    });
    assert.deepEqual(campaign.itemIds, [event.eventId]);
  });

  it('rejects fields that do not fit the kind, and bad times', async () => {
    const h = await createHarness();
    const res = await h.call('POST', '/venues/flagship-001/events', {
      as: 'olivia',
      body: { kind: 'product', title: 'Mug', capacity: 3 },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
    assert.deepEqual(paths, ['capacity', 'priceCents']);
    const backwards = await h.call('POST', '/venues/flagship-001/events', {
      as: 'olivia',
      body: {
        kind: 'event',
        title: 'x',
        capacity: 1,
        startsAt: '2026-12-02T15:00:00Z',
        endsAt: '2026-12-02T14:00:00Z',
      },
    });
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.error.details[0].path, 'endsAt');
  });

  it('refuses mass assignment of booked, version, userId', async () => {
    const h = await createHarness();
    for (const field of ['booked', 'version', 'userId', 'remaining', 'eventId']) {
      const res = await h.call('POST', '/venues/flagship-001/events', {
        as: 'olivia',
        body: { kind: 'product', title: 'Mug', priceCents: 1, [field]: 5 },
      });
      assert.equal(res.status, 400, field);
      assert.equal(res.body.error.details[0].path, field);
    }
  });

  it('lists the schedule by time with filters and pages, products apart', async () => {
    const h = await createHarness();
    const a = await createEvent(h, {
      title: 'A',
      startsAt: '2026-12-03T15:00:00Z',
      endsAt: '2026-12-03T16:00:00Z',
      category: 'music',
    });
    const b = await createEvent(h, {
      kind: 'program',
      title: 'B',
      startsAt: '2026-12-02T15:00:00Z',
      endsAt: '2026-12-02T16:00:00Z',
    });
    await h.call('POST', '/venues/flagship-001/events', {
      as: 'olivia',
      body: { kind: 'product', title: 'P', priceCents: 5 },
    });
    const all = await h.call('GET', '/venues/flagship-001/events');
    assert.deepEqual(
      all.body.items.map((i: { eventId: string }) => i.eventId),
      [b.eventId, a.eventId],
    );
    const programs = await h.call('GET', '/venues/flagship-001/events?kind=program');
    assert.deepEqual(
      programs.body.items.map((i: { title: string }) => i.title),
      ['B'],
    );
    const music = await h.call('GET', '/venues/flagship-001/events?category=music');
    assert.deepEqual(
      music.body.items.map((i: { title: string }) => i.title),
      ['A'],
    );
    const later = await h.call('GET', '/venues/flagship-001/events?from=2026-12-03T00:00:00Z');
    assert.deepEqual(
      later.body.items.map((i: { title: string }) => i.title),
      ['A'],
    );
    const first = await h.call('GET', '/venues/flagship-001/events?limit=1');
    assert.equal(first.body.items.length, 1);
    assert.ok(first.body.nextCursor);
    const second = await h.call('GET', `/venues/flagship-001/events?limit=1&cursor=${first.body.nextCursor}`);
    assert.deepEqual(
      second.body.items.map((i: { title: string }) => i.title),
      ['A'],
    );
    assert.equal(second.body.nextCursor, undefined);
    const products = await h.call('GET', '/venues/flagship-001/products');
    assert.deepEqual(
      products.body.items.map((i: { title: string }) => i.title),
      ['P'],
    );
  });

  it('answers 400 for bad list parameters and 404 for an unknown venue', async () => {
    const h = await createHarness();
    for (const q of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'cursor=%25%25',
      'kind=product',
      'from=yesterday',
      'color=red',
    ]) {
      const res = await h.call('GET', `/venues/flagship-001/events?${q}`);
      assert.equal(res.status, 400, q);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    }
    const bogusCursor = await h.call('GET', '/venues/flagship-001/events?cursor=abc');
    assert.equal(bogusCursor.status, 400);
    const unknown = await h.call('GET', '/venues/nowhere/events');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'NOT_FOUND');
  });

  it('shows drafts to operators only', async () => {
    const h = await createHarness();
    const draft = await createEvent(h, { status: 'draft' });
    assert.equal((await h.call('GET', `/events/${draft.eventId}`)).status, 404);
    assert.equal((await h.call('GET', `/events/${draft.eventId}`, { as: 'alice' })).status, 404);
    assert.equal((await h.call('GET', `/events/${draft.eventId}`, { as: 'olivia' })).status, 200);
    assert.equal((await h.call('GET', '/venues/flagship-001/events')).body.items.length, 0);
    assert.equal((await h.call('GET', '/venues/flagship-001/events', { as: 'olivia' })).body.items.length, 1);
  });

  it('patches capacity, never below booked, and status', async () => {
    const h = await createHarness();
    const event = await createEvent(h, { capacity: 5 });
    await h.call('POST', `/events/${event.eventId}/reservations`, { as: 'alice', body: { partySize: 3 } });
    const below = await h.call('PATCH', `/events/${event.eventId}`, { as: 'olivia', body: { capacity: 2 } });
    assert.equal(below.status, 409);
    assert.equal(below.body.error.code, 'CAPACITY_BELOW_BOOKED');
    const ok = await h.call('PATCH', `/events/${event.eventId}`, {
      as: 'olivia',
      body: { capacity: 3, title: 'New' },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.event.remaining, 0);
    assert.equal(ok.body.event.title, 'New');
    const cancelled = await h.call('PATCH', `/events/${event.eventId}`, {
      as: 'olivia',
      body: { status: 'cancelled' },
    });
    assert.equal(cancelled.body.event.status, 'cancelled');
    const reopen = await h.call('PATCH', `/events/${event.eventId}`, {
      as: 'olivia',
      body: { status: 'published' },
    });
    assert.equal(reopen.status, 409);
    assert.equal(reopen.body.error.code, 'INVALID_STATE');
    const empty = await h.call('PATCH', `/events/${event.eventId}`, { as: 'olivia', body: {} });
    assert.equal(empty.status, 400);
    const booked = await h.call('PATCH', `/events/${event.eventId}`, { as: 'olivia', body: { booked: 0 } });
    assert.equal(booked.status, 400);
    const missing = await h.call('PATCH', '/events/nope', { as: 'olivia', body: { title: 'x' } });
    assert.equal(missing.status, 404);
    const product = await h.call('POST', '/venues/flagship-001/events', {
      as: 'olivia',
      body: { kind: 'product', title: 'Mug', priceCents: 1 },
    });
    const capOnProduct = await h.call('PATCH', `/events/${product.body.event.eventId}`, {
      as: 'olivia',
      body: { capacity: 4 },
    });
    assert.equal(capOnProduct.status, 400);
  });

  it('clears a description, a category or the campaign link with null, and nothing else', async () => {
    const h = await createHarness();
    const campaign = await createEvent(h, { kind: 'campaign', title: 'Winter', capacity: undefined });
    const event = await createEvent(h, {
      description: 'Bring a mat',
      category: 'wellness',
      campaignId: campaign.eventId,
    });
    const patch = (body: Record<string, unknown>) =>
      h.call('PATCH', `/events/${event.eventId}`, { as: 'olivia', body });
    const cleared = await patch({ description: null, category: null, campaignId: null });
    assert.equal(cleared.status, 200);
    for (const field of ['description', 'category', 'campaignId'])
      assert.equal(field in cleared.body.event, false);
    assert.equal(
      (await h.call('GET', `/venues/flagship-001/events?campaignId=${campaign.eventId}`)).body.items.length,
      0,
    );
    assert.equal((await h.call('GET', `/events/${event.eventId}`)).body.event.category, undefined);
    // what an item must have cannot be cleared
    for (const field of ['title', 'capacity', 'startsAt', 'status', 'itemIds']) {
      const refused = await patch({ [field]: null });
      assert.equal(refused.status, 400, field);
      assert.equal(refused.body.error.details[0].path, field);
    }
    // and clearing a link is allowed while campaigns are off
    const relinked = await patch({ campaignId: campaign.eventId });
    assert.equal(relinked.status, 200);
    const doc = demoRules();
    doc.features.campaigns = false;
    h.rules.deploy(doc);
    assert.equal((await patch({ campaignId: null })).status, 200);
  });

  it('switches campaigns off with the feature flag (503), without a restart', async () => {
    const h = await createHarness();
    const campaign = await createEvent(h, { kind: 'campaign', title: 'Winter', capacity: undefined });
    const doc = demoRules();
    doc.features.campaigns = false;
    h.rules.deploy(doc);
    const list = await h.call('GET', '/venues/flagship-001/events?kind=campaign');
    assert.equal(list.status, 503);
    assert.equal(list.body.error.code, 'FEATURE_DISABLED');
    assert.equal((await h.call('GET', '/venues/flagship-001/events')).body.items.length, 0);
    assert.equal((await h.call('GET', `/events/${campaign.eventId}`)).status, 503);
    const create = await h.call('POST', '/venues/flagship-001/events', {
      as: 'olivia',
      body: {
        kind: 'campaign',
        title: 'x',
        startsAt: '2026-12-02T15:00:00Z',
        endsAt: '2026-12-03T15:00:00Z',
      },
    });
    assert.equal(create.status, 503);
    // nor can anything be linked to a campaign, or a campaign be changed, while it is off
    const linked = await h.call('POST', '/venues/flagship-001/events', {
      as: 'olivia',
      body: { kind: 'product', title: 'Scarf', priceCents: 900, campaignId: campaign.eventId },
    });
    assert.equal(linked.status, 503);
    const product = await createEvent(h, {
      kind: 'product',
      title: 'Hat',
      priceCents: 900,
      capacity: undefined,
      startsAt: undefined,
      endsAt: undefined,
    });
    const relink = await h.call('PATCH', `/events/${product.eventId}`, {
      as: 'olivia',
      body: { campaignId: campaign.eventId },
    });
    assert.equal(relink.status, 503);
    const rename = await h.call('PATCH', `/events/${campaign.eventId}`, {
      as: 'olivia',
      body: { title: 'Spring' },
    });
    assert.equal(rename.status, 503);
    // what does not touch campaigns still works
    assert.equal(
      (await h.call('PATCH', `/events/${product.eventId}`, { as: 'olivia', body: { title: 'Cap' } })).status,
      200,
    );
  });

  it('links only to what exists at the venue: campaignId a campaign, itemIds items that are not campaigns', async () => {
    const h = await createHarness();
    const rules = demoRules();
    rules.venues['flagship-002'] = demoVenue({ name: 'Second venue' });
    h.rules.deploy(rules);
    const event = await createEvent(h);
    const campaign = await createEvent(h, { kind: 'campaign', title: 'Winter', capacity: undefined });
    const elsewhere = await h.call('POST', '/venues/flagship-002/events', {
      as: 'olivia',
      body: { kind: 'product', title: 'Mug', priceCents: 500 },
    });
    assert.equal(elsewhere.status, 201);
    const bad = await h.call('POST', '/venues/flagship-001/events', {
      as: 'olivia',
      body: {
        kind: 'campaign',
        title: 'Spring',
        startsAt: '2026-12-02T15:00:00Z',
        endsAt: '2026-12-03T15:00:00Z',
        itemIds: [event.eventId, 'no-such-item', elsewhere.body.event.eventId, campaign.eventId],
        campaignId: event.eventId,
      },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(
      bad.body.error.details.map((d: { path: string }) => d.path),
      ['campaignId', 'itemIds[1]', 'itemIds[2]', 'itemIds[3]'],
    );
    const before = (await h.call('GET', '/venues/flagship-001/events?limit=100', { as: 'olivia' })).body.items
      .length;
    assert.equal(before, 2); // nothing was written
    const patched = await h.call('PATCH', `/events/${event.eventId}`, {
      as: 'olivia',
      body: { campaignId: 'no-such-campaign' },
    });
    assert.equal(patched.status, 400);
    assert.equal(patched.body.error.details[0].path, 'campaignId');
    const ok = await h.call('PATCH', `/events/${event.eventId}`, {
      as: 'olivia',
      body: { campaignId: campaign.eventId },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.event.campaignId, campaign.eventId);
  });

  it('refuses a campaign listing an item twice, or made part of itself, and writes nothing', async () => {
    const h = await createHarness();
    const event = await createEvent(h);
    const campaign = await createEvent(h, { kind: 'campaign', title: 'Winter', capacity: undefined });
    const twice = await h.call('POST', '/venues/flagship-001/events', {
      as: 'olivia',
      body: {
        kind: 'campaign',
        title: 'Spring',
        startsAt: '2026-12-02T15:00:00Z',
        endsAt: '2026-12-03T15:00:00Z',
        itemIds: [event.eventId, event.eventId],
      },
    });
    assert.equal(twice.status, 400);
    assert.deepEqual(twice.body.error.details, [{ path: 'itemIds[1]', message: 'is listed more than once' }]);
    const patchedTwice = await h.call('PATCH', `/events/${campaign.eventId}`, {
      as: 'olivia',
      body: { itemIds: [event.eventId, event.eventId] },
    });
    assert.equal(patchedTwice.status, 400);
    const itself = await h.call('PATCH', `/events/${campaign.eventId}`, {
      as: 'olivia',
      body: { campaignId: campaign.eventId },
    });
    assert.equal(itself.status, 400);
    assert.deepEqual(itself.body.error.details, [
      { path: 'campaignId', message: 'a campaign cannot be part of itself' },
    ]);
    const stored = (await h.call('GET', `/events/${campaign.eventId}`)).body.event;
    assert.equal(stored.campaignId, undefined);
    assert.equal(stored.itemIds, undefined);
    const all = await h.call('GET', '/venues/flagship-001/events?limit=100', { as: 'olivia' });
    assert.equal(all.body.items.length, 2);
  });
});
