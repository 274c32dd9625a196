import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { healthMaxAgeMs, isHealthy } from '../../src/worker/health.ts';
import { runLoop } from '../../src/worker/run-loop.ts';
import { collectingLogger } from './fakes.ts';

describe('runLoop', () => {
  it('runs cycles, touches the health file, and stops after the cycle in flight', async () => {
    const healthFile = join(mkdtempSync(join(tmpdir(), 'worker-')), 'health');
    const stop = new AbortController();
    let cycles = 0;
    let inFlight = false;
    const completed = await runLoop({
      intervalMs: 5,
      healthFile,
      logger: collectingLogger(),
      signal: stop.signal,
      cycle: async () => {
        inFlight = true;
        cycles++;
        if (cycles === 3) stop.abort(); // a SIGTERM arriving mid-cycle
        await new Promise((r) => setTimeout(r, 5));
        inFlight = false;
      },
    });
    assert.equal(completed, 3);
    assert.equal(inFlight, false, 'the cycle in flight finished');
    assert.ok(await isHealthy(healthFile, 60_000));
  });

  it('logs a failing cycle, does not touch the health file, and keeps going', async () => {
    const healthFile = join(mkdtempSync(join(tmpdir(), 'worker-')), 'health');
    const stop = new AbortController();
    const logger = collectingLogger();
    let calls = 0;
    const completed = await runLoop({
      intervalMs: 1,
      healthFile,
      logger,
      signal: stop.signal,
      cycle: async () => {
        calls++;
        if (calls === 2) stop.abort();
        throw new TypeError('boom');
      },
    });
    assert.equal(completed, 0);
    assert.equal(calls, 2);
    assert.equal(await isHealthy(healthFile, 60_000), false);
    assert.ok(logger.lines.some((l) => l.level === 'error' && l.error === 'TypeError'));
  });
});

describe('health check', () => {
  it('is healthy only while the file is fresh', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'worker-')), 'health');
    assert.equal(await isHealthy(file, 1000), false, 'missing file');
    writeFileSync(file, 'x');
    const now = statSync(file).mtimeMs;
    assert.equal(await isHealthy(file, 1000, now + 500), true);
    const old = new Date(now - 120_000);
    utimesSync(file, old, old);
    assert.equal(await isHealthy(file, 60_000, now), false);
    assert.equal(healthMaxAgeMs(2000), 30_000);
    assert.equal(healthMaxAgeMs(20_000), 60_000);
  });
});

describe('worker/healthcheck.ts', () => {
  it('exits 0 while the health file is fresh and 1 when it is missing', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'worker-')), 'health');
    const run = () =>
      spawnSync(process.execPath, ['--import', 'tsx', 'worker/healthcheck.ts'], {
        env: { ...process.env, WORKER_HEALTH_FILE: file, WORKER_INTERVAL_MS: '2000' },
      }).status;
    assert.equal(run(), 1);
    writeFileSync(file, 'x');
    assert.equal(run(), 0);
  });
});
