/** The error codes the other route tests leave out, one route at a time. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoRules } from '../fakes/demo-rules.ts';
import { createHarness } from '../helpers/api-harness.ts';

describe('remaining error codes', () => {
  it('products: 400 on bad filters, 404 on an unknown venue, 503 for campaign filters when campaigns are off', async () => {
    const h = await createHarness();
    assert.equal((await h.call('GET', '/venues/flagship-001/products?kind=event')).status, 400);
    assert.equal((await h.call('GET', '/venues/flagship-001/products?category=%3Cscript%3E')).status, 400);
    assert.equal((await h.call('GET', '/venues/nowhere/products')).status, 404);
    const doc = demoRules();
    doc.features.campaigns = false;
    h.rules.deploy(doc);
    assert.equal((await h.call('GET', '/venues/flagship-001/products?campaignId=c1')).status, 503);
    assert.equal((await h.call('GET', '/venues/flagship-001/products')).status, 200);
  });

  it('operator routes on an unknown venue answer 404', async () => {
    const h = await createHarness();
    const product = { kind: 'product', title: 'Mug', priceCents: 100 };
    assert.equal(
      (await h.call('POST', '/venues/nowhere/events', { as: 'olivia', body: product })).status,
      404,
    );
    const slots = { date: '2026-12-01', from: '10:00', to: '11:00', slotMinutes: 30, capacity: 1 };
    assert.equal(
      (await h.call('POST', '/venues/nowhere/pickup-slots', { as: 'olivia', body: slots })).status,
      404,
    );
    assert.equal((await h.call('GET', '/venues/nowhere/queue', { as: 'olivia' })).status, 404);
    assert.equal((await h.call('POST', '/venues/nowhere/lanes/L1/call-next', { as: 'olivia' })).status, 404);
  });

  it('slot generation answers 503 with pickups off', async () => {
    const h = await createHarness();
    const doc = demoRules();
    doc.features.pickup = false;
    h.rules.deploy(doc);
    const res = await h.call('POST', '/venues/flagship-001/pickup-slots', {
      as: 'olivia',
      body: { date: '2026-12-01', from: '10:00', to: '11:00', slotMinutes: 30, capacity: 1 },
    });
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'FEATURE_DISABLED');
  });

  it('a pickup check-in refused by the queue rules changes nothing (ALREADY_QUEUED)', async () => {
    const h = await createHarness();
    const slots = await h.call('POST', '/venues/flagship-001/pickup-slots', {
      as: 'olivia',
      body: { date: '2026-12-01', from: '10:00', to: '11:00', slotMinutes: 30, capacity: 2 },
    });
    const r = await h.call('POST', `/pickup-slots/${slots.body.items[0].slotId}/bookings`, {
      as: 'alice',
      body: { orderRef: 'ORD-3' },
    });
    await h.call('POST', '/venues/flagship-001/queue/tickets', {
      as: 'alice',
      body: { serviceKind: 'returns', partySize: 1 },
    });
    const published = h.publisher.published.length;
    const res = await h.call('POST', `/reservations/${r.body.reservation.reservationId}/check-in`, {
      as: 'alice',
    });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'ALREADY_QUEUED');
    assert.equal(h.memory.state.reservations.get(r.body.reservation.reservationId)?.status, 'confirmed');
    assert.equal(h.publisher.published.length, published);
  });

  it('path ids that cannot exist answer 404 without reaching a store', async () => {
    const h = await createHarness();
    h.memory.catalog.get = async () => {
      throw new Error('must not be called');
    };
    assert.equal((await h.call('GET', `/events/${'x'.repeat(200)}`)).status, 404);
    assert.equal((await h.call('GET', '/events/bad%20id')).status, 404);
  });

  it('check-in and call-next refuse unexpected bodies', async () => {
    const h = await createHarness();
    const res = await h.call('POST', '/venues/flagship-001/lanes/L1/call-next', {
      as: 'olivia',
      body: { laneId: 'L2' },
    });
    assert.equal(res.status, 400);
  });
});
