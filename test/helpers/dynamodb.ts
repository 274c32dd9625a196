/**
 * Integration-test access to DynamoDB Local. `npm test` starts one instance for the whole run
 * and passes DYNAMODB_ENDPOINT; a test file run on its own starts its own. Every call of
 * `useTables` creates a fresh set of tables (from templates/data.yaml) under a unique stage
 * name, so test files never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableNames } from '../../src/config/tables.ts';
import {
  createTables,
  type DynamoDbLocal,
  LOCAL_AWS,
  startDynamoDbLocal,
} from '../../src/local/dynamodb-local.ts';

let own: Promise<DynamoDbLocal> | undefined;
const clients: DynamoDBClient[] = [];

// Registered when a test file imports this module, so it runs when the file ends: an `after`
// called inside a `before` hook (where useTables is usually called) runs as soon as that hook
// ends, which stopped a file's own DynamoDB Local before its tests ran.
after(async () => {
  for (const client of clients) client.destroy();
  await (await own)?.stop();
});

async function endpoint(): Promise<string> {
  const shared = process.env.DYNAMODB_ENDPOINT;
  if (shared) return shared;
  own ??= startDynamoDbLocal();
  return (await own).endpoint;
}

export interface TestTables {
  endpoint: string;
  tables: TableNames;
  /** a raw client for the test's own checks */
  client: DynamoDBClient;
}

/** Fresh tables for one test file (call in a `before`). */
export async function useTables(): Promise<TestTables> {
  const url = await endpoint();
  const stage = `t${randomBytes(4).toString('hex')}`;
  const tables = await createTables(url, { AppName: 'test', Stage: stage });
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: url });
  clients.push(client);
  return { endpoint: url, tables, client };
}
