import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OUTBOX_MAX_ATTEMPTS } from '../../../src/domain/ports.ts';
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

  it('defers an event the bus refused behind the others, and dead-letters it after the last attempt', async () => {
    const ids: string[] = [];
    for (const minute of ['00', '01']) {
      const item = await f.stores.catalog.create(catalogItem());
      const event = venueEvent('BookingConfirmed', { occurredAt: `2020-01-01T00:${minute}:00.000Z` });
      await f.stores.reservations.book(booking(reservationFor({ eventId: item.eventId }), { event }));
      ids.push(event.detail.id);
    }
    const [refused, fine] = ids as [string, string];
    const mine = async (olderThan: string) =>
      (await f.stores.outbox.listPending(olderThan, 1000))
        .map((e) => e.detail.id)
        .filter((id) => ids.includes(id));
    const now = '2020-01-01T01:00:00.000Z';
    assert.deepEqual(
      await f.stores.outbox.deferRefused([{ id: refused, reason: 'MalformedDetail' }], now),
      [],
    );
    // due again 30 s later, behind the event it was ahead of
    assert.deepEqual(await mine('2020-01-01T01:00:10.000Z'), [fine]);
    assert.deepEqual(await mine('2020-01-01T01:00:31.000Z'), [fine, refused]);
    let dead: string[] = [];
    for (let attempt = 2; attempt <= OUTBOX_MAX_ATTEMPTS; attempt++) {
      dead = await f.stores.outbox.deferRefused([{ id: refused, reason: 'MalformedDetail' }], now);
      assert.deepEqual(dead, attempt === OUTBOX_MAX_ATTEMPTS ? [refused] : [], `attempt ${attempt}`);
    }
    assert.deepEqual(await mine('9999'), [fine]);
    // a published event has nothing to defer
    await f.stores.outbox.markPublished([fine], now);
    assert.deepEqual(await f.stores.outbox.deferRefused([{ id: fine, reason: 'x' }], now), []);
    assert.deepEqual(await mine('9999'), []);
  });
});
