import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workerSettings } from '../../src/config/env.ts';

describe('workerSettings', () => {
  it('defaults to a 2 s cycle and a 30 s lease', () => {
    assert.deepEqual(workerSettings({}), {
      intervalMs: 2000,
      outboxGraceSeconds: 10,
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
