/**
 * A venue rules document for unit tests (the demo venue's shape, DESIGN.md §5), built fresh
 * on each call so tests may change it.
 */
import type { RulesDocument } from '../../src/domain/rules.ts';

export function sampleRules(): RulesDocument {
  const allDay: [string, string] = ['00:00', '24:00'];
  return {
    venues: {
      'flagship-001': {
        name: 'Flagship Store',
        timezone: 'America/New_York',
        hours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
        closedDates: [],
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
          { laneId: 'L3', serviceKinds: ['consultation'], accessible: false, open: true },
        ],
        limits: { activeReservationsPerUser: 10, queueJoinsPerHour: 6 },
        alerts: { capacityThreshold: 0.9, predictedWaitMinutes: 30 },
      },
    },
    features: { queue: true, pickup: true, campaigns: true },
  };
}
