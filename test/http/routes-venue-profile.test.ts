/** `GET /venues/{venueId}`: a venue's public profile (ADR 0417). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoRules } from '../fakes/demo-rules.ts';
import { createHarness } from '../helpers/api-harness.ts';

/** The demo venue of test/fakes/demo-rules.ts as a shopper may see it, written out by hand. */
const DEMO_PROFILE = {
  venueId: 'flagship-001',
  name: 'Flagship Store',
  timezone: 'America/New_York',
  hours: {
    mon: ['00:00', '24:00'],
    tue: ['00:00', '24:00'],
    wed: ['00:00', '24:00'],
    thu: ['00:00', '24:00'],
    fri: ['00:00', '24:00'],
    sat: ['00:00', '24:00'],
    sun: ['00:00', '24:00'],
  },
  closedDates: ['2026-12-25'],
  maxPartySize: 6,
  checkInWindowMinutes: { before: 30, after: 15 },
  lanes: [
    { laneId: 'L1', serviceKinds: ['pickup', 'returns'], accessible: true, open: true },
    { laneId: 'L2', serviceKinds: ['pickup'], accessible: false, open: true },
    { laneId: 'L3', serviceKinds: ['consultation', 'returns'], accessible: false, open: true },
  ],
  services: [
    { serviceKind: 'pickup', expectedMinutes: 3 },
    { serviceKind: 'returns', expectedMinutes: 6 },
    { serviceKind: 'consultation', expectedMinutes: 15 },
  ],
  features: { queue: true, pickup: true, campaigns: true },
};

/** Lanes of a deployment, one closed with its announced return: shown as they are. */
const WINTER_LANES = [
  { laneId: 'L1', serviceKinds: ['pickup'], accessible: true, open: true },
  {
    laneId: 'L9',
    serviceKinds: ['repairs', 'returns'],
    accessible: false,
    open: false,
    reopensAt: '2026-12-01T16:00:00.000Z',
  },
];

describe('GET /venues/{venueId}', () => {
  it('answers the shopper-visible rules of the venue, publicly, cacheable for a minute', async () => {
    const h = await createHarness();
    const res = await h.call('GET', '/venues/flagship-001');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { venue: DEMO_PROFILE });
    assert.equal(res.headers['cache-control'], 'public, max-age=60');
    assert.equal(res.headers['content-type'], 'application/json');
    assert.ok(res.headers['x-request-id']);
    // a token changes nothing: the profile is the same for everyone (so a shared cache may keep it)
    const asOperator = await h.call('GET', '/venues/flagship-001', { as: 'olivia' });
    assert.deepEqual(asOperator.body, res.body);
    assert.equal(asOperator.headers['cache-control'], 'public, max-age=60');
  });

  it('answers an unknown venue with 404 NOT_FOUND, as the other venue routes do, and never caches it', async () => {
    const h = await createHarness();
    for (const path of ['/venues/no-such-venue', '/venues/flagship-002']) {
      const res = await h.call('GET', path);
      assert.equal(res.status, 404, path);
      assert.equal(res.body.error.code, 'NOT_FOUND');
      assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'details', 'message', 'requestId']);
      assert.equal(res.headers['cache-control'], 'no-store');
      const slots = await h.call('GET', `${path}/pickup-slots?date=2026-12-01`);
      assert.equal(slots.body.error.message, res.body.error.message, 'the same answer as route 5');
    }
    // names that are not ids at all are unknown too, not a 400 or a 500
    assert.equal((await h.call('GET', `/venues/${encodeURIComponent('../health')}`)).status, 404);
  });

  it('leaves out limits, alerts, queue capacity, no-show grace and planner tuning', async () => {
    const h = await createHarness();
    const rules = demoRules({
      // values no profile field could carry by chance
      limits: { activeReservationsPerUser: 917, queueJoinsPerHour: 913 },
      alerts: { capacityThreshold: 0.37, predictedWaitMinutes: 911, language: 'es' },
      queue: {
        maxLength: 9907,
        noShowGraceMinutes: 907,
        serviceMinutes: { pickup: 3, returns: 6, consultation: 15 },
        fairnessMinutes: 901,
        acceptableWaitMinutes: 903,
        stabilityPositions: 97,
        appointmentEarlyMinutes: 889,
        agingMinutes: 883,
        serviceCv: 4.21,
        scarcityWeight: 8.93,
      },
    });
    h.rules.deploy(rules);
    const res = await h.call('GET', '/venues/flagship-001');
    assert.equal(res.status, 200);
    const text = JSON.stringify(res.body);
    for (const secret of [
      'limits',
      'activeReservationsPerUser',
      'queueJoinsPerHour',
      'alerts',
      'capacityThreshold',
      'predictedWaitMinutes',
      'language',
      'maxLength',
      'noShowGraceMinutes',
      'serviceMinutes',
      'fairnessMinutes',
      'acceptableWaitMinutes',
      'stabilityPositions',
      'appointmentEarlyMinutes',
      'agingMinutes',
      'serviceCv',
      'scarcityWeight',
      '917',
      '913',
      '0.37',
      '911',
      '9907',
      '907',
      '901',
      '903',
      '97',
      '889',
      '883',
      '4.21',
      '8.93',
    ]) {
      assert.ok(!text.includes(secret), `the profile carries ${secret}: ${text}`);
    }
    assert.deepEqual(Object.keys(res.body.venue).sort(), Object.keys(DEMO_PROFILE).sort());
  });

  it('follows a deployment of the rules: limits, window, lanes, services and switches', async () => {
    const h = await createHarness();
    h.rules.deploy(
      demoRules({
        name: 'Flagship Store (winter hours)',
        hours: { mon: ['10:00', '21:00'], sat: ['09:30', '24:00'] },
        maxPartySize: 3,
        checkInWindowMinutes: { before: 45, after: 5 },
        lanes: WINTER_LANES,
        // a kind with a service time and no lane, and one lane kind without a time
        queue: { maxLength: 500, noShowGraceMinutes: 5, serviceMinutes: { pickup: 2.5, gifting: 10 } },
      }),
    );
    const rules = await h.rules.current();
    h.rules.deploy({ ...rules.document, features: { queue: false, pickup: true, campaigns: false } });
    const res = await h.call('GET', '/venues/flagship-001');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.venue, {
      ...DEMO_PROFILE,
      name: 'Flagship Store (winter hours)',
      hours: { mon: ['10:00', '21:00'], sat: ['09:30', '24:00'] },
      maxPartySize: 3,
      checkInWindowMinutes: { before: 45, after: 5 },
      lanes: WINTER_LANES,
      services: [
        { serviceKind: 'pickup', expectedMinutes: 2.5 },
        { serviceKind: 'repairs' },
        { serviceKind: 'returns' },
        { serviceKind: 'gifting', expectedMinutes: 10 },
      ],
      // a switched-off feature is part of the profile, not a reason to refuse it
      features: { queue: false, pickup: true, campaigns: false },
    });
  });

  it('lists exactly the service kinds the queue takes', async () => {
    const h = await createHarness();
    h.rules.deploy(
      demoRules({
        queue: { maxLength: 500, noShowGraceMinutes: 5, serviceMinutes: { pickup: 3, gifting: 10 } },
      }),
    );
    const { services } = (await h.call('GET', '/venues/flagship-001')).body.venue;
    const offered: string[] = services.map((s: { serviceKind: string }) => s.serviceKind);
    assert.deepEqual(offered, ['pickup', 'returns', 'consultation', 'gifting']);
    for (const kind of [...offered, 'repairs']) {
      const join = await h.call('POST', '/venues/flagship-001/queue/tickets', {
        as: 'alice',
        body: { serviceKind: kind, partySize: 1 },
      });
      // an offered kind is never refused as unknown (with no lane serving it, the queue is closed to it)
      if (offered.includes(kind)) assert.notEqual(join.status, 400, `${kind}: ${JSON.stringify(join.body)}`);
      else assert.equal(join.body.error.details[0].path, 'serviceKind');
      if (join.status === 201)
        await h.call('DELETE', `/queue/tickets/${join.body.ticket.ticketId}`, { as: 'alice' });
    }
  });
});
