/**
 * The local hub sweeps the outbox as AWS will: its schedule rule (template.yaml, every minute;
 * here every second through HUB_SCHEDULE_SECONDS' option) invokes the outbox-sweeper bundle
 * against the hub's DynamoDB Local, and an event whose API publish failed reaches the local bus,
 * the fan-out and the verification queue without any worker running.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDocumentClient, createDynamoStores } from '../../src/adapters/dynamodb/index.ts';
import { tableNames } from '../../src/config/env.ts';
import { type RunningHub, startHub } from '../../src/local/hub.ts';
import { createLogger } from '../../src/observability/log.ts';
import { createEvent, createHarness } from '../helpers/api-harness.ts';
import { deployedRules, person } from '../security/support.ts';

describe('the local hub’s schedules', () => {
  let hub: RunningHub;
  before(async () => {
    hub = await startHub({
      port: 0,
      store: 'memory',
      dataDir: '',
      // a private build folder: other test files may be building dist/ at the same time
      buildDir: mkdtempSync(join(tmpdir(), 'hub-schedules-')),
      worker: false,
      demoData: false,
      siteDir: mkdtempSync(join(tmpdir(), 'hub-schedules-site-')),
      scheduleSeconds: 1,
      logger: createLogger('hub', { level: 'error', sink: () => undefined }),
    });
  });
  after(() => hub?.stop());

  it('sweeps an event a failed publish left pending to the fan-out, with no worker running', async () => {
    // a booking written to the hub's tables by an API whose publish failed (a minute ago, past
    // the sweeper's grace from the template: 15 s)
    const stores = createDynamoStores(createDocumentClient(hub.dynamodbEndpoint), tableNames(hub.env));
    const bookedAt = new Date(Date.now() - 60_000);
    const h = await createHarness({ stores, rules: deployedRules(), now: bookedAt.toISOString() });
    const day = 24 * 3600_000;
    const event = await createEvent(h, {
      startsAt: new Date(bookedAt.getTime() + day).toISOString(),
      endsAt: new Date(bookedAt.getTime() + day + 7200_000).toISOString(),
    });
    h.publisher.failures = 1;
    const alice = await person('alice');
    const booked = await h.call('POST', `/events/${event.eventId}/reservations`, {
      token: alice.token,
      body: { partySize: 1 },
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    const reservationId = booked.body.reservation.reservationId as string;
    assert.equal(h.publisher.failures, 0, 'the API’s publish failed');

    const deadline = Date.now() + 20_000;
    let messages: Array<{ attributes?: Record<string, string>; body?: unknown }> = [];
    while (Date.now() < deadline) {
      const outbox = (await (await fetch(`${hub.url}/local/outbox`)).json()) as { messages: typeof messages };
      messages = outbox.messages.filter((m) => JSON.stringify(m.body).includes(reservationId));
      if (messages.length > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(messages.length > 0, 'the swept event reached the verification queue');
    assert.equal(messages[0]?.attributes?.eventType, 'BookingConfirmed');
    const pending = await stores.outbox.listPending('9999-12-31T00:00:00.000Z', 100);
    assert.deepEqual(
      pending.filter((e) => e.detail.reservationId === reservationId),
      [],
      'and it is marked published',
    );
  });
});
