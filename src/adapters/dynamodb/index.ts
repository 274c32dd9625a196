/**
 * The DynamoDB adapters: one store per port of src/domain/ports.ts, on the keys and GSIs of
 * templates/data.yaml (docs/data-model.md). Handlers and the worker build the client once at
 * module scope and pass it here.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsRegion } from '../../config/env.ts';
import type { TableNames } from '../../config/tables.ts';
import type {
  CatalogStore,
  DeliveryLedger,
  OutboxStore,
  PreferencesStore,
  QueueStore,
  ReservationStore,
  ServiceTimeStore,
  SlotStore,
  WorkerLeaseStore,
} from '../../domain/ports.ts';
import { DynamoCatalogStore } from './catalog-store.ts';
import { Db, type StoreOptions } from './db.ts';
import { DynamoDeliveryLedger } from './delivery-ledger.ts';
import { DynamoOutboxStore } from './outbox-store.ts';
import { DynamoPreferencesStore } from './preferences-store.ts';
import { DynamoQueueStore } from './queue-store.ts';
import { DynamoReservationStore } from './reservation-store.ts';
import { DynamoSlotStore } from './slot-store.ts';
import { DynamoServiceTimeStore, DynamoWorkerLease } from './worker-state.ts';

export type { StoreOptions } from './db.ts';
export { slotIdFor } from './slot-store.ts';

export interface DynamoStores {
  catalog: CatalogStore;
  slots: SlotStore;
  reservations: ReservationStore;
  queue: QueueStore;
  outbox: OutboxStore;
  preferences: PreferencesStore;
  deliveries: DeliveryLedger;
  workerLease: WorkerLeaseStore;
  serviceTimes: ServiceTimeStore;
}

/**
 * A DocumentClient that drops `undefined` fields (optional model fields) when marshalling.
 * `endpoint` points it at DynamoDB Local (serviceEndpoints().dynamodb); unset in AWS.
 */
export function createDocumentClient(endpoint?: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: awsRegion(),
    ...(endpoint ? { endpoint } : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** Every store over one client and one set of tables. */
export function createDynamoStores(
  doc: DynamoDBDocumentClient,
  tables: TableNames,
  options: StoreOptions = {},
): DynamoStores {
  const db = new Db(doc, tables, options);
  return {
    catalog: new DynamoCatalogStore(db),
    slots: new DynamoSlotStore(db),
    reservations: new DynamoReservationStore(db),
    queue: new DynamoQueueStore(db),
    outbox: new DynamoOutboxStore(db),
    preferences: new DynamoPreferencesStore(db),
    deliveries: new DynamoDeliveryLedger(db),
    workerLease: new DynamoWorkerLease(db),
    serviceTimes: new DynamoServiceTimeStore(db),
  };
}
