/**
 * The sample EventBridge events of `events/eventbridge/` (also used with `sam local invoke`),
 * loaded fresh on each call so tests may change them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import type { VenueEventDetail } from '../../src/domain/model.ts';

export type SampleName = 'booking-confirmed' | 'check-in-completed' | 'pickup-completed';

export const SAMPLE_NAMES: SampleName[] = ['booking-confirmed', 'check-in-completed', 'pickup-completed'];

export function sampleEvent(name: SampleName): EventBridgeEvent<string, VenueEventDetail> {
  const file = resolve(import.meta.dirname, '../../events/eventbridge', `${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8'));
}
