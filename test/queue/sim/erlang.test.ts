import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { erlangC, erlangCMeanWait } from '../../../src/queue/sim/erlang.ts';
import { parseScenario } from '../../../src/queue/sim/scenario.ts';
import { simulate } from '../../../src/queue/sim/simulate.ts';

describe('Erlang C', () => {
  it('matches known values', () => {
    // M/M/1: P(wait) = ρ; M/M/2 with a = 1: 1/3.
    assert.ok(Math.abs(erlangC(1, 0.7) - 0.7) < 1e-12);
    assert.ok(Math.abs(erlangC(2, 1) - 1 / 3) < 1e-12);
    assert.ok(Math.abs(erlangCMeanWait(1, 0.5, 1) - 1) < 1e-12); // ρ/(μ − λ) with μ = 1
    assert.throws(() => erlangC(2, 2), RangeError);
  });
});

describe('simulator validation: fifo on M/M/c', () => {
  it('lands within ±5% of the Erlang C mean wait over seeded replications', () => {
    const servers = 3;
    const meanService = 4;
    const perMinute = (0.75 * servers) / meanService;
    const scenario = parseScenario({
      name: 'mmc',
      durationMinutes: 30_000,
      lanes: Array.from({ length: servers }, (_, i) => ({ laneId: `L${i}`, serviceKinds: ['x'] })),
      serviceMinutes: { x: meanService },
      serviceDistribution: 'exponential',
      walkIns: {
        rates: [{ fromMinute: 0, toMinute: 30_000, perHour: perMinute * 60 }],
        kindShares: { x: 1 },
        accessibilityShare: 0,
      },
      callNoShow: { share: 0 },
    });
    const expected = erlangCMeanWait(servers, perMinute, meanService);
    const seeds = [1, 2, 3, 4, 5, 6];
    const means = seeds.map((seed) => simulate(scenario, 'fifo', seed).meanWaitMin);
    const mean = means.reduce((a, b) => a + b, 0) / means.length;
    assert.ok(
      Math.abs(mean - expected) / expected <= 0.05,
      `simulated ${mean.toFixed(3)} min vs Erlang C ${expected.toFixed(3)} min`,
    );
  });
});
