import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { slotIdFor } from '../../../src/adapters/dynamodb/index.ts';
import { ValidationFailed } from '../../../src/domain/errors.ts';
import type { PickupSlot } from '../../../src/domain/model.ts';
import { type StoreFixture, useStores } from './fixtures.ts';

function slot(startsAt: string, venueId = 'v-slots'): PickupSlot {
  const end = new Date(new Date(startsAt).getTime() + 15 * 60_000).toISOString();
  return { slotId: '', venueId, startsAt, endsAt: end, capacity: 4, booked: 0, remaining: 4 };
}

describe('slotIdFor', () => {
  it('derives a URL-safe id from venue and start', () => {
    assert.equal(slotIdFor('flagship-001', '2026-12-01T15:00:00.000Z'), 'flagship-001-20261201T1500Z');
    assert.equal(slotIdFor('flagship-001', '2026-12-01T15:00:30.000Z'), 'flagship-001-20261201T150030Z');
    assert.match(slotIdFor('v', '2026-01-02T03:04:00Z'), /^[A-Za-z0-9-]+$/);
  });
});

describe('DynamoSlotStore', () => {
  let f: StoreFixture;
  const day = ['2026-12-01T14:45:00.000Z', '2026-12-01T15:00:00.000Z', '2026-12-01T15:15:00.000Z'];
  before(async () => {
    f = await useStores();
  });

  it('creates only the slots that do not exist yet, in start order', async () => {
    const created = await f.stores.slots.createMany([slot(day[1]!), slot(day[0]!)]);
    assert.deepEqual(
      created.map((s) => s.slotId),
      ['v-slots-20261201T1445Z', 'v-slots-20261201T1500Z'],
    );
    const again = await f.stores.slots.createMany([slot(day[0]!), slot(day[1]!), slot(day[2]!)]);
    assert.deepEqual(
      again.map((s) => s.slotId),
      ['v-slots-20261201T1515Z'],
    );
    assert.deepEqual(await f.stores.slots.get('v-slots-20261201T1500Z'), {
      ...slot(day[1]!),
      slotId: 'v-slots-20261201T1500Z',
    });
    assert.equal(await f.stores.slots.get('missing'), undefined);
  });

  it('lists a venue’s slots with from <= startsAt < to, page by page', async () => {
    await f.stores.slots.createMany([slot(day[1]!, 'v-other')]);
    const page = await f.stores.slots.listByVenue('v-slots', { from: day[0]!, to: day[2]! }, { limit: 1 });
    assert.deepEqual(
      page.items.map((s) => s.startsAt),
      [day[0]],
    );
    assert.ok(page.nextCursor);
    const rest = await f.stores.slots.listByVenue(
      'v-slots',
      { from: day[0]!, to: day[2]! },
      { limit: 5, cursor: page.nextCursor },
    );
    assert.deepEqual(
      rest.items.map((s) => s.startsAt),
      [day[1]],
    );
    assert.equal(rest.nextCursor, undefined);
    assert.deepEqual(
      (await f.stores.slots.listByVenue('v-slots', { from: day[2]!, to: day[0]! }, { limit: 5 })).items,
      [],
    );
    await assert.rejects(
      f.stores.slots.listByVenue(
        'v-other',
        { from: day[0]!, to: day[2]! },
        { limit: 5, cursor: page.nextCursor },
      ),
      ValidationFailed,
    );
  });

  it('refuses a cursor of another day, or forged outside the day, as a bad cursor (DynamoDB would fail the query)', async () => {
    const nextDay = ['2026-12-02T14:45:00.000Z', '2026-12-02T15:00:00.000Z'];
    await f.stores.slots.createMany(nextDay.map((t) => slot(t)));
    const range = (d: string[]) => ({ from: d[0]!, to: `${d[0]!.slice(0, 10)}T23:59:59.999Z` });
    const first = await f.stores.slots.listByVenue('v-slots', range(nextDay), { limit: 1 });
    assert.ok(first.nextCursor);
    const forged = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString('utf8'));
    forged.k.gsi1sk = '2026-12-03T10:00:00.000Z#v-slots-20261203T1000Z';
    const cursors = [first.nextCursor, Buffer.from(JSON.stringify(forged)).toString('base64url')];
    for (const [i, cursor] of cursors.entries()) {
      await assert.rejects(
        f.stores.slots.listByVenue('v-slots', range(day), { limit: 1, cursor }),
        (e) => e instanceof ValidationFailed && e.details[0]?.path === 'cursor',
        `cursor ${i}`,
      );
    }
    await assert.rejects(
      f.stores.slots.listByVenue('v-slots', range(nextDay), { limit: 1, cursor: cursors[1] }),
      (e) => e instanceof ValidationFailed && e.details[0]?.path === 'cursor',
    );
  });
});
