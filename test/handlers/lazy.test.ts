import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { once } from '../../src/handlers/lazy.ts';

describe('once', () => {
  it('runs the factory once and shares its result, also between concurrent first calls', async () => {
    let calls = 0;
    const get = once(async () => ({ n: ++calls }));
    const [a, b] = await Promise.all([get(), get()]);
    const c = await get();
    assert.equal(calls, 1);
    assert.equal(a, b);
    assert.equal(a, c);
  });

  it('forgets a failure, so that the next call tries again', async () => {
    let calls = 0;
    const get = once(async () => {
      calls += 1;
      if (calls === 1) throw new Error('transient');
      return 'ready';
    });
    await assert.rejects(get(), /transient/);
    assert.equal(await get(), 'ready');
    assert.equal(await get(), 'ready');
    assert.equal(calls, 2);
  });
});
