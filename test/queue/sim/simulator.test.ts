import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { drawTickets } from '../../../src/queue/sim/arrivals.ts';
import { runBenchCli, UsageError } from '../../../src/queue/sim/bench-cli.ts';
import { type Policy, runDay, type SimContext } from '../../../src/queue/sim/engine.ts';
import { parseScenario, ScenarioError } from '../../../src/queue/sim/scenario.ts';
import { builtInScenario, SCENARIO_NAMES } from '../../../src/queue/sim/scenarios.ts';
import { simulate } from '../../../src/queue/sim/simulate.ts';

const SMALL = {
  name: 'small',
  durationMinutes: 120,
  lanes: [
    { laneId: 'A', serviceKinds: ['pickup', 'returns'], accessible: true },
    { laneId: 'B', serviceKinds: ['pickup', 'returns'] },
    { laneId: 'C', serviceKinds: ['returns'] },
  ],
  laneChanges: [{ atMinute: 60, laneId: 'B', open: false }],
  serviceMinutes: { pickup: 3, returns: 6 },
  walkIns: {
    rates: [{ fromMinute: 0, toMinute: 120, perHour: 30 }],
    kindShares: { pickup: 0.6, returns: 0.4 },
  },
  appointments: { kind: 'pickup', fromMinute: 15, toMinute: 105, slotMinutes: 15, bookingsPerSlot: 2 },
};

const KEYS = [
  'policy',
  'scenario',
  'seed',
  'tickets',
  'meanWaitMin',
  'p95WaitMin',
  'maxWaitMin',
  'meanWeightedWaitMin',
  'lowerBoundWeightedWaitMin',
  'etaMaeMin',
  'etaWithin5MinShare',
  'etaUnderShare',
  'appointmentsInWindowShare',
  'replanP50Ms',
  'replanP99Ms',
  'byClass',
];

describe('scenarios', () => {
  it('has the six built-ins, each valid', () => {
    assert.deepEqual(SCENARIO_NAMES, [
      'quiet-weekday',
      'saturday-peak',
      'mixed-peak',
      'launch-surge',
      'lane-outage',
      'accessibility-day',
    ]);
    for (const name of SCENARIO_NAMES) assert.equal(builtInScenario(name)!.name, name);
    assert.equal(builtInScenario('nope'), undefined);
  });

  it('rejects invalid documents with the failing paths', () => {
    assert.throws(() => parseScenario({ ...SMALL, lanes: [] }), ScenarioError);
    assert.throws(() => parseScenario({ ...SMALL, surprise: 1 }), /must NOT have additional properties/);
    assert.throws(
      () => parseScenario({ ...SMALL, laneChanges: [{ atMinute: 1, laneId: 'Z', open: true }] }),
      /Z/,
    );
    assert.throws(
      () => parseScenario({ ...SMALL, walkIns: { ...SMALL.walkIns, kindShares: { repairs: 1 } } }),
      /no serviceMinutes for kind repairs/,
    );
  });

  it('draws the same day for the same seed and another for another seed', () => {
    const scenario = parseScenario(SMALL);
    assert.deepEqual(drawTickets(scenario, 7), drawTickets(scenario, 7));
    assert.notDeepEqual(drawTickets(scenario, 7), drawTickets(scenario, 8));
  });
});

describe('simulate', () => {
  it('serves every ticket under each policy, through a lane closing', () => {
    const scenario = parseScenario(SMALL);
    const tickets = drawTickets(scenario, 3).length;
    for (const policy of ['fifo', 'jsq', 'optimizer'] as const) {
      const result = simulate(scenario, policy, 3);
      assert.equal(result.tickets, tickets, policy);
      assert.equal(result.unserved, 0, policy);
      assert.ok(result.maxWaitMin >= result.p95WaitMin && result.p95WaitMin >= 0, policy);
      assert.ok(result.lowerBoundWeightedWaitMin <= result.meanWeightedWaitMin + 1e-9, policy);
      assert.ok(result.byClass.pickup!.tickets + result.byClass.returns!.tickets === tickets);
    }
    assert.ok(simulate(scenario, 'optimizer', 3).replans > 0);
  });

  it('hands the planner a closing’s announced return, and drops it once the lane is back', () => {
    const scenario = parseScenario({
      ...SMALL,
      laneChanges: [
        { atMinute: 60, laneId: 'B', open: false, backAtMinute: 90 },
        { atMinute: 90, laneId: 'B', open: true },
      ],
    });
    const seen: (string | undefined)[] = [];
    const spy: Policy = {
      name: 'spy',
      replanMs: [],
      arrive: () => undefined,
      select: () => undefined,
      lanesChanged: (ctx) => seen.push(ctx.lanes[1]!.lane.reopensAt),
    };
    runDay(scenario, drawTickets(scenario, 1), spy);
    const start = Date.parse(scenario.startAt);
    assert.deepEqual(seen, [new Date(start + 90 * 60_000).toISOString(), undefined]);
  });

  it('tells the policies the day’s booked slots and opening, as the worker reads them from the store', () => {
    const scenario = parseScenario(SMALL);
    let seen: { opensAt: number; slots: SimContext['bookedSlots'] } | undefined;
    const spy: Policy = {
      name: 'spy',
      replanMs: [],
      arrive: (_, ctx) => {
        seen ??= { opensAt: ctx.opensAt, slots: ctx.bookedSlots };
      },
      select: () => undefined,
      lanesChanged: () => undefined,
    };
    runDay(scenario, drawTickets(scenario, 1), spy);
    const start = Date.parse(scenario.startAt);
    assert.equal(seen?.opensAt, start);
    // slots of 15 minutes from minute 15 to 105, two bookings each (no-shows included)
    assert.deepEqual(
      seen?.slots.map((s) => [(s.startMs - start) / 60_000, (s.endMs - start) / 60_000, s.booked, s.kind]),
      [15, 30, 45, 60, 75, 90].map((m) => [m, m + 15, 2, 'pickup']),
    );
  });

  it('is deterministic for a seed', () => {
    const scenario = parseScenario(SMALL);
    const a = simulate(scenario, 'optimizer', 5);
    const b = simulate(scenario, 'optimizer', 5);
    assert.equal(a.meanWaitMin, b.meanWaitMin);
    assert.equal(a.etaMaeMin, b.etaMaeMin);
  });
});

describe('bench CLI', () => {
  it('prints one JSON object with the documented keys', () => {
    const out = runBenchCli(['--scenario', 'quiet-weekday', '--policy', 'jsq', '--seed', '2', '--json']);
    const result = JSON.parse(out);
    for (const key of KEYS) assert.ok(key in result, key);
    assert.equal(result.policy, 'jsq');
    assert.equal(result.seed, 2);
  });

  it('runs a scenario file and lists the built-ins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    const file = join(dir, 'small.json');
    writeFileSync(file, JSON.stringify(SMALL));
    assert.equal(
      JSON.parse(runBenchCli(['--scenario', file, '--policy', 'fifo', '--json'])).scenario,
      'small',
    );
    assert.equal(runBenchCli(['--list-scenarios']).split('\n').length, 6);
  });

  it('refuses bad usage clearly', () => {
    assert.throws(() => runBenchCli(['--scenario', 'nope']), UsageError);
    assert.throws(() => runBenchCli(['--scenario', 'quiet-weekday', '--policy', 'lifo']), UsageError);
    assert.throws(() => runBenchCli(['--seed']), UsageError);
    assert.throws(() => runBenchCli(['--frobnicate']), UsageError);
  });
});
