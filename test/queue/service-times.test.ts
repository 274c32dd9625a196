import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArrivalRateEstimator } from '../../src/queue/arrival-rates.ts';
import { ServiceTimeEstimator } from '../../src/queue/service-times.ts';

describe('ServiceTimeEstimator', () => {
  it('starts from the rules and moves toward what is observed', () => {
    const estimator = new ServiceTimeEstimator({ pickup: 3 }, { priorWeight: 1, window: 10 });
    assert.equal(estimator.estimate('pickup'), 3);
    assert.deepEqual(estimator.snapshot(), {});
    estimator.observe('pickup', 5);
    assert.equal(estimator.estimate('pickup'), 4);
    for (let i = 0; i < 200; i++) estimator.observe('pickup', 5);
    assert.ok(Math.abs(estimator.estimate('pickup')! - 5) < 0.01);
    assert.deepEqual(Object.keys(estimator.snapshot()), ['pickup']);
  });

  it('keeps a steadier mean for the ETAs: the first short services and the last hundred pull it less', () => {
    const estimator = new ServiceTimeEstimator({ pickup: 3 });
    // The first services to end are the short ones: twenty at 2.4.
    for (let i = 0; i < 20; i++) estimator.observe('pickup', 2.4);
    assert.ok(Math.abs(estimator.estimate('pickup')! - 2.6) < 1e-9, 'the plans follow them');
    assert.ok(Math.abs(estimator.steadySnapshot().pickup! - 2.83) < 0.01, 'the ETAs stay near the rules');
    // Learnt at 5, then a hundred services at 3: the plans' mean goes most of the way, the
    // ETAs' about a quarter of it.
    for (let i = 0; i < 3000; i++) estimator.observe('pickup', 5);
    for (let i = 0; i < 100; i++) estimator.observe('pickup', 3);
    const moved = (mean: number) => 5 - mean;
    assert.ok(
      moved(estimator.snapshot().pickup!) > 1.2,
      `plans moved ${moved(estimator.snapshot().pickup!)}`,
    );
    const steadyMoved = moved(estimator.steadySnapshot().pickup!);
    assert.ok(steadyMoved > 0.5 && steadyMoved < 0.65, `ETAs moved ${steadyMoved}`);
  });

  it('clamps outliers and itself to a band around the rules', () => {
    const estimator = new ServiceTimeEstimator({ pickup: 3 }, { priorWeight: 0, window: 1 });
    estimator.observe('pickup', 600);
    assert.equal(estimator.estimate('pickup'), 12);
    estimator.observe('pickup', 0.01);
    assert.equal(estimator.estimate('pickup'), 0.75);
    estimator.updateExpected({ pickup: 10 });
    assert.equal(estimator.estimate('pickup'), 2.5, 'the band follows new rules');
  });

  it('ignores samples that are not positive finite minutes, and learns unknown kinds as they come', () => {
    const estimator = new ServiceTimeEstimator({});
    estimator.observe('repairs', Number.NaN);
    estimator.observe('repairs', -1);
    assert.equal(estimator.estimate('repairs'), undefined);
    estimator.observe('repairs', 8);
    assert.equal(estimator.estimate('repairs'), 8);
    assert.throws(() => new ServiceTimeEstimator({}, { window: 0 }), RangeError);
    assert.throws(() => new ServiceTimeEstimator({}, { steadyWindow: 0 }), RangeError);
  });
});

describe('ServiceTimeEstimator handed over (ADR 0507)', () => {
  it('goes on from what another estimator learned, as if it had watched the same services', () => {
    const first = new ServiceTimeEstimator({ pickup: 3 });
    for (let i = 0; i < 150; i++) first.observe('pickup', 4);
    const next = new ServiceTimeEstimator({ pickup: 3 });
    next.restore(JSON.parse(JSON.stringify(first.state())));
    assert.deepEqual(next.snapshot(), first.snapshot());
    assert.deepEqual(next.steadySnapshot(), first.steadySnapshot());
    first.observe('pickup', 8);
    next.observe('pickup', 8);
    assert.deepEqual(next.snapshot(), first.snapshot(), 'the same weight for the next service');
  });

  it('skips what is malformed and bounds counts by the window, so the rules stand for that kind', () => {
    const est = new ServiceTimeEstimator({ pickup: 3, returns: 6 });
    est.restore({
      recent: {
        pickup: { mean: 4, count: 10_000 },
        returns: { mean: -1, count: 5 },
        odd: { mean: Number.NaN, count: 3 },
      },
      steady: { pickup: { mean: 5, count: 0 } },
    } as never);
    assert.equal(est.estimate('returns'), 6);
    assert.equal(est.steadySnapshot().pickup, undefined, 'a count below one is no observation');
    // a count bounded at the window (100): one service of 104 min (clamped to 12) moves it by 8/100
    est.observe('pickup', 104);
    assert.ok(Math.abs(est.estimate('pickup')! - 4.08) < 1e-9, String(est.estimate('pickup')));
    est.restore(undefined as never);
    est.restore({ recent: 'x', steady: null } as never);
    assert.ok(Math.abs(est.estimate('pickup')! - 4.08) < 1e-9, 'nothing usable changes nothing');
  });
});

describe('ArrivalRateEstimator', () => {
  it('counts each ticket once inside the sliding window', () => {
    const rates = new ArrivalRateEstimator(10);
    const t0 = Date.parse('2026-12-05T15:00:00.000Z');
    for (let i = 0; i < 20; i++) rates.observe(`t${i}`, i % 2 === 0 ? 'pickup' : 'returns', t0 + i * 30_000);
    rates.observe('t0', 'pickup', t0);
    assert.deepEqual(rates.perMinute(t0 + 10 * 60_000), { pickup: 1, returns: 1 });
    // Five minutes later the first half has left the window.
    assert.deepEqual(rates.perMinute(t0 + 15 * 60_000), { pickup: 0.5, returns: 0.5 });
  });

  it('never counts again a ticket that joined before the window, however often it is seen', () => {
    const rates = new ArrivalRateEstimator(10);
    const t0 = Date.parse('2026-12-05T15:00:00.000Z');
    rates.observe('old', 'returns', t0);
    rates.observe('new', 'pickup', t0 + 9 * 60_000);
    assert.deepEqual(rates.perMinute(t0 + 15 * 60_000), { pickup: 0.1 });
    // the worker lists the old ticket again every cycle while it waits
    rates.observe('old', 'returns', t0);
    assert.deepEqual(rates.perMinute(t0 + 15 * 60_000 + 2000), { pickup: 0.1 });
  });

  it('counts walk-ins only, and their accessible part apart', () => {
    const rates = new ArrivalRateEstimator(10);
    const t0 = Date.parse('2026-12-05T15:00:00.000Z');
    rates.observe('a', 'pickup', t0, { accessible: true });
    rates.observe('b', 'pickup', t0);
    rates.observe('c', 'pickup', t0, { appointment: true });
    assert.deepEqual(rates.perMinute(t0 + 60_000), { pickup: 0.2 });
    assert.deepEqual(rates.accessiblePerMinute(t0 + 60_000), { pickup: 0.1 });
  });

  it('counts over the time every join was seen, when that is shorter than the window', () => {
    const rates = new ArrivalRateEstimator(30);
    const opened = Date.parse('2026-12-05T15:00:00.000Z');
    // a ticket still waiting from before the worker watched the venue, then 2 joins a minute
    rates.observe('before', 'pickup', opened - 60_000);
    for (let i = 0; i < 20; i++) rates.observe(`t${i}`, 'pickup', opened + i * 30_000);
    const tenMinutesIn = opened + 10 * 60_000;
    assert.deepEqual(rates.perMinute(tenMinutesIn, opened), { pickup: 2 });
    // without it, ten minutes of joins (and the one before) count as thirty minutes' worth
    assert.deepEqual(rates.perMinute(tenMinutesIn), { pickup: 0.7 });
    // at least a minute: a join just after opening is not a flood
    const early = new ArrivalRateEstimator(30);
    early.observe('first', 'pickup', opened);
    assert.deepEqual(early.perMinute(opened + 1000, opened), { pickup: 1 });
    // once the window lies after the start, the start no longer matters
    assert.deepEqual(rates.perMinute(opened + 40 * 60_000, opened), rates.perMinute(opened + 40 * 60_000));
  });
});
