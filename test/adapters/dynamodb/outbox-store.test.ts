import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  booking,
  catalogItem,
  reservationFor,
  type StoreFixture,
  useStores,
  venueEvent,
} from './fixtures.ts';

describe('DynamoOutboxStore', () => {
  let f: StoreFixture;
  before(async () => {
    f = await useStores();
  });

  it('lists pending events oldest first, older than the cutoff, up to the limit; marking removes them', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const item = await f.stores.catalog.create(catalogItem());
      const r = reservationFor({ eventId: item.eventId });
      const event = venueEvent('BookingConfirmed', { occurredAt: `2026-12-01T12:0${i}:00.000Z` });
      await f.stores.reservations.book(booking(r, { event }));
      ids.push(event.detail.id);
    }
    const pending = await f.stores.outbox.listPending('2026-12-01T12:02:00.000Z', 10);
    assert.deepEqual(
      pending.map((e) => e.detail.id),
      ids.slice(0, 2),
    );
    assert.equal(pending[0]?.detailType, 'BookingConfirmed');
    assert.equal(pending[0]?.detail.occurredAt, '2026-12-01T12:00:00.000Z');
    assert.deepEqual(
      (await f.stores.outbox.listPending('9999', 1)).map((e) => e.detail.id),
      ids.slice(0, 1),
    );
    await f.stores.outbox.markPublished([ids[0]!, 'unknown-id'], '2026-12-01T12:05:00.000Z');
    assert.deepEqual(
      (await f.stores.outbox.listPending('9999', 10)).map((e) => e.detail.id),
      ids.slice(1),
    );
    await f.stores.outbox.markPublished([], '2026-12-01T12:05:00.000Z');
  });
});
