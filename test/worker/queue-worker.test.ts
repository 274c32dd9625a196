import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { StoredTicket } from '../../src/domain/ports.ts';
import type { RulesDocument, VenueRules } from '../../src/domain/rules.ts';
import { isHealthy } from '../../src/worker/health.ts';
import { QueueWorker, WORKER_SERVICE, WorkerCycleFailed } from '../../src/worker/queue-worker.ts';
import { runLoop } from '../../src/worker/run-loop.ts';
import {
  collectingLogger,
  FakeLease,
  FakeQueueStore,
  FakeServiceTimes,
  FakeSlots,
  staticRules,
} from './fakes.ts';

const NOW = new Date('2026-12-05T15:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

function venue(overrides: Partial<VenueRules> = {}): VenueRules {
  return {
    name: 'Test',
    timezone: 'America/New_York',
    hours: { sat: ['00:00', '24:00'] },
    closedDates: [],
    maxPartySize: 6,
    checkInWindowMinutes: { before: 30, after: 15 },
    queue: { maxLength: 100, noShowGraceMinutes: 5, serviceMinutes: { pickup: 3, returns: 6 } },
    lanes: [
      { laneId: 'L1', serviceKinds: ['pickup', 'returns'], accessible: true, open: true },
      { laneId: 'L2', serviceKinds: ['pickup'], accessible: false, open: true },
    ],
    limits: { activeReservationsPerUser: 10, queueJoinsPerHour: 6 },
    alerts: { capacityThreshold: 0.9, predictedWaitMinutes: 30 },
    ...overrides,
  };
}

function doc(venues: Record<string, VenueRules>, queue = true): RulesDocument {
  return { venues, features: { queue, pickup: true, campaigns: true } };
}

let n = 0;
function ticket(overrides: Partial<StoredTicket> = {}): StoredTicket {
  n++;
  return {
    ticketId: `t${n}`,
    venueId: 'v1',
    userId: `u${n}`,
    serviceKind: 'pickup',
    partySize: 1,
    accessibility: false,
    status: 'waiting',
    joinedAt: at(-10 + n / 100),
    version: 1,
    ...overrides,
  };
}

function setup(
  document: RulesDocument,
  shared: {
    queue?: FakeQueueStore;
    lease?: { store: FakeLease; owner: string };
    serviceTimes?: FakeServiceTimes;
  } = {},
) {
  const queue = shared.queue ?? new FakeQueueStore();
  const slots = new FakeSlots();
  const logger = collectingLogger();
  const metrics: string[] = [];
  const clock = {
    current: NOW,
    now() {
      return this.current;
    },
  };
  const worker = new QueueWorker({
    rules: staticRules(document),
    queue,
    slots,
    clock,
    logger,
    metricsSink: (line) => metrics.push(line),
    ...(shared.lease ? { lease: { ...shared.lease, seconds: 30 } } : {}),
    ...(shared.serviceTimes ? { serviceTimes: shared.serviceTimes } : {}),
  });
  return { queue, slots, logger, metrics, clock, worker };
}

/**
 * Worker tasks of one venue day that share the queue and the lease (and, with
 * `serviceTimes`, the saved service times): `task(owner)` starts one, `a` and `b` are two.
 */
function tasks(rules: RulesDocument = doc({ v1: venue() }), options: { serviceTimes?: boolean } = {}) {
  const queue = new FakeQueueStore();
  const store = new FakeLease();
  const serviceTimes = new FakeServiceTimes();
  const task = (owner: string, document = rules) =>
    setup(document, {
      queue,
      lease: { store, owner },
      ...(options.serviceTimes ? { serviceTimes } : {}),
    });
  return { queue, store, serviceTimes, task };
}

/** The operator finishes serving a called ticket at `completedAt` (done, served). */
function finishService(queue: FakeQueueStore, ticketId: string, completedAt: string): void {
  queue.tickets.set(ticketId, {
    ...queue.tickets.get(ticketId)!,
    status: 'done',
    outcome: 'served',
    completedAt,
  });
}

describe('QueueWorker', () => {
  it('plans waiting tickets, then writes only what changed', async () => {
    const { queue, worker, metrics } = setup(doc({ v1: venue() }));
    const tickets = [ticket(), ticket({ serviceKind: 'returns' }), ticket()];
    for (const t of tickets) queue.put(t);
    const first = await worker.runOnce();
    assert.equal(first.venues[0]!.written, 3);
    for (const t of tickets) {
      const stored = (await queue.get(t.ticketId))!;
      assert.ok(stored.laneId !== undefined && stored.position !== undefined && stored.etaAt !== undefined);
      assert.ok(stored.fairnessDeadlineAt !== undefined, 'the deadline is kept with the ticket');
    }
    const second = await worker.runOnce();
    assert.equal(second.venues[0]!.written, 0, 'an unchanged plan writes nothing');
    assert.equal(queue.applied.length, 1);
    assert.deepEqual(
      queue.appliedVenues,
      ['v1'],
      'a plan is written with its venue (the lane plan index keys)',
    );
    const emf = JSON.parse(metrics[0]!);
    assert.equal(emf.VenueId, 'v1');
    assert.equal(emf.WaitingCount, 3);
    assert.ok('ReplanMs' in emf && 'PredictedWaitMinutes' in emf && 'Overtakes' in emf);
  });

  it('foresees the booked pickup check-ins still to come in the ETAs', async () => {
    const etaOfLast = async (awaiting: number, hours: VenueRules['hours'] = { sat: ['08:00', '16:00'] }) => {
      const { queue, slots, worker } = setup(doc({ v1: venue({ hours }) }));
      const walkIns = Array.from({ length: 6 }, () => ticket());
      for (const t of walkIns) queue.put(t);
      // a slot starting in a minute whose ten bookings have not checked in yet
      slots.slots = [{ slotId: 's1', startsAt: at(1), endsAt: at(16), awaiting }];
      await worker.runOnce();
      return { eta: Date.parse(queue.tickets.get(walkIns[5]!.ticketId)!.etaAt!), asked: slots.asked };
    };
    const without = await etaOfLast(0);
    const withCheckIns = await etaOfLast(10);
    // appointments are promises: ten pickups due by the slot's end go before the last walk-ins
    assert.ok(
      withCheckIns.eta - without.eta >= 5 * 60_000,
      `${(withCheckIns.eta - without.eta) / 60_000} min`,
    );
    // from slots that started up to appointmentEarlyMinutes ago until the venue closes (16:00
    // in New York, 6 hours on), and no further than the forecast's 8 hours when it closes later
    assert.deepEqual(withCheckIns.asked, [{ venueId: 'v1', from: at(-5), to: at(360) }]);
    const late = await etaOfLast(10, { sat: ['00:00', '24:00'] });
    assert.deepEqual(late.asked, [{ venueId: 'v1', from: at(-5), to: at(480) }]);
  });

  it('plans without the check-ins when the pickup slots cannot be read, and says so', async () => {
    const { queue, slots, worker, logger } = setup(doc({ v1: venue() }));
    slots.fail = true;
    const waiting = ticket();
    queue.put(waiting);
    const report = await worker.runOnce();
    assert.deepEqual(report.failedVenues, []);
    assert.equal(queue.tickets.get(waiting.ticketId)!.laneId !== undefined, true);
    assert.ok(
      logger.lines.some(
        (l) => l.level === 'warn' && l.message === 'pickup slots unreadable; ETAs foresee no check-ins',
      ),
    );
  });

  it('takes the lane and place away from a ticket whose lanes all closed', async () => {
    const { queue, worker } = setup(doc({ v1: venue() }));
    const returns = ticket({ serviceKind: 'returns' });
    queue.put(returns);
    await worker.runOnce();
    assert.equal(queue.tickets.get(returns.ticketId)!.laneId, 'L1');
    // A rules change closes L1, the only lane that serves returns.
    const closed = venue({
      lanes: venue().lanes.map((l) => (l.laneId === 'L1' ? { ...l, open: false } : l)),
    });
    const { queue: after, worker: next } = setup(doc({ v1: closed }));
    after.put(queue.tickets.get(returns.ticketId)!);
    const report = await next.runOnce();
    assert.equal(report.venues[0]!.stats.unplanned, 1);
    assert.equal(report.venues[0]!.written, 1);
    const stored = after.tickets.get(returns.ticketId)!;
    assert.deepEqual([stored.laneId, stored.position, stored.etaAt], [undefined, undefined, undefined]);
    assert.equal((await next.runOnce()).venues[0]!.written, 0, 'cleared once');
  });

  it('measures, as tickets are called, how far off the ETA their shoppers were first shown was', async () => {
    const { queue, worker, metrics, clock } = setup(doc({ v1: venue() }));
    const late = ticket({ serviceKind: 'returns' });
    const early = ticket({ serviceKind: 'returns' });
    queue.put(late);
    queue.put(early);
    await worker.runOnce();
    const shown = (id: string) => Date.parse(queue.tickets.get(id)!.etaAt!);
    // The operators call one ticket 3 minutes after its ETA and the other 6 minutes before.
    for (const [t, offset] of [
      [late, 3],
      [early, -6],
    ] as const) {
      const stored = queue.tickets.get(t.ticketId)!;
      const calledAt = new Date(
        Math.max(shown(t.ticketId) + offset * 60_000, Date.parse(t.joinedAt) + 60_000),
      );
      queue.tickets.set(t.ticketId, {
        ...stored,
        status: 'called',
        calledAt: calledAt.toISOString(),
        version: stored.version + 1,
      });
    }
    const expected = [late, early].map(
      (t) => (Date.parse(queue.tickets.get(t.ticketId)!.calledAt!) - shown(t.ticketId)) / 60_000,
    );
    // the first ETAs, not later ones, are what counts
    clock.current = new Date(NOW.getTime() + 60_000);
    metrics.length = 0;
    await worker.runOnce();
    const emf = JSON.parse(metrics[0]!);
    assert.equal(emf.EtaChecked, 2);
    assert.equal(emf.EtaAbsErrorMinutes, (Math.abs(expected[0]!) + Math.abs(expected[1]!)) / 2);
    assert.equal(emf.EtaWithin5MinShare, expected.filter((e) => Math.abs(e) <= 5).length / 2);
    assert.equal(emf.EtaLateShare, expected.filter((e) => e > 1).length / 2);
    // and worker-wide, as counts (the EtaQualityAlarm's inputs)
    const cycle = JSON.parse(metrics.at(-1)!);
    assert.equal(cycle.Service, WORKER_SERVICE);
    assert.deepEqual(
      [cycle.EtaChecked, cycle.EtaWithin5Min],
      [2, expected.filter((e) => Math.abs(e) <= 5).length],
    );
    // once measured, never again; a cycle that calls nobody reports nothing
    metrics.length = 0;
    await worker.runOnce();
    assert.equal('EtaChecked' in JSON.parse(metrics[0]!), false);
  });

  it('never overwrites a ticket the API changed since it was read', async () => {
    const { queue, worker } = setup(doc({ v1: venue() }));
    const t = ticket();
    queue.put(t);
    const original = queue.listActive.bind(queue);
    queue.listActive = async (venueId) => {
      const read = await original(venueId);
      // The API moves the ticket on between the worker's read and its write.
      queue.tickets.set(t.ticketId, { ...queue.tickets.get(t.ticketId)!, status: 'left', version: 2 });
      return read;
    };
    const report = await worker.runOnce();
    assert.deepEqual([report.venues[0]!.written, report.venues[0]!.skipped], [0, 1]);
    assert.equal(queue.tickets.get(t.ticketId)!.status, 'left');
    assert.equal(queue.tickets.get(t.ticketId)!.laneId, undefined);
  });

  it('sweeps called tickets past the grace and a generous service time into no_show, and only those', async () => {
    // grace 5 min; pickups 3 min (allowance 5 + 3 × 3 = 14), returns 6 (allowance 5 + 3 × 6 = 23)
    const { queue, worker } = setup(doc({ v1: venue() }));
    const late = ticket({ status: 'called', calledAt: at(-15), calledLaneId: 'L1' });
    // past the grace, but being served: a shopper at the counter is not a no-show
    const serving = ticket({ status: 'called', calledAt: at(-6), calledLaneId: 'L2' });
    const longer = ticket({
      status: 'called',
      serviceKind: 'returns',
      calledAt: at(-15),
      calledLaneId: 'L1',
    });
    const recent = ticket({ status: 'called', calledAt: at(-2), calledLaneId: 'L2' });
    for (const t of [late, serving, longer, recent]) queue.put(t);
    const report = await worker.runOnce();
    assert.equal(report.venues[0]!.noShows, 1);
    assert.equal(queue.tickets.get(late.ticketId)!.status, 'no_show');
    assert.equal(queue.tickets.get(late.ticketId)!.outcome, 'no_show');
    for (const t of [serving, longer, recent]) assert.equal(queue.tickets.get(t.ticketId)!.status, 'called');
  });

  it('learns service times from tickets that went from called to done', async () => {
    const { queue, worker, clock } = setup(doc({ v1: venue() }));
    const served = ticket({ status: 'called', calledAt: at(-1), calledLaneId: 'L2' });
    queue.put(served);
    await worker.runOnce();
    finishService(queue, served.ticketId, at(1));
    clock.current = new Date(NOW.getTime() + 2 * 60_000);
    const report = await worker.runOnce();
    assert.equal(report.venues[0]!.observed, 1);
  });

  it('times the ETAs with the steady service times, not the plans’ recent ones', async () => {
    const { queue, worker, clock } = setup(
      doc({
        v1: venue({ lanes: [{ laneId: 'L2', serviceKinds: ['pickup'], accessible: false, open: true }] }),
      }),
    );
    const served = ticket({ status: 'called', calledAt: at(-1), calledLaneId: 'L2' });
    queue.put(served);
    await worker.runOnce();
    // one pickup of 1 minute against the rules' 3: the plans' mean (prior worth 10) is 31/11,
    // the ETAs' (prior worth 50) 151/51
    finishService(queue, served.ticketId, at(0));
    clock.current = new Date(NOW.getTime() + 60_000);
    const first = ticket({ joinedAt: at(0.5) });
    const second = ticket({ joinedAt: at(0.75) });
    queue.put(first);
    queue.put(second);
    await worker.runOnce();
    const eta = queue.tickets.get(second.ticketId)!.etaAt!;
    const minutes = (Date.parse(eta) - clock.current.getTime()) / 60_000;
    assert.ok(Math.abs(minutes - 151 / 51) < 0.001, `second ETA in ${minutes} min`);
  });

  it('does not count a cycle in which every venue failed: it throws, so health goes stale', async () => {
    const { queue, worker, metrics } = setup(doc({ v1: venue(), v2: venue() }));
    queue.failListActive = true;
    await assert.rejects(worker.runOnce(), WorkerCycleFailed);
    const cycle = JSON.parse(metrics.at(-1)!);
    assert.deepEqual([cycle.CyclesCompleted, cycle.VenuesFailed], [0, 2]);
    // the loop touches the health file only after a cycle that completed
    const file = join(mkdtempSync(join(tmpdir(), 'worker-health-')), 'healthy');
    const stop = new AbortController();
    let cycles = 0;
    await runLoop({
      cycle: async () => {
        if (++cycles >= 3) stop.abort();
        return worker.runOnce();
      },
      intervalMs: 1,
      healthFile: file,
      logger: collectingLogger(),
      signal: stop.signal,
    });
    assert.equal(await isHealthy(file, 60_000), false);
    // one venue is enough: the cycle counts
    queue.failListActive = false;
    const report = await worker.runOnce();
    assert.deepEqual(report.failedVenues, []);
    assert.equal(JSON.parse(metrics.at(-1)!).CyclesCompleted, 1);
  });

  it('lets one task at a time plan: the other stands by, healthy, until the lease is free', async () => {
    const { queue, store, task } = tasks();
    const [a, b] = [task('task-a'), task('task-b')];
    queue.put(ticket());
    const first = await a.worker.runOnce();
    assert.deepEqual([first.standby, first.venues.length], [false, 1]);
    queue.put(ticket());
    const standby = await b.worker.runOnce();
    assert.deepEqual([standby.standby, standby.venues.length], [true, 0]);
    assert.equal(queue.applied.length, 1, 'the standby wrote no plan');
    // a standby says it stood by; its cycles are not the ones the stall alarm counts (that
    // alarm fires when no task plans), while its runOnce resolves, so its health stays fresh
    assert.deepEqual(
      [JSON.parse(b.metrics.at(-1)!).CyclesCompleted, JSON.parse(b.metrics.at(-1)!).Standby],
      [0, 1],
    );
    assert.equal(JSON.parse(a.metrics.at(-1)!).Standby, 0);
    // the holder renews at every cycle; stopping, it gives the lease up for the standby
    a.clock.current = new Date(NOW.getTime() + 20_000);
    const renewed = await a.worker.runOnce();
    assert.deepEqual([renewed.standby, renewed.venues.length], [false, 1]);
    await a.worker.release();
    assert.equal(store.holder, undefined);
    const takeover = await b.worker.runOnce();
    assert.equal(takeover.standby, false);
    assert.equal(takeover.venues.length, 1);
    assert.ok(b.logger.lines.some((l) => l.message === 'worker lease taken: this task plans the queues'));
  });

  it('lets WorkerStalledAlarm see a lease holder that completes nothing, whatever its standby does', async () => {
    const { queue, task } = tasks();
    const [a, b] = [task('task-a'), task('task-b')];
    queue.put(ticket());
    // the holder's venue cycles all fail, yet it keeps the lease
    queue.failListActive = true;
    for (let i = 0; i < 3; i++) {
      a.clock.current = b.clock.current = new Date(NOW.getTime() + i * 2000);
      await assert.rejects(a.worker.runOnce(), WorkerCycleFailed);
      assert.equal((await b.worker.runOnce()).standby, true);
    }
    // the alarm sums CyclesCompleted over every task (dimension Service only)
    const sum = [...a.metrics, ...b.metrics]
      .map((line) => JSON.parse(line))
      .filter((m) => m.Service === WORKER_SERVICE)
      .reduce((total, m) => total + m.CyclesCompleted, 0);
    assert.equal(sum, 0, 'no queue was re-planned: the standby must not keep the alarm quiet');
  });

  it('takes over from a task that died once its lease has ended, and the old holder then stands by', async () => {
    const { queue, store, task } = tasks();
    const [a, b] = [task('task-a'), task('task-b')];
    queue.put(ticket());
    await a.worker.runOnce();
    // a paused past its lease (30 s): b takes over, and a, back, does not plan beside it
    b.clock.current = new Date(NOW.getTime() + 31_000);
    assert.equal((await b.worker.runOnce()).standby, false);
    a.clock.current = new Date(NOW.getTime() + 32_000);
    assert.equal((await a.worker.runOnce()).standby, true);
    assert.ok(a.logger.lines.some((l) => l.message === 'worker lease lost: standing by'));
    // a stopping standby releases nothing of the holder's
    await a.worker.release();
    assert.equal(store.holder?.owner, 'task-b');
  });

  it('hands the service times it learned to the task that takes the lease over', async () => {
    const { queue, serviceTimes, task } = tasks(doc({ v1: venue() }), { serviceTimes: true });
    const a = task('task-a');
    // pickups take 6 minutes here, twice what the rules say
    for (let i = 0; i < 30; i++)
      queue.put(ticket({ status: 'called', calledAt: at(-6), calledLaneId: 'L2' }));
    await a.worker.runOnce();
    for (const t of [...queue.tickets.values()]) finishService(queue, t.ticketId, at(0));
    a.clock.current = new Date(NOW.getTime() + 30_000);
    assert.equal((await a.worker.runOnce()).venues[0]!.observed, 30);
    assert.equal(serviceTimes.saved.size, 0, 'saved at most once a minute');
    // SIGTERM: the last cycle done, the task saves what it learned and gives the lease up
    await a.worker.release();
    const saved = serviceTimes.saved.get('v1')!;
    assert.equal(saved.times.recent.pickup!.count, 40, 'the prior (10) and the 30 services');
    assert.ok(saved.times.recent.pickup!.mean > 5.2, String(saved.times.recent.pickup!.mean));

    // the next task plans with them at once: a waiting pickup behind a called one on L2
    const b = task('task-b', doc({ v1: venue({ lanes: [venue().lanes[1]!] }) }));
    b.clock.current = new Date(NOW.getTime() + 31_000);
    queue.put(ticket({ status: 'called', calledAt: at(0.5), calledLaneId: 'L2' }));
    const waiting = ticket({ joinedAt: at(0.5) });
    queue.put(waiting);
    await b.worker.runOnce();
    assert.ok(b.logger.lines.some((l) => l.message === 'service times taken over'));
    const etaMinutes =
      (Date.parse((await queue.get(waiting.ticketId))!.etaAt!) - b.clock.current.getTime()) / 60_000;
    // the rules (3 min) would put the call about 2.5 min away; the handed-over times, over 4
    assert.ok(etaMinutes > 3.5, `ETA in ${etaMinutes.toFixed(2)} min`);
  });

  it('starts no venue once its lease is running out mid-cycle, so a successor never plans beside it', async () => {
    const { queue, task } = tasks(doc({ v1: venue(), v2: venue() }));
    const [a, b] = [task('task-a'), task('task-b')];
    queue.put(ticket());
    queue.put(ticket({ venueId: 'v2' }));
    // v1's cycle stalls past a's lease (30 s): b takes over meanwhile and runs a whole cycle
    const listActive = queue.listActive.bind(queue);
    let stalled = false;
    queue.listActive = async (venueId) => {
      if (!stalled) {
        stalled = true;
        a.clock.current = new Date(NOW.getTime() + 31_000);
        b.clock.current = new Date(NOW.getTime() + 31_000);
        assert.equal((await b.worker.runOnce()).standby, false);
      }
      return listActive(venueId);
    };
    await a.worker.runOnce();
    const planned = (worker: typeof a) =>
      worker.logger.lines.filter((l) => l.message === 'venue re-planned').map((l) => l.venueId);
    assert.deepEqual(planned(b), ['v1', 'v2']);
    assert.deepEqual(planned(a), ['v1'], 'a started no venue after its lease ran out');
    assert.ok(
      a.logger.lines.some((l) => l.message === 'worker lease running out; the rest of the cycle waits'),
    );
  });

  it('saves nothing over its successor once its own lease has ended', async () => {
    const { queue, store, serviceTimes, task } = tasks(doc({ v1: venue() }), { serviceTimes: true });
    const a = task('task-a');
    for (let i = 0; i < 5; i++) queue.put(ticket({ status: 'called', calledAt: at(-6), calledLaneId: 'L2' }));
    await a.worker.runOnce();
    for (const t of [...queue.tickets.values()]) finishService(queue, t.ticketId, at(0));
    a.clock.current = new Date(NOW.getTime() + 20_000);
    assert.equal((await a.worker.runOnce()).venues[0]!.observed, 5);
    // a pauses past its lease (renewed at 20 s, until 50 s); b takes over and saves its own
    const b = setup(doc({ v1: venue() }), { queue, lease: { store, owner: 'task-b' }, serviceTimes });
    b.clock.current = new Date(NOW.getTime() + 51_000);
    await b.worker.runOnce();
    const successors = {
      recent: { pickup: { mean: 9, count: 50 } },
      steady: { pickup: { mean: 9, count: 80 } },
    };
    await serviceTimes.save('v1', successors, b.clock.current);
    // SIGTERM reaches a, which never ran another cycle: it believes it still leads
    a.clock.current = new Date(NOW.getTime() + 52_000);
    await a.worker.release();
    assert.deepEqual(serviceTimes.saved.get('v1')!.times, successors);
    assert.equal(store.holder?.owner, 'task-b');
  });

  it('starts afresh from the saved service times when its lease lapsed before it renewed it', async () => {
    const { queue, store, serviceTimes, task } = tasks(doc({ v1: venue() }), { serviceTimes: true });
    const a = task('task-a');
    queue.put(ticket());
    await a.worker.runOnce();
    // a pauses 45 s: b holds the lease meanwhile, learns, saves and stops
    const b = task('task-b');
    b.clock.current = new Date(NOW.getTime() + 31_000);
    await b.worker.runOnce();
    await serviceTimes.save(
      'v1',
      { recent: { pickup: { mean: 9, count: 50 } }, steady: {} },
      b.clock.current,
    );
    await b.worker.release();
    assert.equal(store.holder, undefined);
    // a is back: the lease is free, so its renewal succeeds, but what it knew is stale
    a.clock.current = new Date(NOW.getTime() + 45_000);
    assert.equal((await a.worker.runOnce()).standby, false);
    assert.ok(a.logger.lines.some((l) => l.message === 'worker lease lapsed before its renewal'));
    assert.ok(a.logger.lines.some((l) => l.message === 'service times taken over'));
  });

  it('starts from the rules when the saved service times cannot be read', async () => {
    const serviceTimes = new FakeServiceTimes();
    serviceTimes.failLoad = true;
    const { worker, queue, logger } = setup(doc({ v1: venue() }), { serviceTimes });
    queue.put(ticket());
    const report = await worker.runOnce();
    assert.equal(report.venues.length, 1);
    assert.ok(
      logger.lines.some((l) => l.message === 'saved service times unreadable; starting from the rules'),
    );
  });

  it('fails the cycle when the lease cannot be read (the store is out of reach)', async () => {
    const store = new FakeLease();
    store.fail = true;
    const { worker, queue } = setup(doc({ v1: venue() }), { lease: { store, owner: 'task-a' } });
    queue.put(ticket());
    await assert.rejects(worker.runOnce(), /store down/);
    assert.equal(queue.applied.length, 0);
  });

  it('isolates a failing venue and skips planning when the queue feature is off', async () => {
    const { queue, worker, metrics } = setup(doc({ v1: venue(), v2: venue() }));
    const listActive = queue.listActive.bind(queue);
    queue.listActive = async (venueId) => {
      if (venueId === 'v1') throw new Error('AccessDeniedException');
      return listActive(venueId);
    };
    const report = await worker.runOnce();
    assert.deepEqual(report.failedVenues, ['v1']);
    assert.deepEqual(
      report.venues.map((v) => v.venueId),
      ['v2'],
    );
    // the worker-wide metric of the cycle, the one WorkerStalledAlarm watches
    const cycle = JSON.parse(metrics.at(-1)!);
    assert.equal(cycle.Service, WORKER_SERVICE);
    assert.equal('VenueId' in cycle, false);
    assert.deepEqual([cycle.CyclesCompleted, cycle.VenuesFailed], [1, 1]);
    assert.equal('OutboxFailed' in cycle, false, 'the outbox is the sweeper’s (ADR 0311)');
    assert.deepEqual([cycle.EtaChecked, cycle.EtaWithin5Min], [0, 0], 'no call, no ETA checked');

    const off = setup(doc({ v1: venue() }, false));
    off.queue.put(ticket());
    const quiet = await off.worker.runOnce();
    assert.equal(quiet.venues.length, 0);
    assert.equal(off.queue.applied.length, 0);
    assert.equal(JSON.parse(off.metrics.at(-1)!).CyclesCompleted, 1, 'alive with the queue switched off');
  });
});
