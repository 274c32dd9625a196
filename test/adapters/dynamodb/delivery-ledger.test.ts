import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Db } from '../../../src/adapters/dynamodb/db.ts';
import { DynamoDeliveryLedger } from '../../../src/adapters/dynamodb/delivery-ledger.ts';
import { createDocumentClient } from '../../../src/adapters/dynamodb/index.ts';
import { DeliveryInFlight } from '../../../src/domain/ports.ts';
import { type TestTables, useTables } from '../../helpers/dynamodb.ts';

const START = Date.parse('2026-12-01T12:00:00.000Z');
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString();
/** markers live a day; leases 40 s from the claim */
const expires = at(86_400);

describe('DynamoDeliveryLedger', () => {
  let db: TestTables;
  let doc: DynamoDBDocumentClient;
  let clock = START;
  const ledgerOver = (client: DynamoDBDocumentClient) =>
    new DynamoDeliveryLedger(
      new Db(client, db.tables, { now: () => new Date(clock), retry: { attempts: 20 } }),
    );
  let ledger: DynamoDeliveryLedger;

  before(async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    db = await useTables();
    doc = createDocumentClient(db.endpoint);
    ledger = ledgerOver(doc);
  });

  const marker = async (eventId: string, channel: string) =>
    (
      await db.client.send(
        new GetItemCommand({
          TableName: db.tables.preferences,
          Key: { pk: { S: `DELIVERY#${eventId}#${channel}` }, sk: { S: 'DELIVERY' } },
        }),
      )
    ).Item;

  it('leases once per event and channel under concurrency; the others meet the live lease', async () => {
    clock = START;
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => ledger.claim('evt-1', 'email', expires, at(40))),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled' && r.value === true).length, 1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      assert.ok(r.reason instanceof DeliveryInFlight);
      assert.equal(r.reason.leaseUntil, at(40));
    }
    assert.equal(results.filter((r) => r.status === 'rejected').length, 9);
    assert.equal(await ledger.claim('evt-1', 'sms', expires, at(40)), true, 'another channel');
    const stored = await marker('evt-1', 'email');
    assert.equal(stored?.status?.S, 'pending');
    assert.equal(stored?.leaseUntil?.N, String(Date.parse(at(40))));
    assert.equal(stored?.expiresAt?.N, String(Math.floor(Date.parse(expires) / 1000)));
  });

  it('a confirmed marker is sent for good: claims say so, release leaves it, the lease no longer matters', async () => {
    clock = START;
    assert.equal(await ledger.claim('evt-2', 'email', expires, at(40)), true);
    await ledger.confirm('evt-2', 'email', expires);
    assert.equal(await ledger.claim('evt-2', 'email', expires, at(40)), false);
    await ledger.release('evt-2', 'email');
    clock = START + 3_600_000;
    assert.equal(await ledger.claim('evt-2', 'email', expires, at(3_640)), false);
    const stored = await marker('evt-2', 'email');
    assert.equal(stored?.status?.S, 'sent');
    assert.equal(stored?.leaseUntil, undefined);
  });

  it('release lets a retry lease again at once', async () => {
    clock = START;
    assert.equal(await ledger.claim('evt-3', 'operator', expires, at(40)), true);
    await ledger.release('evt-3', 'operator');
    assert.equal(await marker('evt-3', 'operator'), undefined);
    assert.equal(await ledger.claim('evt-3', 'operator', expires, at(40)), true);
    await ledger.release('never-claimed', 'email');
  });

  it('a pending marker whose lease ran out (its attempt died) is taken over, with a lease of its own', async () => {
    clock = START;
    assert.equal(await ledger.claim('evt-4', 'email', expires, at(40)), true);
    clock = START + 39_000;
    await assert.rejects(ledger.claim('evt-4', 'email', expires, at(79)), DeliveryInFlight);
    clock = START + 41_000;
    assert.equal(await ledger.claim('evt-4', 'email', expires, at(81)), true);
    await assert.rejects(ledger.claim('evt-4', 'email', expires, at(81)), (e: DeliveryInFlight) => {
      assert.equal(e.leaseUntil, at(81));
      return true;
    });
  });

  it('an expired marker counts as gone before TTL deletes it', async () => {
    clock = START;
    assert.equal(await ledger.claim('evt-5', 'email', at(60), at(40)), true);
    await ledger.confirm('evt-5', 'email', at(60));
    clock = START + 61_000;
    assert.equal(await ledger.claim('evt-5', 'email', expires, at(101)), true);
    await assert.rejects(ledger.claim('evt-5', 'email', expires, at(101)), DeliveryInFlight);
  });

  it('a marker written before leases (no status) counts as sent', async () => {
    clock = START;
    await db.client.send(
      new PutItemCommand({
        TableName: db.tables.preferences,
        Item: {
          pk: { S: 'DELIVERY#evt-6#email' },
          sk: { S: 'DELIVERY' },
          claimedAt: { S: at(-60) },
          expiresAt: { N: String(Math.floor(Date.parse(expires) / 1000)) },
        },
      }),
    );
    assert.equal(await ledger.claim('evt-6', 'email', expires, at(40)), false);
    await ledger.release('evt-6', 'email');
    assert.ok(await marker('evt-6', 'email'), 'release does not drop it');
  });

  it('a put resent after a lost response finds its own claim, not a stranger', async () => {
    clock = START;
    // every command reaches the table twice, as when the SDK retries a write whose reply was lost
    const resending = {
      send: async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        await doc.send(command);
        return doc.send(command);
      },
    } as unknown as DynamoDBDocumentClient;
    assert.equal(await ledgerOver(resending).claim('evt-7', 'sms', expires, at(40)), true);
    await assert.rejects(ledger.claim('evt-7', 'sms', expires, at(40)), DeliveryInFlight);
  });
});
