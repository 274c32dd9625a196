import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type StoreFixture, useStores } from './fixtures.ts';

describe('DynamoDeliveryLedger', () => {
  let f: StoreFixture;
  before(async () => {
    f = await useStores();
  });
  const future = new Date(Date.now() + 86_400_000).toISOString();

  it('claims once per event and channel, under concurrency too', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => f.stores.deliveries.claim('evt-1', 'email', future)),
    );
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(await f.stores.deliveries.claim('evt-1', 'sms', future), true);
    assert.equal(await f.stores.deliveries.claim('evt-1', 'email', future), false);
  });

  it('release lets a retry claim again', async () => {
    assert.equal(await f.stores.deliveries.claim('evt-2', 'operator', future), true);
    await f.stores.deliveries.release('evt-2', 'operator');
    assert.equal(await f.stores.deliveries.claim('evt-2', 'operator', future), true);
    await f.stores.deliveries.release('never-claimed', 'email');
  });

  it('an expired marker counts as gone before TTL deletes it', async () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    assert.equal(await f.stores.deliveries.claim('evt-3', 'email', past), true);
    assert.equal(await f.stores.deliveries.claim('evt-3', 'email', future), true);
    assert.equal(await f.stores.deliveries.claim('evt-3', 'email', future), false);
  });
});
