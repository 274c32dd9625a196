import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hubSettings, outboxSweepSettings, workerSettings } from '../../src/config/env.ts';

describe('workerSettings', () => {
  it('defaults to a 2 s cycle and a 30 s lease', () => {
    assert.deepEqual(workerSettings({}), {
      intervalMs: 2000,
      healthFile: '/tmp/worker-health',
      leaseSeconds: 30,
    });
  });

  it('takes the lease from WORKER_LEASE_SECONDS, within its range', () => {
    assert.equal(workerSettings({ WORKER_LEASE_SECONDS: '45' }).leaseSeconds, 45);
    assert.throws(() => workerSettings({ WORKER_LEASE_SECONDS: '2' }), /WORKER_LEASE_SECONDS/);
    assert.throws(() => workerSettings({ WORKER_LEASE_SECONDS: 'soon' }), /WORKER_LEASE_SECONDS/);
  });

  it('refuses a lease shorter than three cycles, which would change hands on one slow cycle', () => {
    assert.throws(
      () => workerSettings({ WORKER_INTERVAL_MS: '20000', WORKER_LEASE_SECONDS: '30' }),
      /at least three times WORKER_INTERVAL_MS/,
    );
    assert.equal(
      workerSettings({ WORKER_INTERVAL_MS: '10000', WORKER_LEASE_SECONDS: '30' }).leaseSeconds,
      30,
    );
  });
});

describe('outboxSweepSettings', () => {
  it('leaves events to the API for 15 s and sweeps 50 a round by default', () => {
    assert.deepEqual(outboxSweepSettings({}), { graceSeconds: 15, batch: 50 });
  });

  it('takes OUTBOX_GRACE_SECONDS and OUTBOX_SWEEP_BATCH within their ranges', () => {
    assert.deepEqual(outboxSweepSettings({ OUTBOX_GRACE_SECONDS: '2', OUTBOX_SWEEP_BATCH: '10' }), {
      graceSeconds: 2,
      batch: 10,
    });
    assert.throws(() => outboxSweepSettings({ OUTBOX_GRACE_SECONDS: '-1' }), /OUTBOX_GRACE_SECONDS/);
    assert.throws(() => outboxSweepSettings({ OUTBOX_SWEEP_BATCH: '0' }), /OUTBOX_SWEEP_BATCH/);
  });
});

describe('hubSettings', () => {
  it('runs schedules at their own rate unless HUB_SCHEDULE_SECONDS shortens them', () => {
    assert.equal(hubSettings({}).scheduleSeconds, undefined);
    assert.equal(hubSettings({ HUB_SCHEDULE_SECONDS: '2' }).scheduleSeconds, 2);
    assert.throws(() => hubSettings({ HUB_SCHEDULE_SECONDS: '0' }), /HUB_SCHEDULE_SECONDS/);
    assert.throws(() => hubSettings({ HUB_SCHEDULE_SECONDS: 'soon' }), /HUB_SCHEDULE_SECONDS/);
  });
});
