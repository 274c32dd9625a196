/**
 * The worker's health signal for the ECS container health check: the health file must have
 * been touched within `maxAgeMs` (a few loop intervals).
 */
import { stat } from 'node:fs/promises';

export async function isHealthy(path: string, maxAgeMs: number, now: number = Date.now()): Promise<boolean> {
  try {
    const info = await stat(path);
    return now - info.mtimeMs <= maxAgeMs;
  } catch {
    return false;
  }
}

/** Stale after three missed loops, and never sooner than 30 s (a slow cycle is not a dead one). */
export function healthMaxAgeMs(intervalMs: number): number {
  return Math.max(30_000, intervalMs * 3);
}
