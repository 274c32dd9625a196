import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Preferences } from '../../../src/domain/model.ts';
import { type StoreFixture, useStores } from './fixtures.ts';

describe('DynamoPreferencesStore', () => {
  let f: StoreFixture;
  before(async () => {
    f = await useStores();
  });

  it('stores a whole document and reads back exactly it', async () => {
    assert.equal(await f.stores.preferences.get('u-1'), undefined);
    const prefs: Preferences = {
      channels: { email: true, sms: true },
      email: 'a@example.com',
      phone: '+15550100',
      interests: ['coffee'],
      language: 'en',
      accessibility: true,
      marketingOptIn: false,
    };
    assert.deepEqual(await f.stores.preferences.put('u-1', prefs, '2026-12-01T12:00:00.000Z'), prefs);
    assert.deepEqual(await f.stores.preferences.get('u-1'), prefs);
    // PUT replaces: a field left out is gone
    const { phone: _phone, ...withoutPhone } = prefs;
    await f.stores.preferences.put('u-1', withoutPhone, '2026-12-01T12:01:00.000Z');
    assert.deepEqual(await f.stores.preferences.get('u-1'), withoutPhone);
  });
});
