/**
 * The queue worker killed in the middle of writing its plan, over the real DynamoDB queue
 * store: the API changes tickets while the doomed worker plans (a shopper leaves, an operator
 * calls someone), the worker writes part of its plan and dies. No ticket is corrupted (each
 * write is one conditional item update on the version it read, so the API's changes win and
 * survive), none is lost, and a fresh worker re-plans every waiting ticket from what is stored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlanWrite, QueueStore, StoredTicket } from '../../src/domain/ports.ts';
import { createLogger } from '../../src/observability/log.ts';
import { QueueWorker } from '../../src/worker/queue-worker.ts';
import { useStores } from '../adapters/dynamodb/fixtures.ts';
import { FakeClock, FakeRulesProvider } from '../fakes/index.ts';
import { createHarness } from '../helpers/api-harness.ts';
import { deployedRules, type Person, person } from '../security/support.ts';

const VENUE = 'flagship-001';
const quiet = createLogger('faults', { level: 'error', sink: () => undefined });
const db = await useStores();
const h = await createHarness({ stores: db.stores, rules: deployedRules() });
const rules = new FakeRulesProvider(deployedRules());

/** A queue store whose process dies during `applyPlan`, after `survive` writes. */
class DyingQueue implements QueueStore {
  seen: PlanWrite[] = [];
  constructor(
    private readonly inner: QueueStore,
    private readonly survive: number,
    private readonly beforeWrite: () => Promise<void>,
  ) {}
  join = (...args: Parameters<QueueStore['join']>) => this.inner.join(...args);
  get = (id: string) => this.inner.get(id);
  listActive = (venueId: string) => this.inner.listActive(venueId);
  listByUser = (...args: Parameters<QueueStore['listByUser']>) => this.inner.listByUser(...args);
  transition = (...args: Parameters<QueueStore['transition']>) => this.inner.transition(...args);
  lanePlanUpTo = (...args: Parameters<QueueStore['lanePlanUpTo']>) => this.inner.lanePlanUpTo(...args);
  lanePlanHead = (...args: Parameters<QueueStore['lanePlanHead']>) => this.inner.lanePlanHead(...args);
  plannerSeenAt = () => this.inner.plannerSeenAt();
  async applyPlan(venueId: string, assignments: PlanWrite[]): Promise<{ written: number; skipped: number }> {
    this.seen = assignments;
    await this.beforeWrite();
    await this.inner.applyPlan(venueId, assignments.slice(0, this.survive));
    throw new Error('SIGKILL: the worker died mid-write');
  }
}

function worker(queue: QueueStore, at: string): QueueWorker {
  return new QueueWorker({
    rules,
    queue,
    slots: db.stores.slots,
    clock: new FakeClock(new Date(at)),
    logger: quiet,
    metricsSink: () => undefined,
  });
}

async function snapshot(ids: string[]): Promise<Map<string, StoredTicket>> {
  const out = new Map<string, StoredTicket>();
  for (const id of ids) {
    const t = await db.stores.queue.get(id);
    assert.ok(t, `ticket ${id} was lost`);
    out.set(id, t);
  }
  return out;
}

describe('the worker killed mid-write', () => {
  it('corrupts and loses nothing; the API changes made meanwhile stand; the next worker carries on', async () => {
    const kinds = [
      'returns',
      'pickup',
      'consultation',
      'returns',
      'pickup',
      'returns',
      'consultation',
      'pickup',
    ];
    const shoppers: Person[] = [];
    const ids: string[] = [];
    for (const [i, serviceKind] of kinds.entries()) {
      const who = await person(`shopper${i}`);
      h.clock.set(`2026-12-01T15:0${i}:00.000Z`);
      const res = await h.call('POST', `/venues/${VENUE}/queue/tickets`, {
        token: who.token,
        body: { serviceKind, partySize: 1, accessibility: i === 3 },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      shoppers.push(who);
      ids.push(res.body.ticket.ticketId);
    }
    const before = await snapshot(ids);
    const operator = await person('olivia', ['operators']);

    let calledId = '';
    const leaver = 2;
    const dying = new DyingQueue(db.stores.queue, 3, async () => {
      // while the doomed worker holds its plan, the API moves on
      const left = await h.call('DELETE', `/queue/tickets/${ids[leaver]}`, {
        token: shoppers[leaver]?.token,
      });
      assert.equal(left.status, 200);
      const called = await h.call('POST', `/venues/${VENUE}/lanes/L4/call-next`, { token: operator.token });
      assert.equal(called.status, 200);
      calledId = called.body.ticket.ticketId;
    });
    const crashed = await worker(dying, '2026-12-01T15:10:00.000Z').runOnce();
    assert.deepEqual(crashed.failedVenues, [VENUE]);
    assert.ok(dying.seen.length >= ids.length - 1, 'the doomed worker planned every waiting ticket');

    const afterCrash = await snapshot(ids);
    for (const [id, t] of afterCrash) {
      const was = before.get(id) as StoredTicket;
      assert.ok(t.version >= was.version, `${id}: version went back`);
      assert.equal(t.userId, was.userId);
      assert.equal(t.serviceKind, was.serviceKind);
    }
    // the API's changes were not overwritten by the plan written afterwards
    assert.equal(afterCrash.get(ids[leaver] as string)?.status, 'left');
    assert.equal(afterCrash.get(calledId)?.status, 'called');
    assert.equal(afterCrash.get(calledId)?.calledLaneId, 'L4');
    const written = [...afterCrash.values()].filter((t) => t.status === 'waiting' && t.laneId !== undefined);
    assert.ok(written.length <= 3, 'no more than the writes that happened before the crash');

    // a fresh worker (no memory of the old one) carries on from what is stored
    const next = await worker(db.stores.queue, '2026-12-01T15:10:05.000Z').runOnce();
    assert.deepEqual(next.failedVenues, []);
    const active = await db.stores.queue.listActive(VENUE);
    const waiting = active.filter((t) => t.status === 'waiting');
    assert.equal(waiting.length, ids.length - 2, 'every waiting ticket is still there');
    const lanes = new Map<string, number[]>();
    for (const t of waiting) {
      assert.ok(t.laneId && t.position && t.etaAt, `${t.ticketId} left unplanned`);
      lanes.set(t.laneId, [...(lanes.get(t.laneId) ?? []), t.position]);
    }
    for (const [lane, positions] of lanes) {
      assert.deepEqual(
        positions.sort((a, b) => a - b),
        positions.map((_, i) => i + 1),
        `lane ${lane} positions`,
      );
    }
    assert.equal(active.find((t) => t.ticketId === calledId)?.status, 'called');
    assert.ok(!active.some((t) => t.ticketId === ids[leaver]));
    // and the shopper sees the new plan
    const mine = await h.call('GET', `/queue/tickets/${ids[0]}`, { token: shoppers[0]?.token });
    assert.equal(mine.status, 200);
    assert.equal(typeof mine.body.ticket.position, 'number');
  });

  it('a stale plan is skipped ticket by ticket, never written over newer versions', async () => {
    const active = (await db.stores.queue.listActive(VENUE)).filter((t) => t.status === 'waiting');
    assert.ok(active.length >= 2);
    const [first, second] = active as [StoredTicket, StoredTicket, ...StoredTicket[]];
    const stale: PlanWrite[] = [
      {
        ticketId: first.ticketId,
        version: first.version - 1,
        laneId: 'L9',
        position: 99,
        etaAt: '2026-12-01T18:00:00.000Z',
      },
      {
        ticketId: second.ticketId,
        version: second.version,
        laneId: second.laneId ?? 'L1',
        position: 1,
        etaAt: '2026-12-01T15:30:00.000Z',
      },
    ];
    const result = await db.stores.queue.applyPlan(VENUE, stale);
    assert.deepEqual(result, { written: 1, skipped: 1 });
    const kept = await db.stores.queue.get(first.ticketId);
    assert.equal(kept?.laneId, first.laneId);
    assert.equal(kept?.position, first.position);
    assert.equal(kept?.version, first.version);
  });
});
