import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median, roundsArg, stats } from '../../scripts/bench-measures.ts';

describe('benchmark measures', () => {
  it('takes the middle value, the upper one of an even count, without reordering the input', () => {
    const values = [9, 1, 5];
    assert.equal(median(values), 5);
    assert.deepEqual(values, [9, 1, 5]);
    assert.equal(median([4, 1, 3, 2]), 3);
    assert.ok(Number.isNaN(median([])));
  });

  it('reads --rounds as a positive integer, or the default', () => {
    assert.equal(roundsArg(['node', 'bench'], 5), 5);
    assert.equal(roundsArg(['node', 'bench', '--', '--rounds', '9'], 5), 9);
    for (const bad of ['0', '-2', '2.5', 'many', undefined])
      assert.throws(
        () => roundsArg(['node', 'bench', '--rounds', ...(bad === undefined ? [] : [bad])], 5),
        /--rounds/,
      );
  });

  it('gives p50, p99 and the mean of latencies', () => {
    const s = stats(Array.from({ length: 100 }, (_, i) => i + 1));
    assert.deepEqual(s, { count: 100, p50: 51, p99: 100, mean: 50.5 });
  });
});
