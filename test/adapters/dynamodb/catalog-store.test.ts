import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CapacityBelowBooked, InvalidState, NotFound, ValidationFailed } from '../../../src/domain/errors.ts';
import type { CatalogItem } from '../../../src/domain/model.ts';
import type { CatalogQuery } from '../../../src/domain/ports.ts';
import { booking, catalogItem, reservationFor, type StoreFixture, useStores } from './fixtures.ts';

const VENUE = 'venue-catalog';

describe('DynamoCatalogStore', () => {
  let f: StoreFixture;
  const items: CatalogItem[] = [];
  const campaignId = 'campaign-1';

  async function all(query: Partial<CatalogQuery>, limit = 100): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await f.stores.catalog.list(
        { venueId: VENUE, listing: 'schedule', includeDrafts: false, ...query },
        { limit, cursor },
      );
      assert.ok(page.items.length <= limit);
      ids.push(...page.items.map((i) => i.title));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  before(async () => {
    f = await useStores();
    const day = (d: number, h = 15) => `2026-12-${String(d).padStart(2, '0')}T${h}:00:00.000Z`;
    const specs: Partial<CatalogItem>[] = [
      { title: 'e1', kind: 'event', startsAt: day(1), endsAt: day(1, 16), category: 'coffee' },
      { title: 'e2', kind: 'event', startsAt: day(2), endsAt: day(2, 16), campaignId },
      { title: 'p3', kind: 'program', startsAt: day(3), endsAt: day(3, 16), category: 'coffee' },
      { title: 'd4', kind: 'event', startsAt: day(4), endsAt: day(4, 16), status: 'draft' },
      {
        title: 'c5',
        kind: 'campaign',
        startsAt: day(5),
        endsAt: day(20),
        capacity: undefined,
        booked: undefined,
        itemIds: ['x'],
      },
      { title: 'e6', kind: 'event', startsAt: day(6), endsAt: day(6, 16), status: 'cancelled' },
      {
        title: 'Beans',
        kind: 'product',
        startsAt: undefined,
        endsAt: undefined,
        capacity: undefined,
        booked: undefined,
        priceCents: 1200,
        campaignId,
      },
      {
        title: 'apron',
        kind: 'product',
        startsAt: undefined,
        endsAt: undefined,
        capacity: undefined,
        booked: undefined,
        priceCents: 2500,
        category: 'merch',
      },
    ];
    for (const spec of specs)
      items.push(await f.stores.catalog.create(catalogItem({ venueId: VENUE, ...spec })));
    // another venue's items never show up
    await f.stores.catalog.create(catalogItem({ venueId: 'elsewhere', title: 'x1', campaignId }));
  });

  it('creates and reads back exactly the domain shape, with remaining', async () => {
    const item = catalogItem({
      venueId: 'venue-shape',
      description: 'Hands-on',
      capacity: 12,
      title: 'shape',
    });
    const created = await f.stores.catalog.create(item);
    assert.deepEqual(created, { ...item, remaining: 12 });
    assert.deepEqual(await f.stores.catalog.get(item.eventId), { ...item, remaining: 12 });
    assert.equal(await f.stores.catalog.get('missing'), undefined);
    await assert.rejects(f.stores.catalog.create(item), InvalidState);
    const product = items.find((i) => i.title === 'Beans');
    assert.equal(product?.remaining, undefined);
    assert.equal(product?.booked, undefined);
  });

  it('reads many items at once: those that exist, each once, past the 100 keys of one request', async () => {
    const made: CatalogItem[] = [];
    for (let i = 0; i < 105; i++)
      made.push(await f.stores.catalog.create(catalogItem({ venueId: 'venue-many', title: `m${i}` })));
    const asked = [...made.map((m) => m.eventId), 'missing', made[0]!.eventId];
    const got = await f.stores.catalog.getMany(asked);
    assert.deepEqual(got.map((g) => g.eventId).sort(), made.map((m) => m.eventId).sort());
    assert.deepEqual(
      got.find((g) => g.eventId === made[7]!.eventId),
      { ...made[7], remaining: 10 },
    );
    assert.deepEqual(await f.stores.catalog.getMany([]), []);
  });

  it('lists the schedule in start order, drafts only when asked', async () => {
    assert.deepEqual(await all({}), ['e1', 'e2', 'p3', 'c5', 'e6']);
    assert.deepEqual(await all({ includeDrafts: true }), ['e1', 'e2', 'p3', 'd4', 'c5', 'e6']);
    assert.deepEqual(await all({ includeDrafts: true }, 1), ['e1', 'e2', 'p3', 'd4', 'c5', 'e6']);
  });

  it('filters by kind, time window, category and campaign', async () => {
    assert.deepEqual(await all({ kind: 'event' }), ['e1', 'e2', 'e6']);
    assert.deepEqual(await all({ kind: 'product' }), []);
    assert.deepEqual(await all({ from: '2026-12-02T16:00:00.000Z', to: '2026-12-05T15:00:00.000Z' }), [
      'e2',
      'p3',
    ]);
    assert.deepEqual(await all({ from: '2026-12-10T00:00:00.000Z' }), ['c5']);
    assert.deepEqual(await all({ category: 'coffee' }), ['e1', 'p3']);
    assert.deepEqual(await all({ category: 'coffee' }, 1), ['e1', 'p3']);
    assert.deepEqual(await all({ campaignId }), ['e2']);
    assert.deepEqual(await all({ campaignId, to: '2026-12-01T00:00:00.000Z' }), []);
    assert.deepEqual(await all({ listing: 'products', campaignId }), ['Beans']);
  });

  it('lists products by title', async () => {
    assert.deepEqual(await all({ listing: 'products' }), ['apron', 'Beans']);
    assert.deepEqual(await all({ listing: 'products', category: 'merch' }), ['apron']);
  });

  it('pages keep their limit when the filter drops items, and cursors belong to their list', async () => {
    const page = await f.stores.catalog.list(
      { venueId: VENUE, listing: 'schedule', includeDrafts: false, category: 'coffee' },
      { limit: 1 },
    );
    assert.equal(page.items.length, 1);
    assert.ok(page.nextCursor);
    await assert.rejects(
      f.stores.catalog.list(
        { venueId: 'elsewhere', listing: 'schedule', includeDrafts: false },
        {
          limit: 1,
          cursor: page.nextCursor,
        },
      ),
      ValidationFailed,
    );
    await assert.rejects(
      f.stores.catalog.list(
        { venueId: VENUE, listing: 'schedule', kind: 'event', includeDrafts: false },
        {
          limit: 1,
          cursor: page.nextCursor,
        },
      ),
      ValidationFailed,
    );
    await assert.rejects(
      f.stores.catalog.list({ venueId: VENUE, listing: 'schedule', includeDrafts: false }, { limit: 0 }),
      ValidationFailed,
    );
  });

  it('refuses a schedule cursor beyond a `to` as a bad cursor, and takes one before it', async () => {
    const schedule = { venueId: VENUE, listing: 'schedule' as const, includeDrafts: false };
    const first = await f.stores.catalog.list(schedule, { limit: 1 });
    assert.ok(first.nextCursor);
    const startsAt = first.items[0]?.startsAt ?? '';
    const before = new Date(Date.parse(startsAt) - 60_000).toISOString();
    await assert.rejects(
      f.stores.catalog.list({ ...schedule, to: before }, { limit: 1, cursor: first.nextCursor }),
      (e) => e instanceof ValidationFailed && e.details[0]?.path === 'cursor',
    );
    const later = await f.stores.catalog.list(
      { ...schedule, to: '2100-01-01T00:00:00.000Z' },
      { limit: 1, cursor: first.nextCursor },
    );
    const rest = await f.stores.catalog.list(schedule, { limit: 1, cursor: first.nextCursor });
    assert.deepEqual(later.items, rest.items);
  });

  it('updates fields and keeps the index keys in step', async () => {
    const item = await f.stores.catalog.create(
      catalogItem({ venueId: VENUE, title: 'moving', startsAt: '2026-11-01T10:00:00.000Z', status: 'draft' }),
    );
    const updated = await f.stores.catalog.update(
      item.eventId,
      {
        startsAt: '2026-12-07T10:00:00.000Z',
        endsAt: '2026-12-07T11:00:00.000Z',
        status: 'published',
        campaignId,
      },
      '2026-12-01T13:00:00.000Z',
    );
    assert.equal(updated.startsAt, '2026-12-07T10:00:00.000Z');
    assert.equal(updated.updatedAt, '2026-12-01T13:00:00.000Z');
    assert.deepEqual(await f.stores.catalog.get(item.eventId), updated);
    assert.deepEqual(await all({}), ['e1', 'e2', 'p3', 'c5', 'e6', 'moving']);
    assert.deepEqual(await all({ campaignId }), ['e2', 'moving']);
    assert.deepEqual(await all({ kind: 'event', from: '2026-12-07T00:00:00.000Z' }), ['moving']);
    // null clears a field, and a cleared campaign leaves the campaign's index
    const cleared = await f.stores.catalog.update(
      item.eventId,
      { campaignId: null, description: null },
      '2026-12-01T13:05:00.000Z',
    );
    assert.equal('campaignId' in cleared, false);
    assert.deepEqual(await f.stores.catalog.get(item.eventId), cleared);
    assert.deepEqual(await all({ campaignId }), ['e2']);
    await f.stores.catalog.update(item.eventId, { campaignId }, '2026-12-01T13:06:00.000Z');
    assert.deepEqual(await all({ campaignId }), ['e2', 'moving']);
    await assert.rejects(
      f.stores.catalog.update('missing', { title: 'x' }, '2026-12-01T13:00:00.000Z'),
      NotFound,
    );
  });

  it('never lowers capacity below booked, checked in the write', async () => {
    const item = await f.stores.catalog.create(catalogItem({ venueId: VENUE, title: 'cap', capacity: 5 }));
    for (let i = 0; i < 3; i++) {
      await f.stores.reservations.book(booking(reservationFor({ eventId: item.eventId })));
    }
    await assert.rejects(
      f.stores.catalog.update(item.eventId, { capacity: 2 }, '2026-12-01T13:00:00.000Z'),
      CapacityBelowBooked,
    );
    const ok = await f.stores.catalog.update(item.eventId, { capacity: 3 }, '2026-12-01T13:00:00.000Z');
    assert.deepEqual([ok.capacity, ok.booked, ok.remaining], [3, 3, 0]);
  });

  it('concurrent edits all land, one after another', async () => {
    const item = await f.stores.catalog.create(catalogItem({ venueId: VENUE, title: 'busy' }));
    const results = await Promise.allSettled(
      ['a', 'b', 'c'].map((d) =>
        f.stores.catalog.update(item.eventId, { description: d }, '2026-12-01T13:00:00.000Z'),
      ),
    );
    // a lost version race re-reads and tries again, so none of three edits is lost
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.ok(['a', 'b', 'c'].includes(String((await f.stores.catalog.get(item.eventId))?.description)));
  });
});
