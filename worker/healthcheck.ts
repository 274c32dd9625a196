/**
 * ECS container health check: `node healthcheck.mjs` exits 0 when the worker's health file is
 * fresh, 1 when it is stale or missing. Bundled beside the worker (dist/worker).
 */
import { workerSettings } from '../src/config/env.ts';
import { healthMaxAgeMs, isHealthy } from '../src/worker/health.ts';

const settings = workerSettings();
const healthy = await isHealthy(settings.healthFile, healthMaxAgeMs(settings.intervalMs));
process.exitCode = healthy ? 0 : 1;
