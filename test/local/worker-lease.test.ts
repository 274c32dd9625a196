/**
 * The hub runs the only worker there is, so before it starts one (at start-up on kept tables,
 * or after a crash) it ends the lease an earlier worker process left (ADR 0507): the new worker
 * plans at once instead of standing by for WORKER_LEASE_SECONDS. Against DynamoDB Local, and
 * with a stand-in worker bundle for the supervisor.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoStores } from '../../src/adapters/dynamodb/index.ts';
import { queueKeys } from '../../src/adapters/dynamodb/keys.ts';
import { endLeftoverLease, superviseWorker } from '../../src/local/worker-process.ts';
import { createLogger } from '../../src/observability/log.ts';
import { useTables } from '../helpers/dynamodb.ts';

const quiet = createLogger('test', { level: 'error', sink: () => undefined });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the lease an earlier worker left', () => {
  let doc: ReturnType<typeof createDocumentClient>;
  let table: string;
  let leaseTables: Awaited<ReturnType<typeof useTables>>['tables'];
  let lease: ReturnType<typeof createDynamoStores>['workerLease'];
  before(async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    const { endpoint, tables } = await useTables();
    doc = createDocumentClient(endpoint);
    table = tables.queueState;
    leaseTables = tables;
    lease = createDynamoStores(doc, tables).workerLease;
  });

  it('is ended, so that the next worker takes it at once, and the board keeps when it last ran', async () => {
    const now = Date.now();
    // a worker that died mid-lease (a crash, a hub killed with its tables kept)
    assert.equal(await lease.acquire('dead-worker', now, now + 3600_000), true);
    assert.equal(await lease.acquire('new-worker', now + 1000, now + 6000), false, 'it would stand by');
    assert.equal(await endLeftoverLease(doc, leaseTables), true);
    const item = (await doc.send(new GetCommand({ TableName: table, Key: queueKeys.workerLease() }))).Item;
    assert.equal(item?.leaseUntil, 0);
    assert.equal(item?.renewedAt, new Date(now).toISOString(), 'renewedAt stays for the operators’ board');
    assert.equal(await lease.acquire('new-worker', now + 1000, now + 6000), true, 'it plans at once');
  });

  it('is left alone when there is none, or it has ended already', async () => {
    const { tables } = await useTables();
    assert.equal(await endLeftoverLease(doc, tables), false);
    const none = await doc.send(
      new GetCommand({ TableName: tables.queueState, Key: queueKeys.workerLease() }),
    );
    assert.equal(none.Item, undefined, 'no lease item is made up');
    const fresh = createDynamoStores(doc, tables).workerLease;
    assert.equal(await fresh.acquire('stopped-worker', Date.now(), Date.now() + 5000), true);
    await fresh.release('stopped-worker');
    assert.equal(await endLeftoverLease(doc, tables), false, 'a released lease stays as it is');
  });
});

describe('the worker supervisor', () => {
  it('runs its before-start step to the end before each start, the first and after a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'supervise-'));
    const marker = join(dir, 'lease-ended');
    const seen = join(dir, 'seen');
    const bundle = join(dir, 'worker.mjs');
    // a worker that notes what it found, crashes on its first start and runs on its second
    writeFileSync(
      bundle,
      `import { appendFileSync, existsSync, readFileSync } from 'node:fs';
const found = existsSync(${JSON.stringify(marker)}) ? readFileSync(${JSON.stringify(marker)}, 'utf8') : 'none';
appendFileSync(${JSON.stringify(seen)}, found + '\\n');
if (found === '1') process.exit(1);
setInterval(() => {}, 1000);
`,
    );
    let steps = 0;
    const worker = superviseWorker(bundle, {}, quiet, {
      beforeStart: async () => {
        steps += 1;
        await sleep(150);
        writeFileSync(marker, String(steps));
      },
    });
    const deadline = Date.now() + 15_000;
    while (!(existsSync(seen) && readFileSync(seen, 'utf8').split('\n').length > 2)) {
      if (Date.now() > deadline) break;
      await sleep(100);
    }
    await worker.stop();
    assert.deepEqual(readFileSync(seen, 'utf8').trim().split('\n'), ['1', '2']);
  });
});
