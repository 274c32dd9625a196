import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Features, Lane, QueueRules, RulesDocument, VenueRules } from '../../src/domain/rules.ts';
import { loadVenueRulesFromTemplate, validateRules } from '../../src/local/venue-rules.ts';

// Every property of the TypeScript types, so that a field added on one side only fails here.
const VENUE_KEYS: Record<keyof VenueRules, true> = {
  name: true,
  timezone: true,
  hours: true,
  closedDates: true,
  maxPartySize: true,
  checkInWindowMinutes: true,
  queue: true,
  lanes: true,
  limits: true,
  alerts: true,
};
const QUEUE_KEYS: Record<keyof QueueRules, true> = {
  maxLength: true,
  noShowGraceMinutes: true,
  serviceMinutes: true,
  fairnessMinutes: true,
  acceptableWaitMinutes: true,
  stabilityPositions: true,
  appointmentEarlyMinutes: true,
  scarcityWeight: true,
  agingMinutes: true,
  serviceCv: true,
};
const LANE_KEYS: Record<keyof Lane, true> = {
  laneId: true,
  serviceKinds: true,
  accessible: true,
  open: true,
  reopensAt: true,
};
const FEATURE_KEYS: Record<keyof Features, true> = { queue: true, pickup: true, campaigns: true };

type Schema = {
  properties?: Record<string, Schema>;
  definitions?: Record<string, Schema>;
  required?: string[];
};

const { document, schema } = loadVenueRulesFromTemplate();
const definitions = (schema as Schema).definitions ?? {};

function copy(): RulesDocument {
  return structuredClone(document);
}

function flagship(doc: RulesDocument): VenueRules {
  return doc.venues['flagship-001']!;
}

describe('venue rules in template.yaml', () => {
  it('carry the demo venue flagship-001 of DESIGN.md §6', () => {
    const venue = flagship(document);
    assert.equal(venue.timezone, 'America/New_York');
    for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const) {
      assert.deepEqual(venue.hours[day], ['00:00', '24:00'], day);
    }
    const kinds = new Set(venue.lanes.flatMap((lane) => lane.serviceKinds));
    assert.deepEqual([...kinds].sort(), ['consultation', 'pickup', 'returns']);
    assert.equal(venue.lanes.filter((lane) => lane.accessible).length, 1);
    for (const kind of kinds) assert.ok(venue.queue.serviceMinutes[kind], `serviceMinutes.${kind}`);
    assert.deepEqual(venue.limits, { activeReservationsPerUser: 10, queueJoinsPerHour: 6 });
    assert.deepEqual(venue.alerts, { capacityThreshold: 0.9, predictedWaitMinutes: 30 });
    assert.deepEqual(document.features, { queue: true, pickup: true, campaigns: true });
  });

  it('have a schema whose properties are exactly those of src/domain/rules.ts', () => {
    const props = (s: Schema | undefined) => Object.keys(s?.properties ?? {}).sort();
    assert.deepEqual(props(definitions.venue), Object.keys(VENUE_KEYS).sort());
    assert.deepEqual(props(definitions.venue?.properties?.queue), Object.keys(QUEUE_KEYS).sort());
    assert.deepEqual(props(definitions.lane), Object.keys(LANE_KEYS).sort());
    assert.deepEqual(props((schema as Schema).properties?.features), Object.keys(FEATURE_KEYS).sort());
    // optional in the type ⇔ not required in the schema
    assert.deepEqual(
      definitions.venue?.properties?.queue?.required?.sort(),
      ['maxLength', 'noShowGraceMinutes', 'serviceMinutes'].sort(),
    );
    assert.deepEqual(definitions.venue?.required?.sort(), Object.keys(VENUE_KEYS).sort());
  });
});

describe('validateRules', () => {
  it('accepts the demo document', () => {
    assert.equal(validateRules(document).valid, true);
  });

  it('accepts a closed lane with its announced return', () => {
    const doc = copy();
    Object.assign(flagship(doc).lanes[0]!, { open: false, reopensAt: '2026-12-05T17:30:00-05:00' });
    assert.equal(validateRules(doc).valid, true);
  });

  it('accepts the operators’ alert language, English or Spanish', () => {
    const doc = copy();
    flagship(doc).alerts.language = 'es';
    assert.equal(validateRules(doc).valid, true);
  });

  const rejects: Array<[string, (doc: RulesDocument) => void, string]> = [
    ['an unknown top-level field', (d) => Object.assign(d, { extra: 1 }), '/'],
    ['an unknown venue field', (d) => Object.assign(flagship(d), { colour: 'red' }), '/venues/flagship-001'],
    ['a missing feature flag', (d) => delete (d.features as Partial<Features>).pickup, '/features'],
    [
      'a malformed opening time',
      (d) => (flagship(d).hours.mon = ['9:00', '17:00']),
      '/venues/flagship-001/hours/mon/0',
    ],
    [
      'a third value in opening hours',
      (d) => (flagship(d).hours.tue = ['09:00', '17:00', '18:00'] as never),
      '/venues/flagship-001/hours/tue',
    ],
    [
      'an unknown weekday',
      (d) => Object.assign(flagship(d).hours, { fun: ['09:00', '17:00'] }),
      '/venues/flagship-001/hours',
    ],
    [
      'an aging period of zero minutes',
      (d) => (flagship(d).queue.agingMinutes = 0),
      '/venues/flagship-001/queue/agingMinutes',
    ],
    ['a party size of zero', (d) => (flagship(d).maxPartySize = 0), '/venues/flagship-001/maxPartySize'],
    ['a fractional party size', (d) => (flagship(d).maxPartySize = 2.5), '/venues/flagship-001/maxPartySize'],
    [
      'a lane without service kinds',
      (d) => (flagship(d).lanes[0]!.serviceKinds = []),
      '/venues/flagship-001/lanes/0/serviceKinds',
    ],
    [
      'a string where a boolean belongs',
      (d) => ((d.features as unknown as Record<string, unknown>).queue = 'yes'),
      '/features/queue',
    ],
    [
      'a capacity threshold above 1',
      (d) => (flagship(d).alerts.capacityThreshold = 1.5),
      '/venues/flagship-001/alerts/capacityThreshold',
    ],
    [
      'an alert language the fan-out does not speak',
      (d) => Object.assign(flagship(d).alerts, { language: 'fr' }),
      '/venues/flagship-001/alerts/language',
    ],
    [
      'a bad closed date',
      (d) => (flagship(d).closedDates = ['2026-13-01']),
      '/venues/flagship-001/closedDates/0',
    ],
    [
      'a lane return that is not a time',
      (d) => (flagship(d).lanes[0]!.reopensAt = 'after lunch'),
      '/venues/flagship-001/lanes/0/reopensAt',
    ],
    ['no venues at all', (d) => (d.venues = {}), '/venues'],
    ['a venue id with capitals', (d) => (d.venues.Flagship = flagship(d)), '/venues'],
  ];
  for (const [what, mutate, path] of rejects) {
    it(`rejects ${what} with the path of the problem`, () => {
      const doc = copy();
      mutate(doc);
      const result = validateRules(doc);
      assert.equal(result.valid, false);
      if (!result.valid) {
        assert.ok(
          result.errors.some((e) => e.path === path),
          `expected an error at ${path}, got ${JSON.stringify(result.errors)}`,
        );
      }
    });
  }

  it('rejects values that are not documents at all', () => {
    for (const value of [null, 42, 'rules', []]) assert.equal(validateRules(value).valid, false);
  });
});
