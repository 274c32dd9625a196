import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeCursor, encodeCursor } from '../../../src/adapters/dynamodb/pagination.ts';
import { ValidationFailed } from '../../../src/domain/errors.ts';
import {
  booking,
  catalogItem,
  join,
  reservationFor,
  type StoreFixture,
  ticket,
  useStores,
} from './fixtures.ts';

const scope = { index: 'byUser', partition: 'USER#u1' };
const keyNames = ['gsi1pk', 'gsi1sk', 'pk', 'sk'];
const key = { gsi1pk: 'USER#u1', gsi1sk: '2026-12-01T12:00:00.000Z#r1', pk: 'RES#r1', sk: 'RES' };

function isCursorError(error: unknown): boolean {
  return (
    error instanceof ValidationFailed &&
    error.code === 'VALIDATION_FAILED' &&
    error.details.length === 1 &&
    error.details[0]?.path === 'cursor'
  );
}

const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('cursors', () => {
  it('round-trip the key of their own query', () => {
    assert.deepEqual(decodeCursor(encodeCursor(scope, key), scope, keyNames, 'gsi1pk'), key);
  });

  it('refuse foreign, forged and malformed cursors with VALIDATION_FAILED at cursor', () => {
    const cursor = encodeCursor(scope, key);
    const refused = [
      '',
      'not a cursor!',
      `${cursor}=`,
      cursor.slice(0, -1),
      'x'.repeat(5000),
      forge(null),
      forge([1, 2]),
      forge({ i: 'byUser', p: 'USER#u1' }),
      forge({ i: 'byUser', p: 'USER#u1', k: { ...key, extra: 'x' } }),
      forge({ i: 'byUser', p: 'USER#u1', k: { ...key, sk: 5 } }),
      forge({ i: 'byUser', p: 'USER#u1', k: { ...key, gsi1pk: 'USER#u2' } }),
      forge({ i: 'byUser', p: 'USER#u1', k: { gsi1pk: 'USER#u1', gsi1sk: 'a', pk: 'b' } }),
      forge({ i: 'byUser', p: 'USER#u1', k: { ...key, sk: '' } }),
      Buffer.from('{"i":').toString('base64url'),
    ];
    for (const bad of refused) {
      assert.throws(() => decodeCursor(bad, scope, keyNames, 'gsi1pk'), isCursorError, bad.slice(0, 40));
    }
    // a valid cursor of another user's list, or of another index
    assert.throws(
      () => decodeCursor(cursor, { ...scope, partition: 'USER#u2' }, keyNames, 'gsi1pk'),
      isCursorError,
    );
    assert.throws(
      () => decodeCursor(cursor, { ...scope, index: 'byTarget' }, keyNames, 'gsi1pk'),
      isCursorError,
    );
  });

  it('refuse a key outside the sort-key bounds of the query, or longer than DynamoDB takes', () => {
    const day = { name: 'gsi1sk', atLeast: '2026-12-01T05:00', atMost: '2026-12-02T05:00' };
    const inDay = encodeCursor(scope, key);
    assert.deepEqual(decodeCursor(inDay, { ...scope, sort: day }, keyNames, 'gsi1pk'), key);
    assert.deepEqual(
      decodeCursor(inDay, { ...scope, sort: { name: 'gsi1sk', below: '2026-12-02' } }, keyNames, 'gsi1pk'),
      key,
    );
    const outside = [
      { ...day, atLeast: '2026-12-01T13:00' },
      { ...day, atMost: '2026-12-01T11:00' },
      { name: 'gsi1sk', below: '2026-12-01T12:00:00.000Z' },
    ];
    for (const sort of outside) {
      assert.throws(() => decodeCursor(inDay, { ...scope, sort }, keyNames, 'gsi1pk'), isCursorError);
    }
    // bounds compare as DynamoDB does, by UTF-8 bytes: U+FFFF sorts below an emoji there, though
    // its UTF-16 unit sorts above the emoji's surrogates in JavaScript
    const astral = forge({ i: 'byUser', p: 'USER#u1', k: { ...key, gsi1sk: 'x\uffff' } });
    assert.throws(
      () =>
        decodeCursor(
          astral,
          { ...scope, sort: { name: 'gsi1sk', atLeast: 'x\u{1f600}' } },
          keyNames,
          'gsi1pk',
        ),
      isCursorError,
    );
    // 600 characters, 1200 bytes: DynamoDB's sort keys take at most 1024
    const long = forge({ i: 'byUser', p: 'USER#u1', k: { ...key, sk: 'é'.repeat(600) } });
    assert.ok(long.length <= 2048);
    assert.throws(() => decodeCursor(long, scope, keyNames, 'gsi1pk'), isCursorError);
  });

  it('property: random strings as cursors only ever give VALIDATION_FAILED', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), fc.string({ unit: 'binary' })), (s) => {
        try {
          decodeCursor(s, scope, keyNames, 'gsi1pk');
          return false;
        } catch (error) {
          return isCursorError(error);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('cursors against DynamoDB Local', () => {
  let f: StoreFixture;
  before(async () => {
    f = await useStores();
    const item = await f.stores.catalog.create(catalogItem({ capacity: 10 }));
    await f.stores.reservations.book(
      booking(reservationFor({ eventId: item.eventId }, { userId: 'u-pages' })),
    );
  });

  it('property: pages walk a list once, full but for the last, with a cursor only when more follow', async () => {
    // users with 0–12 tickets; each user's list is walked with every page size from 1 to 6
    const sizes = [0, 1, 2, 3, 4, 5, 6, 12];
    const users = new Map<number, { userId: string; ids: string[] }>();
    for (const size of sizes) {
      const userId = `u-walk-${size}-${Date.now()}`;
      const ids: string[] = [];
      for (let i = 0; i < size; i++) {
        const t = ticket({
          userId,
          venueId: `v-walk-${i}`,
          joinedAt: `2026-12-01T12:${String(i).padStart(2, '0')}:00.000Z`,
        });
        await f.stores.queue.join(join(t));
        ids.unshift(t.ticketId); // newest first
      }
      users.set(size, { userId, ids });
    }
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sizes), fc.integer({ min: 1, max: 6 }), async (size, limit) => {
        const { userId, ids: expected } = users.get(size) ?? { userId: 'nobody', ids: [] };
        const pages: string[][] = [];
        let cursor: string | undefined;
        do {
          const page = await f.stores.queue.listByUser(userId, { limit, ...(cursor ? { cursor } : {}) });
          pages.push(page.items.map((t) => t.ticketId));
          cursor = page.nextCursor;
        } while (cursor !== undefined && pages.length <= 20);
        assert.deepEqual(pages.flat(), expected);
        assert.equal(pages.length, Math.max(1, Math.ceil(expected.length / limit)));
        for (const page of pages.slice(0, -1)) assert.equal(page.length, limit);
        if (expected.length > 0) assert.ok((pages.at(-1) ?? []).length > 0, 'no empty last page');
      }),
      { numRuns: 40 },
    );
  });

  it('property: random strings handed to a real list only ever give VALIDATION_FAILED', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ minLength: 1 }), fc.base64String({ minLength: 4 })),
        async (s) => {
          try {
            await f.stores.reservations.listByUser('u-pages', { limit: 5, cursor: s });
            return false;
          } catch (error) {
            return isCursorError(error);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
