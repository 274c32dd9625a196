/**
 * The outbox sweep through its ports (fakes): what is due goes out and is marked, what is
 * young stays with the API, a refused event never holds up the others and is dead-lettered
 * after the last attempt, a bus out of reach fails the sweep after its metrics, and a backlog
 * drains in rounds while the invocation has time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OUTBOX_MAX_ATTEMPTS, type OutboxStore, type RefusedEvent } from '../../src/domain/ports.ts';
import {
  OUTBOX_METRICS_NAMESPACE,
  OUTBOX_SWEEPER_SERVICE,
  OutboxSweepFailed,
  sweepOutbox,
} from '../../src/outbox/outbox-sweep.ts';
import { collectingLogger, FakeOutbox, FakePublisher } from '../worker/fakes.ts';

const NOW = new Date('2026-12-05T15:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

function pending(id: string, occurredAt: string) {
  return {
    event: {
      detailType: 'BookingConfirmed' as const,
      detail: { id, occurredAt, venueId: 'v1', userId: 'u', correlationId: 'c' },
    },
  };
}

function setup(outbox: OutboxStore & { events?: unknown } = new FakeOutbox()) {
  const publisher = new FakePublisher();
  const logger = collectingLogger();
  const metrics: string[] = [];
  const clock = {
    current: NOW,
    now() {
      return this.current;
    },
  };
  const deps = {
    outbox,
    publisher,
    clock,
    logger,
    metricsSink: (line: string) => metrics.push(line),
    graceSeconds: 10,
  };
  return { deps, publisher, logger, metrics, clock };
}

describe('sweepOutbox', () => {
  it('publishes pending events older than the grace and marks them; younger ones stay with the API', async () => {
    const outbox = new FakeOutbox();
    outbox.events.push(
      pending('old', at(-1)),
      pending('fresh', new Date(NOW.getTime() - 5000).toISOString()),
    );
    const { deps, publisher, metrics } = setup(outbox);
    const report = await sweepOutbox(deps);
    assert.deepEqual(report, { rounds: 1, published: 1, refused: 0, deadLettered: 0 });
    assert.deepEqual(
      publisher.published.map((e) => e.detail.id),
      ['old'],
    );
    assert.equal(outbox.events[0]!.publishedAt, NOW.toISOString());
    assert.equal(outbox.events[1]!.publishedAt, undefined);
    const record = JSON.parse(metrics.at(-1)!);
    assert.equal(record._aws.CloudWatchMetrics[0].Namespace, OUTBOX_METRICS_NAMESPACE);
    assert.equal(record.Service, OUTBOX_SWEEPER_SERVICE);
    assert.deepEqual(
      [record.OutboxPublished, record.OutboxDeadLettered, record.OutboxSweepFailed],
      [1, 0, 0],
    );
    // a second sweep finds nothing more to send
    assert.equal((await sweepOutbox(deps)).published, 0);
    assert.equal(publisher.published.length, 1);
  });

  it('lets no event the bus refuses hold up the others, and dead-letters it after the last attempt', async () => {
    const outbox = new FakeOutbox();
    for (let i = 0; i < 25; i++) outbox.events.push(pending(`e${i}`, at(-10 + i / 100)));
    const { deps, publisher, clock, metrics, logger } = setup(outbox);
    publisher.refuse.add('e3');
    const first = await sweepOutbox(deps);
    assert.deepEqual(
      [first.published, first.refused],
      [24, 1],
      'every other event goes out in the same sweep',
    );
    assert.deepEqual(
      outbox.events.filter((e) => e.publishedAt === undefined).map((e) => e.event.detail.id),
      ['e3'],
    );
    // refused again and again, each time once it is due, until it is dead-lettered
    let sweeps = 1;
    while (outbox.events[3]!.deadAt === undefined && sweeps < 50) {
      clock.current = new Date(clock.current.getTime() + 61 * 60_000);
      await sweepOutbox(deps);
      sweeps++;
    }
    assert.equal(sweeps, OUTBOX_MAX_ATTEMPTS);
    assert.equal(publisher.published.filter((e) => e.detail.id !== 'e3').length, 24, 'nothing sent twice');
    assert.equal(JSON.parse(metrics.at(-1)!).OutboxDeadLettered, 1);
    assert.ok(logger.lines.some((l) => l.level === 'error' && l.message === 'outbox events dead-lettered'));
    // and a dead-lettered event is not tried again
    clock.current = new Date(clock.current.getTime() + 61 * 60_000);
    assert.equal((await sweepOutbox(deps)).deadLettered, 0);
  });

  it('keeps events pending when the bus is out of reach, and fails after counting the failure', async () => {
    const outbox = new FakeOutbox();
    outbox.events.push(pending('e1', at(-1)));
    const { deps, publisher, metrics, logger } = setup(outbox);
    publisher.fail = true;
    const failed = await sweepOutbox(deps).then(
      () => assert.fail('the sweep should have failed'),
      (error: unknown) => error,
    );
    assert.ok(failed instanceof OutboxSweepFailed);
    assert.equal((failed.cause as Error).message, 'bus down');
    assert.equal(outbox.events[0]!.publishedAt, undefined);
    assert.equal(JSON.parse(metrics.at(-1)!).OutboxSweepFailed, 1);
    assert.ok(
      logger.lines.some((l) => l.level === 'warn' && String(l.message).startsWith('outbox sweep failed')),
    );
    // the next sweep, with the bus back, delivers it
    publisher.fail = false;
    assert.equal((await sweepOutbox(deps)).published, 1);
  });

  it('fails, after its metrics, when the store cannot be read', async () => {
    const unreadable: OutboxStore = {
      listPending: async () => {
        throw Object.assign(new Error('store down'), { name: 'ServiceUnavailable' });
      },
      markPublished: async () => undefined,
      deferRefused: async (_refused: RefusedEvent[]) => [],
    };
    const { deps, metrics } = setup(unreadable);
    await assert.rejects(sweepOutbox(deps), OutboxSweepFailed);
    assert.equal(JSON.parse(metrics.at(-1)!).OutboxSweepFailed, 1);
  });

  it('drains a backlog in rounds of a batch while the invocation has time, and stops when it has none', async () => {
    const outbox = new FakeOutbox();
    for (let i = 0; i < 23; i++) outbox.events.push(pending(`b${i}`, at(-30 + i / 100)));
    const { deps, publisher } = setup(outbox);
    const all = await sweepOutbox({ ...deps, batch: 5 });
    assert.deepEqual([all.rounds, all.published], [5, 23]);
    assert.deepEqual(
      publisher.published.map((e) => e.detail.id),
      outbox.events.map((e) => e.event.detail.id),
      'oldest first',
    );

    const more = new FakeOutbox();
    for (let i = 0; i < 23; i++) more.events.push(pending(`c${i}`, at(-30 + i / 100)));
    let asked = 0;
    const cut = await sweepOutbox({ ...setup(more).deps, batch: 5 }, { mayGoOn: () => ++asked < 2 });
    assert.deepEqual([cut.rounds, cut.published], [2, 10], 'one round, and one more while time was left');
    assert.equal(more.events.filter((e) => e.publishedAt === undefined).length, 13);
  });
});
