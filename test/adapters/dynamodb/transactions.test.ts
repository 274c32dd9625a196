import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoStores } from '../../../src/adapters/dynamodb/index.ts';
import { DomainError, NotBookable } from '../../../src/domain/errors.ts';
import { booking, catalogItem, reservationFor, type StoreFixture, useStores } from './fixtures.ts';

/**
 * A DocumentClient that runs `beforeTransaction` once, just before the first transaction is
 * sent: the window between a store's read and its write, where a concurrent change lands.
 */
function interceptedClient(
  doc: DynamoDBDocumentClient,
  beforeTransaction: () => Promise<void>,
): { client: DynamoDBDocumentClient; transactions: () => number } {
  let transactions = 0;
  const client = {
    send: async (command: unknown) => {
      if (command instanceof TransactWriteCommand && transactions++ === 0) await beforeTransaction();
      return doc.send(command as UpdateCommand);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, transactions: () => transactions };
}

describe('transactions against concurrent changes', () => {
  let f: StoreFixture;
  let doc: DynamoDBDocumentClient;
  before(async () => {
    f = await useStores();
    doc = createDocumentClient(f.endpoint);
  });

  async function setOnEvent(eventId: string, name: string, value: unknown): Promise<void> {
    await doc.send(
      new UpdateCommand({
        TableName: f.tables.events,
        Key: { pk: `ITEM#${eventId}`, sk: 'ITEM' },
        UpdateExpression: 'SET #n = :v',
        ExpressionAttributeNames: { '#n': name },
        ExpressionAttributeValues: { ':v': value },
      }),
    );
  }

  it('a capacity changed between read and write: the booking re-reads and books against the new one', async () => {
    const item = await f.stores.catalog.create(catalogItem({ capacity: 1 }));
    await f.stores.reservations.book(booking(reservationFor({ eventId: item.eventId })));
    // the booking reads capacity 2 (one seat left); the operator raises it to 3 before the write
    await setOnEvent(item.eventId, 'capacity', 2);
    const { client, transactions } = interceptedClient(doc, () => setOnEvent(item.eventId, 'capacity', 3));
    const stores = createDynamoStores(client, f.tables);
    await stores.reservations.book(booking(reservationFor({ eventId: item.eventId })));
    assert.equal(transactions(), 2);
    const after = await f.stores.catalog.get(item.eventId);
    assert.deepEqual([after?.capacity, after?.booked, after?.remaining], [3, 2, 1]);
  });

  it('an item cancelled between read and write: NOT_BOOKABLE from the failed condition, nothing written', async () => {
    const item = await f.stores.catalog.create(catalogItem({ capacity: 5 }));
    const { client, transactions } = interceptedClient(doc, () =>
      setOnEvent(item.eventId, 'status', 'cancelled'),
    );
    const stores = createDynamoStores(client, f.tables);
    const r = reservationFor({ eventId: item.eventId });
    await assert.rejects(stores.reservations.book(booking(r)), NotBookable);
    assert.equal(transactions(), 1);
    assert.equal(await f.stores.reservations.get(r.reservationId), undefined);
    assert.equal((await f.stores.catalog.get(item.eventId))?.booked, 0);
  });

  it('an unexpected SDK failure becomes an INTERNAL domain error that keeps its cause', async () => {
    const stores = createDynamoStores(doc, { ...f.tables, events: 'no-such-table' });
    await assert.rejects(stores.catalog.get('x'), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      assert.equal(error.code, 'INTERNAL');
      assert.equal((error.cause as Error).name, 'ResourceNotFoundException');
      assert.doesNotMatch(error.message, /no-such-table/);
      return true;
    });
  });

  it('an unreachable store becomes SERVICE_UNAVAILABLE (503), not INTERNAL', async () => {
    const unreachable = createDocumentClient('http://127.0.0.1:9');
    const stores = createDynamoStores(unreachable, f.tables);
    await assert.rejects(stores.catalog.get('x'), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      assert.equal(error.code, 'SERVICE_UNAVAILABLE');
      assert.equal((error.cause as { code?: string }).code, 'ECONNREFUSED');
      return true;
    });
    unreachable.destroy();
  });
});
