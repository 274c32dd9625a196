/**
 * At least once, and at most one message per event and channel, when attempts die or overlap:
 * the fan-out's delivery leases, run over the in-memory ledger and over the real DynamoDB
 * adapter (DynamoDB Local), with SNS publishes held at a gate to stand for a slow call or,
 * never let through, a process that died there.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { createDocumentClient, createDynamoStores } from '../../src/adapters/dynamodb/index.ts';
import { DEFAULT_PREFERENCES } from '../../src/domain/model.ts';
import type { DeliveryLedger } from '../../src/domain/ports.ts';
import { DEFAULT_REMAINING_MS, LEASE_MARGIN_MS, leaseEnd } from '../../src/fanout/leased-delivery.ts';
import { createNotificationFanout, FanoutFailed } from '../../src/fanout/notification-fanout.ts';
import { useTables } from '../helpers/dynamodb.ts';
import { sampleEvent } from '../helpers/sample-events.ts';
import { type Harness, harness } from './fakes.ts';

const START = Date.parse('2026-11-20T14:02:11.000Z');
/** a 10 s invocation: the lease ends 10 s + the margin after the claim */
const INVOCATION = { remainingMs: 10_000 };
const LEASE_MS = INVOCATION.remainingMs + LEASE_MARGIN_MS;
const outcome = (o: Partial<Record<'sent' | 'duplicates' | 'failed' | 'inFlight', number>>) => ({
  sent: 0,
  duplicates: 0,
  failed: 0,
  inFlight: 0,
  ...o,
});

function booking() {
  const { detail, 'detail-type': type } = sampleEvent('booking-confirmed');
  return { type, detail };
}

const inFlight = (n: number) => (error: unknown) => {
  assert.ok(error instanceof FanoutFailed);
  assert.deepEqual(error.outcome.inFlight, n);
  return true;
};

type LedgerFor = (h: Harness) => DeliveryLedger;

const backends: [string, () => Promise<LedgerFor>][] = [
  ['in memory', async () => (h) => h.ledger],
  [
    'DynamoDB Local',
    async () => {
      process.env.AWS_ACCESS_KEY_ID ??= 'local';
      process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
      const db = await useTables();
      const doc = createDocumentClient(db.endpoint);
      // the adapter reads the same hand-moved clock as the fan-out
      return (h) =>
        createDynamoStores(doc, db.tables, { now: () => h.deps.clock.now(), retry: { attempts: 20 } })
          .deliveries;
    },
  ],
];

for (const [name, makeBackend] of backends) {
  describe(`delivery leases (${name})`, () => {
    let ledgerFor: LedgerFor;
    before(async () => {
      ledgerFor = await makeBackend();
    });

    /** a harness on the backend's ledger, at START; each test fans out its own event */
    function setup(channels = { email: true, sms: false }) {
      const h = harness(new Date(START).toISOString());
      const ledger = ledgerFor(h);
      const { type, detail } = booking();
      detail.id = randomUUID();
      h.preferences.set(detail.userId, { ...DEFAULT_PREFERENCES, channels, phone: '+12125550100' });
      const fanOut = createNotificationFanout({ ...h.deps, ledger });
      const at = (ms: number) => h.setNow(new Date(START + ms).toISOString());
      return { h, ledger, type, detail, fanOut: () => fanOut(type, structuredClone(detail), INVOCATION), at };
    }

    it('(a) the process dies after its claim: retries fail during the lease, then one delivers exactly once', async () => {
      const { h, fanOut, at } = setup();
      const died = h.notifier.gate('email', 'before'); // never opened: nothing reached SNS
      void fanOut();
      await died.reached;

      at(LEASE_MS - 1_000);
      await assert.rejects(fanOut(), inFlight(1));
      assert.equal(h.notifier.sent.length, 0);

      at(LEASE_MS + 1_000);
      assert.deepEqual(await fanOut(), outcome({ sent: 1 }));
      assert.deepEqual(await fanOut(), outcome({ duplicates: 1 }));
      assert.equal(h.notifier.sent.length, 1);
    });

    it('(b) a duplicate during a live lease fails the invocation; after the confirm a retry is a no-op', async () => {
      const { h, fanOut, at } = setup();
      const slow = h.notifier.gate('email', 'before');
      const first = fanOut();
      await slow.reached;
      await assert.rejects(fanOut(), inFlight(1));
      slow.open();
      assert.deepEqual(await first, outcome({ sent: 1 }));

      at(LEASE_MS + 60_000); // long after the lease: the confirm, not the lease, holds it
      assert.deepEqual(await fanOut(), outcome({ duplicates: 1 }));
      assert.equal(h.notifier.sent.length, 1);
    });

    it('(c) the same event three times in a row, then three at once, is one message per channel', async () => {
      const { h, fanOut } = setup({ email: true, sms: true });
      const outcomes = [await fanOut(), await fanOut(), await fanOut()];
      assert.deepEqual(outcomes, [
        outcome({ sent: 2 }),
        outcome({ duplicates: 2 }),
        outcome({ duplicates: 2 }),
      ]);

      const fresh = setup({ email: true, sms: true });
      const copies = await Promise.allSettled([fresh.fanOut(), fresh.fanOut(), fresh.fanOut()]);
      for (const copy of copies)
        if (copy.status === 'rejected')
          assert.ok(
            copy.reason instanceof FanoutFailed && copy.reason.outcome.failed === 0,
            'only held, never failed',
          );
      // the copies that met a live lease are retried; by then everything is sent
      assert.deepEqual(await fresh.fanOut(), outcome({ duplicates: 2 }));
      for (const x of [h, fresh.h])
        assert.deepEqual(x.notifier.sent.map((n) => n.channel).sort(), ['email', 'sms']);
    });

    it('the process dies after the publish, before the confirm: the retry after the lease sends it again', async () => {
      const { h, fanOut, at } = setup();
      const died = h.notifier.gate('email', 'after'); // SNS has it; the confirm never happens
      void fanOut();
      await died.reached;
      await assert.rejects(fanOut(), inFlight(1));
      at(LEASE_MS + 1_000);
      assert.deepEqual(await fanOut(), outcome({ sent: 1 }));
      // at least once wins over at most once: the one case that duplicates
      assert.equal(h.notifier.sent.length, 2);
      assert.deepEqual(await fanOut(), outcome({ duplicates: 1 }));
    });

    it('a failed publish whose release fails too waits for the lease, then delivers once', async () => {
      const { h, ledger, type, detail, at } = setup();
      const broken: DeliveryLedger = {
        claim: (...args) => ledger.claim(...args),
        confirm: (...args) => ledger.confirm(...args),
        release: async () => {
          throw Object.assign(new Error('table unreachable'), { name: 'InternalServerError' });
        },
      };
      const fanOut = (l: DeliveryLedger) =>
        createNotificationFanout({ ...h.deps, ledger: l })(type, detail, INVOCATION);
      h.notifier.failing.add('email');
      await assert.rejects(fanOut(broken), (e: FanoutFailed) => e.outcome.failed === 1);
      assert.ok(
        h.logs.some((l) => l.message === 'claim not released; the retry waits for its lease to run out'),
      );
      h.notifier.failing.clear();
      await assert.rejects(fanOut(ledger), inFlight(1));
      at(LEASE_MS + 1_000);
      assert.deepEqual(await fanOut(ledger), outcome({ sent: 1 }));
      assert.equal(h.notifier.sent.length, 1);
    });

    it('a confirm that fails after the publish still counts the message as sent, and says so', async () => {
      const { h, ledger, type, detail } = setup();
      const unconfirmed: DeliveryLedger = {
        claim: (...args) => ledger.claim(...args),
        confirm: async () => {
          throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
        },
        release: (...args) => ledger.release(...args),
      };
      const fanOut = createNotificationFanout({ ...h.deps, ledger: unconfirmed });
      assert.deepEqual(await fanOut(type, detail, INVOCATION), outcome({ sent: 1 }));
      assert.ok(
        h.logs.some((l) => l.level === 'error' && l.errorName === 'ProvisionedThroughputExceededException'),
      );
      // still held by the lease, so an immediate redelivery does not repeat it
      await assert.rejects(fanOut(type, detail, INVOCATION), inFlight(1));
      assert.equal(h.notifier.sent.length, 1);
    });
  });
}

describe('lease length', () => {
  it('ends the margin after the invocation deadline, or after the default invocation time', () => {
    const now = new Date(START);
    assert.equal(
      leaseEnd(now, { remainingMs: 7_500 }),
      new Date(START + 7_500 + LEASE_MARGIN_MS).toISOString(),
    );
    assert.equal(leaseEnd(now), new Date(START + DEFAULT_REMAINING_MS + LEASE_MARGIN_MS).toISOString());
    assert.equal(leaseEnd(now, { remainingMs: -5 }), new Date(START + LEASE_MARGIN_MS).toISOString());
  });
});
