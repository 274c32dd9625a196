import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Db } from '../../../src/adapters/dynamodb/db.ts';
import { createDocumentClient } from '../../../src/adapters/dynamodb/index.ts';
import { DynamoQueueStore } from '../../../src/adapters/dynamodb/queue-store.ts';
import { DynamoServiceTimeStore, DynamoWorkerLease } from '../../../src/adapters/dynamodb/worker-state.ts';
import { type TestTables, useTables } from '../../helpers/dynamodb.ts';

const START = Date.parse('2026-12-01T12:00:00.000Z');
const s = (seconds: number) => START + seconds * 1000;

describe('DynamoWorkerLease', () => {
  let db: TestTables;
  let lease: DynamoWorkerLease;
  let queue: DynamoQueueStore;

  before(async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    db = await useTables();
    const shared = new Db(createDocumentClient(db.endpoint), db.tables);
    lease = new DynamoWorkerLease(shared);
    queue = new DynamoQueueStore(shared);
  });

  const stored = async () =>
    (
      await db.client.send(
        new GetItemCommand({
          TableName: db.tables.queueState,
          Key: { pk: { S: 'WORKER#LEASE' }, sk: { S: 'LEASE' } },
          ConsistentRead: true,
        }),
      )
    ).Item;

  it('gives the lease to one task until it ends, renews it for its holder, and lets it go', async () => {
    assert.equal(await queue.plannerSeenAt(), undefined, 'no planner ever ran');
    assert.equal(await lease.acquire('a', s(0), s(30)), true);
    assert.equal(await lease.acquire('b', s(10), s(40)), false, 'held by a until 30 s');
    assert.equal(await lease.acquire('a', s(20), s(50)), true, 'a renews');
    assert.equal(await lease.acquire('b', s(45), s(75)), false, 'the renewal counts');
    const item = await stored();
    assert.equal(item?.owner?.S, 'a');
    assert.equal(item?.leaseUntil?.N, String(s(50)));
    assert.ok(Number(item?.expiresAt?.N) > s(50) / 1000, 'TTL keeps the item past its lease');

    assert.equal(await lease.acquire('b', s(51), s(81)), true, 'a lease that ended is free');
    assert.equal(await lease.acquire('a', s(60), s(90)), false, 'the old holder does not take it back');

    await lease.release('a'); // not a's any more: nothing happens
    assert.equal((await stored())?.owner?.S, 'b');
    await lease.release('b');
    // ended, not deleted: the board still reads when the planner last ran
    assert.equal((await stored())?.leaseUntil?.N, '0');
    assert.equal(await queue.plannerSeenAt(), new Date(s(51)).toISOString());
    assert.equal(await lease.acquire('a', s(61), s(91)), true, 'a released lease is free at once');
    assert.equal(await queue.plannerSeenAt(), new Date(s(61)).toISOString());
  });

  it('is not locked forever by an item without a lease end (written by hand)', async () => {
    await db.client.send(
      new PutItemCommand({
        TableName: db.tables.queueState,
        Item: { pk: { S: 'WORKER#LEASE' }, sk: { S: 'LEASE' }, owner: { S: 'someone' } },
      }),
    );
    assert.equal(await lease.acquire('a', s(70), s(100)), true);
  });

  it('lets only one of many tasks that ask at once take a free lease', async () => {
    await lease.release('a');
    const owners = Array.from({ length: 8 }, (_, i) => `t${i}`);
    const taken = await Promise.all(owners.map((o) => lease.acquire(o, s(100), s(130))));
    assert.equal(taken.filter(Boolean).length, 1);
    assert.equal((await stored())?.owner?.S, owners[taken.indexOf(true)]);
  });
});

describe('DynamoServiceTimeStore', () => {
  let db: TestTables;
  let clock = START;
  let store: DynamoServiceTimeStore;

  before(async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    db = await useTables();
    store = new DynamoServiceTimeStore(
      new Db(createDocumentClient(db.endpoint), db.tables, { now: () => new Date(clock) }),
    );
  });

  it('keeps the latest times per venue for a week', async () => {
    assert.equal(await store.load('v1'), undefined);
    const first = {
      recent: { pickup: { mean: 4.5, count: 40 } },
      steady: { pickup: { mean: 4.1, count: 80 } },
    };
    await store.save('v1', first, new Date(s(0)));
    const second = {
      recent: { pickup: { mean: 4.25, count: 100 }, returns: { mean: 7.5, count: 12 } },
      steady: { pickup: { mean: 4.2, count: 140 } },
    };
    await store.save('v1', second, new Date(s(60)));
    assert.deepEqual(await store.load('v1'), second);
    assert.equal(await store.load('v2'), undefined, 'per venue');
    clock = s(7 * 86_400 + 61);
    assert.equal(await store.load('v1'), undefined, 'a week-old copy is not worth starting from');
  });
});
