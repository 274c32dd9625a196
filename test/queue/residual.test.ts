import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lognormalResidual, normalCdf } from '../../src/queue/residual.ts';
import { Random } from '../../src/queue/sim/random.ts';

describe('lognormalResidual', () => {
  it('is the mean at age 0 and p − e without variance', () => {
    assert.equal(lognormalResidual(15, 0.6, 0), 15);
    assert.equal(lognormalResidual(15, 0, 5), 10);
    assert.equal(lognormalResidual(15, 0, 20), 0);
    assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7 && Math.abs(normalCdf(1.96) - 0.975) < 1e-4);
  });

  it('matches the empirical residual of lognormal samples', () => {
    const rng = new Random(11);
    const samples = Array.from({ length: 200_000 }, () => rng.lognormal(15, 0.6));
    for (const age of [5, 15, 30]) {
      const beyond = samples.filter((x) => x > age);
      const empirical = beyond.reduce((a, x) => a + x - age, 0) / beyond.length;
      const model = lognormalResidual(15, 0.6, age);
      assert.ok(Math.abs(model - empirical) / empirical < 0.03, `age ${age}: ${model} vs ${empirical}`);
    }
  });
});
