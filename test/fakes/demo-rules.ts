/** A rules document like the deployed demo (DESIGN.md §6), for tests that need one in code. */
import type { RulesDocument, VenueRules } from '../../src/domain/rules.ts';

const allDay: [string, string] = ['00:00', '24:00'];

export function demoVenue(overrides: Partial<VenueRules> = {}): VenueRules {
  return {
    name: 'Flagship Store',
    timezone: 'America/New_York',
    hours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
    closedDates: ['2026-12-25'],
    maxPartySize: 6,
    checkInWindowMinutes: { before: 30, after: 15 },
    queue: {
      maxLength: 500,
      noShowGraceMinutes: 5,
      serviceMinutes: { pickup: 3, returns: 6, consultation: 15 },
    },
    lanes: [
      { laneId: 'L1', serviceKinds: ['pickup', 'returns'], accessible: true, open: true },
      { laneId: 'L2', serviceKinds: ['pickup'], accessible: false, open: true },
      { laneId: 'L3', serviceKinds: ['consultation', 'returns'], accessible: false, open: true },
    ],
    limits: { activeReservationsPerUser: 10, queueJoinsPerHour: 6 },
    alerts: { capacityThreshold: 0.9, predictedWaitMinutes: 30 },
    ...overrides,
  };
}

export function demoRules(venue: Partial<VenueRules> = {}): RulesDocument {
  return {
    venues: { 'flagship-001': demoVenue(venue) },
    features: { queue: true, pickup: true, campaigns: true },
  };
}
