/**
 * The venue-api tests' rules: the shared sample document (test/helpers/sample-rules.ts) with a
 * closed date and lane L3 also serving returns, so that lane choice and closed days show.
 */
import type { RulesDocument, VenueRules } from '../../src/domain/rules.ts';
import { sampleRules } from '../helpers/sample-rules.ts';

export function demoVenue(overrides: Partial<VenueRules> = {}): VenueRules {
  const base = sampleRules().venues['flagship-001'];
  if (!base) throw new Error('the sample rules lost flagship-001');
  return {
    ...base,
    closedDates: ['2026-12-25'],
    lanes: [
      { laneId: 'L1', serviceKinds: ['pickup', 'returns'], accessible: true, open: true },
      { laneId: 'L2', serviceKinds: ['pickup'], accessible: false, open: true },
      { laneId: 'L3', serviceKinds: ['consultation', 'returns'], accessible: false, open: true },
    ],
    ...overrides,
  };
}

export function demoRules(venue: Partial<VenueRules> = {}): RulesDocument {
  return { ...sampleRules(), venues: { 'flagship-001': demoVenue(venue) } };
}
