/**
 * The measurements `npm run bench:api` puts beside its load run: latency statistics, bare
 * DynamoDB Local calls of the kinds the routes make (same concurrency, same store), the cold
 * module-init time of the Lambda bundles against a bare `node -e ''`, and the machine.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';

export interface Stats {
  count: number;
  p50: number;
  p99: number;
  mean: number;
}

/** p50, p99 and mean of latencies in ms. */
export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), mean };
}

/** The middle of the values (of an even count, the upper of the two). */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

/** `--rounds N` of a benchmark's command line (a positive integer), else `fallback`. */
export function roundsArg(argv: readonly string[], fallback: number): number {
  const at = argv.indexOf('--rounds');
  if (at < 0) return fallback;
  const rounds = Number(argv[at + 1]);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a positive integer');
  return rounds;
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join('/')}, Node ${process.version}`;
}

export type BareKind = 'Query' | 'GetItem' | 'TransactWriteItems';

/**
 * `concurrency` workers calling DynamoDB Local for `seconds`, one kind of call each run:
 * a GSI Query like the catalog listing, a GetItem like reading an event or a ticket, and a
 * two-item TransactWriteItems like a booking (conditional put + conditional counter update).
 */
export async function bareDynamo(
  endpoint: string,
  tables: { events: string; reservations: string },
  kind: BareKind,
  concurrency: number,
  seconds: number,
): Promise<Stats> {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const counter = { pk: `BENCH#${randomUUID()}`, sk: 'ITEM' };
  if (kind === 'TransactWriteItems') {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tables.events, Item: { ...counter, capacity: 1e9, booked: 0 } } },
        ],
      }),
    );
  }
  const call = () => {
    switch (kind) {
      case 'Query':
        return doc.send(
          new QueryCommand({
            TableName: tables.events,
            IndexName: 'byVenueListing',
            KeyConditionExpression: 'gsi1pk = :p',
            ExpressionAttributeValues: { ':p': 'flagship-001#schedule' },
            Limit: 20,
          }),
        );
      case 'GetItem':
        return doc.send(new GetCommand({ TableName: tables.events, Key: counter, ConsistentRead: true }));
      default:
        return doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tables.reservations,
                  Item: { pk: `BENCH#${randomUUID()}`, sk: 'RES', partySize: 1 },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: tables.events,
                  Key: counter,
                  UpdateExpression: 'SET #booked = #booked + :n',
                  ConditionExpression: '#capacity = :c AND #booked <= :max',
                  ExpressionAttributeNames: { '#booked': 'booked', '#capacity': 'capacity' },
                  ExpressionAttributeValues: { ':n': 1, ':c': 1e9, ':max': 1e9 - 1 },
                },
              },
            ],
          }),
        );
    }
  };
  const latencies: number[] = [];
  let failures = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const started = performance.now();
        try {
          await call();
          latencies.push(performance.now() - started);
        } catch {
          failures += 1;
        }
      }
    }),
  );
  doc.destroy();
  // a transaction conflict under load is retried by the stores; a bare call that keeps failing
  // would make the comparison meaningless, so it is an error here
  if (failures > latencies.length)
    throw new Error(`bare ${kind}: ${failures} of ${failures + latencies.length} calls failed`);
  return stats(latencies);
}

/** Median wall time of `runs` spawns of `node <args>`, in ms. */
function spawnMedian(args: string[], env: NodeJS.ProcessEnv, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const out = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${out.stderr}`);
    times.push(performance.now() - started);
  }
  return stats(times).p50;
}

/** Cold module-init of a bundle (import only, as a Lambda init does) against bare node. */
export function moduleInit(
  bundle: string,
  env: Record<string, string>,
  runs = 7,
): { bare: number; bundle: number } {
  const fullEnv = { ...process.env, ...env };
  const bare = spawnMedian(['-e', ''], fullEnv, runs);
  const withBundle = spawnMedian(
    ['--input-type=module', '-e', `await import(${JSON.stringify(`file://${bundle}`)})`],
    fullEnv,
    runs,
  );
  return { bare, bundle: withBundle };
}
