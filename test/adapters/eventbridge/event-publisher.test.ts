import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import {
  EventBridgePublisher,
  type EventBridgeSender,
} from '../../../src/adapters/eventbridge/event-publisher.ts';
import { ServiceUnavailable } from '../../../src/domain/errors.ts';
import type { VenueEvent } from '../../../src/domain/model.ts';

function fakeBus(answer: (input: PutEventsCommandInput) => { FailedEntryCount?: number } | Error) {
  const requests: PutEventsCommandInput[] = [];
  const client = {
    async send(command: unknown) {
      assert.ok(command instanceof PutEventsCommand);
      requests.push(command.input);
      const result = answer(command.input);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { client: client as unknown as EventBridgeSender, requests };
}

function event(n: number): VenueEvent {
  return {
    detailType: n % 2 === 0 ? 'BookingConfirmed' : 'CheckInCompleted',
    detail: {
      id: randomUUID(),
      occurredAt: '2026-12-01T15:00:00.000Z',
      venueId: 'flagship-001',
      userId: `user-${n}`,
      reservationId: `res-${n}`,
      correlationId: `corr-${n}`,
    },
  };
}

describe('EventBridgePublisher', () => {
  it('sends each event with Source venue.hub, its DetailType, the JSON detail and the bus name', async () => {
    const { client, requests } = fakeBus(() => ({ FailedEntryCount: 0 }));
    const events = [event(0), event(1)];
    await new EventBridgePublisher(client, 'hub-bus').publish(events, 'corr-0');
    assert.deepEqual(requests, [
      {
        Entries: events.map((e) => ({
          EventBusName: 'hub-bus',
          Source: 'venue.hub',
          DetailType: e.detailType,
          Detail: JSON.stringify(e.detail),
        })),
      },
    ]);
    assert.deepEqual(JSON.parse(requests[0]?.Entries?.[0]?.Detail ?? ''), events[0]?.detail);
  });

  it('splits into batches of at most 10 entries, in order', async () => {
    const { client, requests } = fakeBus(() => ({ FailedEntryCount: 0 }));
    const events = Array.from({ length: 23 }, (_, i) => event(i));
    await new EventBridgePublisher(client, 'hub-bus').publish(events);
    assert.deepEqual(
      requests.map((r) => r.Entries?.length),
      [10, 10, 3],
    );
    const sent = requests.flatMap((r) => r.Entries ?? []).map((e) => JSON.parse(e.Detail ?? '').id);
    assert.deepEqual(
      sent,
      events.map((e) => e.detail.id),
    );
  });

  it('sends nothing for an empty list', async () => {
    const { client, requests } = fakeBus(() => ({ FailedEntryCount: 0 }));
    await new EventBridgePublisher(client, 'hub-bus').publish([]);
    assert.equal(requests.length, 0);
  });

  it('throws ServiceUnavailable when any entry fails', async () => {
    const { client, requests } = fakeBus((input) => ({
      FailedEntryCount: input.Entries?.length === 10 ? 1 : 0,
    }));
    const events = Array.from({ length: 12 }, (_, i) => event(i));
    await assert.rejects(new EventBridgePublisher(client, 'hub-bus').publish(events), (error) => {
      assert.ok(error instanceof ServiceUnavailable);
      assert.match(error.message, /rejected 1 of 10/);
      return true;
    });
    assert.equal(requests.length, 1, 'stops at the first failed batch');
  });

  it('maps an SDK failure to ServiceUnavailable, keeping the cause', async () => {
    const sdkError = Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    const { client } = fakeBus(() => sdkError);
    await assert.rejects(new EventBridgePublisher(client, 'hub-bus').publish([event(0)]), (error) => {
      assert.ok(error instanceof ServiceUnavailable);
      assert.equal(error.cause, sdkError);
      assert.doesNotMatch(error.message, /throttled/);
      return true;
    });
  });
});
