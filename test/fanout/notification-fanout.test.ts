import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEFAULT_PREFERENCES, type Preferences, type QueueTicket } from '../../src/domain/model.ts';
import {
  createNotificationFanout,
  FanoutFailed,
  InvalidVenueEvent,
  shopperChannels,
} from '../../src/fanout/notification-fanout.ts';
import { sampleEvent } from '../helpers/sample-events.ts';
import { harness } from './fakes.ts';

const both: Preferences = {
  ...DEFAULT_PREFERENCES,
  channels: { email: true, sms: true },
  email: 'ana@example.com',
  phone: '+12125550100',
};

function booking() {
  const { detail, 'detail-type': type } = sampleEvent('booking-confirmed');
  return { type, detail };
}

describe('notification fan-out: shopper messages', () => {
  it('sends a BookingConfirmed e-mail with default preferences, ids and venue-time text', async () => {
    const h = harness();
    const { type, detail } = booking();
    const outcome = await createNotificationFanout(h.deps)(type, detail);
    assert.deepEqual(outcome, { sent: 1, duplicates: 0, failed: 0, inFlight: 0 });
    const [message] = h.notifier.sent;
    assert.deepEqual(message, {
      topic: 'shopper',
      eventType: 'BookingConfirmed',
      venueId: 'flagship-001',
      channel: 'email',
      correlationId: detail.correlationId,
      body: {
        eventType: 'BookingConfirmed',
        detailId: detail.id,
        venueId: 'flagship-001',
        reservationId: detail.reservationId,
        eventId: detail.eventId,
        userId: detail.userId,
        channel: 'email',
        language: 'en',
        subject: 'Booking confirmed: Holiday Gift Wrapping Workshop',
        text:
          "You're booked for Holiday Gift Wrapping Workshop at Flagship Store on Sat, Dec 5, 3:00 PM EST " +
          `for 2 people. Reservation ${detail.reservationId}.`,
      },
    });
    assert.ok(
      h.logs.some((l) => l.message === 'event fanned out' && l.correlationId === detail.correlationId),
    );
  });

  it('delivers the same event three times as one message per channel', async () => {
    const h = harness();
    h.preferences.set(booking().detail.userId, both);
    const fanOut = createNotificationFanout(h.deps);
    const { type, detail } = booking();
    const outcomes = [];
    for (let i = 0; i < 3; i += 1) outcomes.push(await fanOut(type, structuredClone(detail)));
    assert.deepEqual(
      h.notifier.sent.map((n) => [n.channel, n.body.to]),
      [
        ['email', 'ana@example.com'],
        ['sms', '+12125550100'],
      ],
    );
    assert.deepEqual(outcomes.at(-1), { sent: 0, duplicates: 2, failed: 0, inFlight: 0 });
    const logged = JSON.stringify(h.logs);
    for (const personal of ['ana@example.com', '+12125550100', detail.userId])
      assert.ok(!logged.includes(personal));
  });

  it('on an SNS failure fails the event, releases the claim, and the retry delivers exactly once', async () => {
    const h = harness();
    h.preferences.set(booking().detail.userId, both);
    const fanOut = createNotificationFanout(h.deps);
    const { type, detail } = booking();
    h.notifier.failing.add('sms');
    await assert.rejects(fanOut(type, detail), (error) => {
      assert.ok(error instanceof FanoutFailed);
      assert.deepEqual(error.outcome, { sent: 1, duplicates: 0, failed: 1, inFlight: 0 });
      return true;
    });
    assert.equal(h.ledger.markers.has(`${detail.id}#sms`), false, 'sms claim released');
    assert.equal(h.ledger.markers.has(`${detail.id}#email`), true);
    h.notifier.failing.clear();
    assert.deepEqual(await fanOut(type, detail), { sent: 1, duplicates: 1, failed: 0, inFlight: 0 });
    assert.deepEqual(await fanOut(type, detail), { sent: 0, duplicates: 2, failed: 0, inFlight: 0 });
    assert.deepEqual(
      h.notifier.sent.map((n) => n.channel),
      ['email', 'sms'],
    );
  });

  it('renders in Spanish for a Spanish-speaking shopper', async () => {
    const h = harness();
    const { type, detail } = booking();
    h.preferences.set(detail.userId, { ...DEFAULT_PREFERENCES, language: 'es' });
    await createNotificationFanout(h.deps)(type, detail);
    assert.equal(h.notifier.sent[0]?.body.language, 'es');
    assert.equal(
      h.notifier.sent[0]?.body.text,
      'Tienes una reserva para Holiday Gift Wrapping Workshop en Flagship Store el sáb, 5 de dic, 3:00 p.m. EST ' +
        `para 2 personas. Reserva ${detail.reservationId}.`,
    );
  });

  it('sends nothing on channels turned off, and no SMS without a phone number', async () => {
    const h = harness();
    const { type, detail } = booking();
    h.preferences.set(detail.userId, { ...DEFAULT_PREFERENCES, channels: { email: false, sms: true } });
    assert.deepEqual(await createNotificationFanout(h.deps)(type, detail), {
      sent: 0,
      duplicates: 0,
      failed: 0,
      inFlight: 0,
    });
    assert.equal(h.notifier.sent.length, 0);
    assert.deepEqual(shopperChannels({ ...both, channels: { email: false, sms: false } }), []);
    assert.deepEqual(shopperChannels({ ...both, phone: undefined }), ['email']);
  });

  it('tells a pickup check-in that it is queued, and completes a pickup, with the ticket id', async () => {
    const h = harness('2026-12-07T15:55:03.000Z');
    const fanOut = createNotificationFanout(h.deps);
    for (const name of ['check-in-completed', 'pickup-completed'] as const) {
      const { detail, 'detail-type': type } = sampleEvent(name);
      await fanOut(type, detail);
    }
    const [checkIn, done] = h.notifier.sent;
    assert.equal(checkIn?.body.ticketId, 'tkt-01J9ZB8Q2M');
    assert.match(String(checkIn?.body.text), /checked in at Flagship Store and in the pickup queue/);
    assert.equal(done?.eventType, 'PickupCompleted');
    assert.deepEqual([done?.body.reservationId, done?.body.ticketId], ['res-01J9ZB7PICK', 'tkt-01J9ZB8Q2M']);
  });

  it('rejects an invalid event without claiming or sending anything', async () => {
    const h = harness();
    const { type, detail } = booking();
    const fanOut = createNotificationFanout(h.deps);
    await assert.rejects(fanOut(type, { ...detail, id: 'not-a-uuid', partySize: 0 }), (error) => {
      assert.ok(error instanceof InvalidVenueEvent);
      assert.deepEqual(
        error.problems.map((p) => p.path),
        ['/id', '/partySize'],
      );
      return true;
    });
    await assert.rejects(fanOut('SomethingElse', detail), InvalidVenueEvent);
    assert.equal(h.notifier.sent.length + h.ledger.markers.size, 0);
  });

  it('renders in UTC and raises no operator alert for a venue without rules', async () => {
    const h = harness();
    const { type, detail } = booking();
    await createNotificationFanout(h.deps)(type, { ...detail, venueId: 'popup-9' });
    assert.match(String(h.notifier.sent[0]?.body.text), /at popup-9 on Sat, Dec 5, 8:00 PM UTC/);
    assert.ok(h.logs.some((l) => l.level === 'warn' && l.venueId === 'popup-9'));
  });
});

describe('notification fan-out: operator alerts', () => {
  function withEvent(h: ReturnType<typeof harness>, booked: number, capacity = 50) {
    const { detail } = booking();
    h.catalog.set(String(detail.eventId), {
      eventId: String(detail.eventId),
      venueId: 'flagship-001',
      kind: 'event',
      title: 'Holiday Gift Wrapping Workshop',
      status: 'published',
      startsAt: String(detail.startsAt),
      endsAt: String(detail.endsAt),
      capacity,
      booked,
      remaining: capacity - booked,
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
    });
  }

  it('alerts once when a booking brings an event to the capacity threshold', async () => {
    const h = harness();
    const fanOut = createNotificationFanout(h.deps);
    withEvent(h, 44);
    await fanOut('BookingConfirmed', booking().detail);
    assert.equal(h.notifier.sent.filter((n) => n.topic === 'operator').length, 0, '88% is below 90%');
    withEvent(h, 45);
    await fanOut('BookingConfirmed', { ...booking().detail, id: randomUUID() });
    withEvent(h, 47);
    await fanOut('BookingConfirmed', { ...booking().detail, id: randomUUID() });
    const alerts = h.notifier.sent.filter((n) => n.topic === 'operator');
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.channel, 'operator');
    assert.deepEqual(
      [alerts[0]?.body.alert, alerts[0]?.body.booked, alerts[0]?.body.capacity, alerts[0]?.body.ratio],
      ['capacity', 45, 50, 0.9],
    );
    assert.equal(
      alerts[0]?.body.text,
      'Capacity alert at Flagship Store: Holiday Gift Wrapping Workshop (Sat, Dec 5, 3:00 PM EST) is 90% booked (45 of 50).',
    );
  });

  it('alerts on a pickup slot that fills up', async () => {
    const h = harness();
    const { detail } = booking();
    const pickup = {
      ...detail,
      reservationType: 'pickup',
      slotId: 'slot-1',
      eventId: undefined,
      orderRef: 'A-1',
    };
    delete pickup.eventId;
    h.slots.set('slot-1', {
      slotId: 'slot-1',
      venueId: 'flagship-001',
      startsAt: '2026-12-05T20:00:00.000Z',
      endsAt: '2026-12-05T20:15:00.000Z',
      capacity: 4,
      booked: 4,
      remaining: 0,
    });
    await createNotificationFanout(h.deps)('BookingConfirmed', pickup);
    const alert = h.notifier.sent.find((n) => n.topic === 'operator');
    assert.equal(alert?.body.slotId, 'slot-1');
    assert.match(
      String(alert?.body.text),
      /pickup slot of Sat, Dec 5, 3:00 PM EST is 100% booked \(4 of 4\)/,
    );
  });

  function ticket(n: number, serviceKind = 'pickup'): QueueTicket & { version: number } {
    return {
      ticketId: `t-${n}`,
      venueId: 'flagship-001',
      userId: `u-${n}`,
      serviceKind,
      partySize: 1,
      accessibility: false,
      status: n % 5 === 0 ? 'called' : 'waiting',
      joinedAt: '2026-12-07T15:00:00.000Z',
      version: 1,
    };
  }

  it('alerts once per venue and hour when check-ins find a predicted wait over the threshold', async () => {
    const h = harness('2026-12-07T15:55:03.000Z');
    const fanOut = createNotificationFanout(h.deps);
    const { detail } = sampleEvent('check-in-completed');
    // pickup: 3 min each over 2 open lanes → 20 tickets = 30 min (not over), 21 = 31.5 min
    for (let i = 1; i <= 20; i += 1) h.tickets.push(ticket(i));
    await fanOut('CheckInCompleted', detail);
    assert.equal(h.notifier.sent.filter((n) => n.topic === 'operator').length, 0);
    h.tickets.push(ticket(21));
    await fanOut('CheckInCompleted', { ...detail, id: randomUUID() });
    await fanOut('CheckInCompleted', { ...detail, id: randomUUID() });
    h.setNow('2026-12-07T16:01:00.000Z');
    await fanOut('CheckInCompleted', { ...detail, id: randomUUID(), occurredAt: '2026-12-07T16:00:58.000Z' });
    const alerts = h.notifier.sent.filter((n) => n.topic === 'operator');
    assert.equal(alerts.length, 2);
    assert.deepEqual(
      [alerts[0]?.body.alert, alerts[0]?.body.predictedWaitMinutes, alerts[0]?.body.openLanes],
      ['predictedWait', 32, 2],
    );
    assert.equal(
      alerts[0]?.body.text,
      'Queue alert at Flagship Store: pickup — predicted wait 32 min (21 active tickets, 2 open lanes); threshold 30 min.',
    );
  });

  it('alerts once for a check-in whose retry falls in the next hour: the hour is the check-in’s', async () => {
    const h = harness('2026-12-07T15:59:30.000Z');
    const fanOut = createNotificationFanout(h.deps);
    const { detail } = sampleEvent('check-in-completed');
    const event = { ...detail, occurredAt: '2026-12-07T15:59:29.000Z' };
    for (let i = 1; i <= 25; i += 1) h.tickets.push(ticket(i)); // over the threshold
    // the operator alert goes out, the shopper's e-mail fails: the event fails
    h.notifier.failing.add('email');
    await assert.rejects(fanOut('CheckInCompleted', event), FanoutFailed);
    // Lambda's retry a minute later, in the next clock hour
    h.notifier.failing.clear();
    h.setNow('2026-12-07T16:00:31.000Z');
    await fanOut('CheckInCompleted', event);
    assert.equal(
      h.notifier.sent.filter((n) => n.channel === 'operator' && n.body.detailId === event.id).length,
      1,
    );
  });

  it('takes the wait from the worker’s ETAs where it has planned the tickets, else from the rough bound', async () => {
    const h = harness('2026-12-07T15:55:03.000Z');
    const fanOut = createNotificationFanout(h.deps);
    const { detail } = sampleEvent('check-in-completed');
    // three pickups: the rough bound says 3 × 3 min ÷ 2 lanes = 4.5 min, under the threshold;
    // the plan says the last of them is called in 40 minutes (the lanes are busy with others)
    const planned = [1, 2, 3].map((n) => ({
      ...ticket(n),
      status: 'waiting' as const,
      etaAt: new Date(Date.parse('2026-12-07T15:55:03.000Z') + n * 13.5 * 60_000).toISOString(),
    }));
    h.tickets.push(...planned);
    await fanOut('CheckInCompleted', detail);
    const [alert] = h.notifier.sent.filter((n) => n.topic === 'operator');
    assert.deepEqual([alert?.body.predictedWaitMinutes, alert?.body.activeTickets], [41, 3]);
    // ETAs that have all passed are a plan nobody keeps (a worker down): the rough bound again
    h.setNow('2026-12-07T17:10:00.000Z');
    await fanOut('CheckInCompleted', { ...detail, id: randomUUID() });
    assert.equal(h.notifier.sent.filter((n) => n.topic === 'operator').length, 1, '4.5 min: no alert');
  });

  it('speaks the operators’ language when the venue sets one', async () => {
    const h = harness('2026-12-07T15:55:03.000Z');
    h.rules.venues['flagship-001']!.alerts.language = 'es';
    const fanOut = createNotificationFanout(h.deps);
    withEvent(h, 45);
    await fanOut('BookingConfirmed', booking().detail);
    for (let i = 1; i <= 21; i += 1) h.tickets.push(ticket(i));
    await fanOut('CheckInCompleted', sampleEvent('check-in-completed').detail);
    const alerts = h.notifier.sent.filter((n) => n.topic === 'operator');
    assert.deepEqual(
      alerts.map((a) => [a.body.language, a.body.text]),
      [
        [
          'es',
          'Alerta de aforo en Flagship Store: Holiday Gift Wrapping Workshop (sáb, 5 de dic, 3:00 p.m. EST) está reservado al 90 % (45 de 50).',
        ],
        [
          'es',
          'Alerta de fila en Flagship Store: pickup — espera prevista de 32 min (21 turnos activos, 2 mostradores abiertos); umbral de 30 min.',
        ],
      ],
    );
  });

  it('alerts when tickets wait for a service no open lane serves', async () => {
    const h = harness('2026-12-07T15:55:03.000Z');
    for (const lane of h.rules.venues['flagship-001']?.lanes ?? [])
      if (lane.laneId === 'L3') lane.open = false;
    h.tickets.push(ticket(1, 'consultation'));
    await createNotificationFanout(h.deps)('CheckInCompleted', sampleEvent('check-in-completed').detail);
    const alert = h.notifier.sent.find((n) => n.topic === 'operator');
    assert.equal(alert?.body.predictedWaitMinutes, null);
    assert.match(String(alert?.body.text), /consultation — no open lane serves it/);
  });
});
