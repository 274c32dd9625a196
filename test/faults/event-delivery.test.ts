/**
 * Faults on the way from a booking to its notification, injected through the ports around the
 * real DynamoDB stores: the bus refuses the API's publish (the process could as well have died
 * between commit and publish), the sweeper's publish fails, the sweeper dies between publishing
 * and marking the outbox. Whatever happens, the booking stands, its event leaves the outbox
 * through the scheduled sweep (ADR 0311), and the shopper gets exactly one message per channel,
 * because the fan-out leases every delivery in the DynamoDB ledger first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VenueEvent } from '../../src/domain/model.ts';
import type {
  EventPublisher,
  EventSweepPublisher,
  Notification,
  OutboxStore,
  PublishOutcome,
  RefusedEvent,
} from '../../src/domain/ports.ts';
import { createNotificationFanout, FanoutFailed } from '../../src/fanout/notification-fanout.ts';
import { createLogger } from '../../src/observability/log.ts';
import { type SweepReport, sweepOutbox } from '../../src/outbox/outbox-sweep.ts';
import { useStores } from '../adapters/dynamodb/fixtures.ts';
import { FakeClock, FakeRulesProvider } from '../fakes/index.ts';
import { RecordingNotifier } from '../fanout/fakes.ts';
import { createEvent, createHarness } from '../helpers/api-harness.ts';
import { deployedRules, person } from '../security/support.ts';

const quiet = createLogger('faults', { level: 'error', sink: () => undefined });
const db = await useStores();
const rules = new FakeRulesProvider(deployedRules());
const h = await createHarness({ stores: db.stores, rules: deployedRules() });
const sweepClock = new FakeClock(new Date('2026-12-01T15:10:00.000Z'));

/** The bus as the fan-out sees it: every published event is handed to the fan-out, possibly twice. */
class BusToFanout implements EventPublisher, EventSweepPublisher {
  readonly notifier = new RecordingNotifier();
  readonly delivered: VenueEvent[] = [];
  down = false;
  /** EventBridge is at-least-once: hand each event over this many times */
  copies = 1;
  private readonly fanOut = createNotificationFanout({
    preferences: db.stores.preferences,
    catalog: db.stores.catalog,
    slots: db.stores.slots,
    queue: db.stores.queue,
    ledger: db.stores.deliveries,
    notifier: this.notifier,
    rules,
    clock: sweepClock,
    logger: quiet,
  });

  async publish(events: VenueEvent[]): Promise<void> {
    if (this.down) throw Object.assign(new Error('bus unreachable'), { name: 'ServiceUnavailable' });
    for (const event of events) {
      for (let i = 0; i < this.copies; i++) {
        this.delivered.push(event);
        await this.fanOut(event.detailType, event.detail);
      }
    }
  }

  async publishEach(events: VenueEvent[]): Promise<PublishOutcome> {
    try {
      await this.publish(events);
      return { accepted: events.map((e) => e.detail.id), refused: [] };
    } catch (error) {
      return { accepted: [], refused: [], unreachable: error };
    }
  }

  messagesFor(reservationId: string): Notification[] {
    return this.notifier.sent.filter((n) => n.body.reservationId === reservationId && n.topic === 'shopper');
  }
}

/** The outbox with a crash injected after the publish: `markPublished` fails `crashes` times. */
class CrashingOutbox implements OutboxStore {
  crashes = 0;
  constructor(private readonly inner: OutboxStore) {}
  listPending(olderThan: string, limit: number) {
    return this.inner.listPending(olderThan, limit);
  }
  deferRefused(refused: RefusedEvent[], now: string): Promise<string[]> {
    return this.inner.deferRefused(refused, now);
  }
  async markPublished(ids: string[], now: string): Promise<void> {
    if (this.crashes > 0) {
      this.crashes -= 1;
      throw new Error('sweeper killed before marking');
    }
    return this.inner.markPublished(ids, now);
  }
}

/** One scheduled sweep; a sweep that could not finish answers undefined (the handler would throw). */
function sweep(
  bus: EventSweepPublisher,
  outbox: OutboxStore = db.stores.outbox,
): Promise<SweepReport | undefined> {
  return sweepOutbox({
    outbox,
    publisher: bus,
    clock: sweepClock,
    logger: quiet,
    metricsSink: () => undefined,
    graceSeconds: 30,
  }).catch(() => undefined);
}

async function bookWhileBusDown() {
  const alice = await person('alice');
  const event = await createEvent(h, { capacity: 20 });
  h.publisher.failures = 1;
  const res = await h.call('POST', `/events/${event.eventId}/reservations`, {
    token: alice.token,
    body: { partySize: 2 },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(h.publisher.failures, 0, 'the API tried to publish');
  return { alice, event, reservationId: res.body.reservation.reservationId as string };
}

async function pendingFor(reservationId: string): Promise<VenueEvent[]> {
  const pending = await db.stores.outbox.listPending('9999-12-31T00:00:00.000Z', 1000);
  return pending.filter((e) => e.detail.reservationId === reservationId);
}

describe('EventBridge publish fails in the API', () => {
  it('the booking stands, and the sweeper delivers its event later, exactly once downstream', async () => {
    const { alice, event, reservationId } = await bookWhileBusDown();
    const mine = await h.call('GET', '/me/reservations', { token: alice.token });
    assert.deepEqual(
      mine.body.items.map((r: { reservationId: string; status: string }) => [r.reservationId, r.status]),
      [[reservationId, 'confirmed']],
    );
    assert.equal((await h.call('GET', `/events/${event.eventId}`)).body.event.booked, 2);
    assert.equal((await pendingFor(reservationId)).length, 1, 'the event waits in the outbox');

    const bus = new BusToFanout();
    // inside the grace the sweep leaves the event to the API that wrote it
    sweepClock.set('2026-12-01T15:00:10.000Z');
    await sweep(bus);
    assert.equal(bus.messagesFor(reservationId).length, 0);

    sweepClock.set('2026-12-01T15:10:00.000Z');
    const report = await sweep(bus);
    assert.ok(report && report.published >= 1);
    const messages = bus.messagesFor(reservationId);
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.eventType, 'BookingConfirmed');
    assert.deepEqual(await pendingFor(reservationId), []);

    // later sweeps find nothing more to send
    await sweep(bus);
    assert.equal(bus.messagesFor(reservationId).length, 1);
  });

  it('the bus down for the sweeper too: nothing is lost, the next sweep delivers', async () => {
    const { reservationId } = await bookWhileBusDown();
    const bus = new BusToFanout();
    bus.down = true;
    assert.equal(await sweep(bus), undefined, 'the sweep failed');
    assert.equal((await pendingFor(reservationId)).length, 1);
    bus.down = false;
    await sweep(bus);
    assert.equal(bus.messagesFor(reservationId).length, 1);
    assert.deepEqual(await pendingFor(reservationId), []);
  });

  it('the sweeper killed between publish and mark: the event goes out again, one message all the same', async () => {
    const { reservationId } = await bookWhileBusDown();
    const bus = new BusToFanout();
    const outbox = new CrashingOutbox(db.stores.outbox);
    outbox.crashes = 1;
    assert.equal(await sweep(bus, outbox), undefined, 'the sweep failed');
    assert.equal((await pendingFor(reservationId)).length, 1, 'still pending after the crash');
    // the next invocation (a fresh container) sweeps it again, and EventBridge even delivers it twice
    bus.copies = 2;
    await sweep(bus);
    const copies = bus.delivered.filter((e) => e.detail.reservationId === reservationId).length;
    assert.equal(copies, 3, 'the event really reached the fan-out three times');
    assert.equal(bus.messagesFor(reservationId).length, 1);
    assert.deepEqual(await pendingFor(reservationId), []);
  });
});

describe('the fan-out given the same event twice', () => {
  it('sends one message per channel, even when the copies arrive concurrently', async () => {
    const bob = await person('bob');
    await h.call('PUT', '/me/preferences', {
      token: bob.token,
      body: {
        channels: { email: true, sms: true },
        phone: '+12125550123',
        interests: [],
        language: 'en',
        accessibility: false,
        marketingOptIn: false,
      },
    });
    const event = await createEvent(h, { capacity: 20 });
    const res = await h.call('POST', `/events/${event.eventId}/reservations`, {
      token: bob.token,
      body: { partySize: 1 },
    });
    const published = h.publisher.published.find(
      (e) => e.detail.reservationId === res.body.reservation.reservationId,
    );
    assert.ok(published, 'the API published the event itself');
    const bus = new BusToFanout();
    const copies = await Promise.allSettled(Array.from({ length: 5 }, () => bus.publish([published])));
    // A copy that met another's live lease fails, to be retried; the retry finds both sent.
    for (const copy of copies) if (copy.status === 'rejected') assert.ok(copy.reason instanceof FanoutFailed);
    await bus.publish([published]);
    const messages = bus.messagesFor(res.body.reservation.reservationId);
    assert.deepEqual(messages.map((m) => m.channel).sort(), ['email', 'sms']);
  });
});
