/**
 * DynamoDB throttling, injected into the real DocumentClient (a middleware that answers chosen
 * commands with ThrottlingException / ProvisionedThroughputExceededException / a
 * throttled transaction cancellation before the request leaves): the stores retry with bounded,
 * jittered backoff; when throttling outlasts the attempts the API answers 503
 * SERVICE_UNAVAILABLE in the error shape; and nothing is half-written — no reservation, no
 * seat, no guard, counter or outbox item, no ticket.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient, createDynamoStores } from '../../src/adapters/dynamodb/index.ts';
import { createEvent, createHarness } from '../helpers/api-harness.ts';
import { useTables } from '../helpers/dynamodb.ts';
import { deployedRules, person } from '../security/support.ts';

process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
const tables = await useTables();
const doc = createDocumentClient(tables.endpoint);

/** Which commands are throttled, and how often they were attempted. */
const throttle = {
  commands: new Set<string>(),
  remaining: 0,
  kind: 'ThrottlingException',
  attempts: new Map<string, number>(),
};

function throttled(kind: string): Error {
  if (kind === 'TransactionCanceledException') {
    return Object.assign(new Error('Transaction cancelled'), {
      name: kind,
      CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }],
      $metadata: { httpStatusCode: 400 },
    });
  }
  return Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
    name: kind,
    $metadata: { httpStatusCode: 400 },
  });
}

doc.middlewareStack.add(
  (next, context) => async (args) => {
    const command = String(context.commandName ?? '');
    throttle.attempts.set(command, (throttle.attempts.get(command) ?? 0) + 1);
    if (throttle.commands.has(command) && throttle.remaining > 0) {
      throttle.remaining -= 1;
      throw throttled(throttle.kind);
    }
    return next(args);
  },
  { step: 'initialize', name: 'injectThrottling' },
);

const ATTEMPTS = 4;
const sleeps: number[] = [];
const stores = createDynamoStores(doc, tables.tables, {
  retry: {
    attempts: ATTEMPTS,
    baseDelayMs: 20,
    maxDelayMs: 80,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  },
});
const h = await createHarness({ stores, rules: deployedRules() });

function inject(commands: string[], times: number, kind = 'ThrottlingException'): void {
  throttle.commands = new Set(commands);
  throttle.remaining = times;
  throttle.kind = kind;
  throttle.attempts.clear();
  sleeps.length = 0;
}

/** Every stored item of every table that mentions `text` anywhere. */
async function itemsMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const table of Object.values(tables.tables)) {
    const out = await tables.client.send(new ScanCommand({ TableName: table }));
    for (const item of out.Items ?? [])
      if (JSON.stringify(item).includes(text)) found.push(JSON.stringify(item));
  }
  return found;
}

describe('DynamoDB throttling', () => {
  it('a booking throttled twice succeeds after bounded, jittered backoff, and is written once', async () => {
    const alice = await person('alice');
    const event = await createEvent(h, { capacity: 5 });
    inject(['TransactWriteItemsCommand'], 2);
    const res = await h.call('POST', `/events/${event.eventId}/reservations`, {
      token: alice.token,
      body: { partySize: 2 },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(throttle.attempts.get('TransactWriteItemsCommand'), 3);
    assert.equal(sleeps.length, 2);
    assert.ok(sleeps[0] !== undefined && sleeps[0] >= 0 && sleeps[0] < 20, `first backoff ${sleeps[0]}`);
    assert.ok(sleeps[1] !== undefined && sleeps[1] >= 0 && sleeps[1] < 40, `second backoff ${sleeps[1]}`);
    assert.equal((await h.call('GET', `/events/${event.eventId}`)).body.event.booked, 2);
    assert.equal((await h.call('GET', '/me/reservations', { token: alice.token })).body.items.length, 1);
  });

  for (const kind of [
    'ThrottlingException',
    'ProvisionedThroughputExceededException',
    'TransactionCanceledException',
  ]) {
    it(`a booking throttled past the attempts (${kind}) → 503, nothing half-written`, async () => {
      const bob = await person('bob');
      const event = await createEvent(h, { capacity: 5 });
      inject(['TransactWriteItemsCommand'], 1000, kind);
      const res = await h.call('POST', `/events/${event.eventId}/reservations`, {
        token: bob.token,
        body: { partySize: 2 },
        headers: { 'idempotency-key': `throttled-${kind}` },
      });
      assert.equal(res.status, 503, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'SERVICE_UNAVAILABLE');
      assert.doesNotMatch(JSON.stringify(res.body), /Throttl|Provisioned|Transaction|dynamo/i);
      assert.equal(throttle.attempts.get('TransactWriteItemsCommand'), ATTEMPTS, 'bounded attempts');
      assert.equal(sleeps.length, ATTEMPTS - 1);
      assert.ok(
        sleeps.every((ms, i) => ms < Math.min(80, 20 * 2 ** i)),
        `backoffs ${sleeps.join(', ')}`,
      );

      inject([], 0);
      assert.equal((await h.call('GET', `/events/${event.eventId}`)).body.event.booked, 0);
      assert.deepEqual(
        await itemsMentioning(bob.sub),
        [],
        'no reservation, guard, counter, outbox or key record',
      );
      // and once DynamoDB recovers, the same request (same key) books normally
      const retry = await h.call('POST', `/events/${event.eventId}/reservations`, {
        token: bob.token,
        body: { partySize: 2 },
        headers: { 'idempotency-key': `throttled-${kind}` },
      });
      assert.equal(retry.status, 201);
    });
  }

  it('a queue join throttled past the attempts → 503 and no ticket, no guard, no join counted', async () => {
    const carol = await person('carol');
    inject(['TransactWriteItemsCommand'], 1000);
    const res = await h.call('POST', '/venues/flagship-001/queue/tickets', {
      token: carol.token,
      body: { serviceKind: 'returns', partySize: 1 },
    });
    assert.equal(res.status, 503);
    inject([], 0);
    assert.deepEqual(await itemsMentioning(carol.sub), []);
  });

  it('reads throttled past the attempts → 503, never 500', async () => {
    const event = await createEvent(h);
    inject(['GetItemCommand', 'QueryCommand'], 1000);
    const one = await h.call('GET', `/events/${event.eventId}`);
    const list = await h.call('GET', '/venues/flagship-001/events');
    inject([], 0);
    assert.equal(one.status, 503, JSON.stringify(one.body));
    assert.equal(list.status, 503, JSON.stringify(list.body));
    assert.equal(one.body.error.code, 'SERVICE_UNAVAILABLE');
  });
});
