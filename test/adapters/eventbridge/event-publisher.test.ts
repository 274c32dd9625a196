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

function fakeBus(
  answer: (
    input: PutEventsCommandInput,
  ) => { FailedEntryCount?: number; Entries?: { EventId?: string; ErrorCode?: string }[] } | Error,
) {
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
    // entry 3 of the first batch refused: the publish fails, the rest is still sent
    const { client, requests } = fakeBus((input) => ({
      FailedEntryCount: input.Entries?.length === 10 ? 1 : 0,
      Entries: (input.Entries ?? []).map((_, i) =>
        input.Entries?.length === 10 && i === 3 ? { ErrorCode: 'InternalFailure' } : { EventId: `e${i}` },
      ),
    }));
    const events = Array.from({ length: 12 }, (_, i) => event(i));
    await assert.rejects(new EventBridgePublisher(client, 'hub-bus').publish(events), (error) => {
      assert.ok(error instanceof ServiceUnavailable);
      assert.match(error.message, /rejected 1 of 12/);
      return true;
    });
    assert.equal(requests.length, 2);
    // an answer that does not say which entry failed: nothing is known, nothing more is sent
    const { client: vague, requests: asked } = fakeBus(() => ({ FailedEntryCount: 1 }));
    await assert.rejects(new EventBridgePublisher(vague, 'hub-bus').publish(events), /did not accept/);
    assert.equal(asked.length, 1);
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

  it('says per event what the bus answered, for the outbox sweep: accepted, refused, or not sent', async () => {
    const events = Array.from({ length: 23 }, (_, i) => event(i));
    const refusedId = events[12]!.detail.id;
    let call = 0;
    const { client } = fakeBus((input) => {
      call++;
      if (call === 3) return new Error('socket hang up'); // the bus stops answering
      return {
        FailedEntryCount: call === 2 ? 1 : 0,
        Entries: (input.Entries ?? []).map((entry) =>
          JSON.parse(entry.Detail ?? '{}').id === refusedId
            ? { ErrorCode: 'MalformedDetail' }
            : { EventId: 'e' },
        ),
      };
    });
    const outcome = await new EventBridgePublisher(client, 'hub-bus').publishEach(events);
    assert.deepEqual(
      outcome.accepted,
      events
        .slice(0, 20)
        .map((e) => e.detail.id)
        .filter((id) => id !== refusedId),
    );
    assert.deepEqual(outcome.refused, [{ id: refusedId, reason: 'MalformedDetail' }]);
    assert.ok(outcome.unreachable instanceof Error);
    // publish (the API's) still wants all or nothing
    const { client: partial } = fakeBus(() => ({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure' }],
    }));
    await assert.rejects(
      new EventBridgePublisher(partial, 'hub-bus').publish([event(0)]),
      ServiceUnavailable,
    );
  });
});
