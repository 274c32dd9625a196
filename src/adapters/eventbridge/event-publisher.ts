/**
 * EventPublisher over EventBridge PutEvents: batches of at most 10 entries (the API's limit),
 * Source `venue.hub`, DetailType = the event type, Detail = the JSON of the detail. Anything
 * short of every entry accepted throws, so that the caller's outbox keeps the events and the
 * worker's sweep publishes them again (consumers de-duplicate by `detail.id`).
 */
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { ServiceUnavailable } from '../../domain/errors.ts';
import type { VenueEvent } from '../../domain/model.ts';
import type { EventPublisher } from '../../domain/ports.ts';

/** The `source` of every event the hub publishes; the bus rules match on it. */
export const EVENT_SOURCE = 'venue.hub';

/** PutEvents accepts at most 10 entries per call. */
export const MAX_BATCH = 10;

/** The part of EventBridgeClient the publisher uses (tests inject a fake `send`). */
export type EventBridgeSender = Pick<EventBridgeClient, 'send'>;

export class EventBridgePublisher implements EventPublisher {
  /**
   * @param client the EventBridge client (built once at module scope)
   * @param busName the custom bus (EVENT_BUS_NAME)
   */
  constructor(
    private readonly client: EventBridgeSender,
    private readonly busName: string,
  ) {}

  /**
   * Publishes all events or throws ServiceUnavailable. The correlation id already travels in
   * each detail; the argument is accepted for callers that publish on behalf of a request.
   */
  async publish(events: VenueEvent[], _correlationId?: string): Promise<void> {
    for (let start = 0; start < events.length; start += MAX_BATCH) {
      const entries = events.slice(start, start + MAX_BATCH).map((event) => this.entry(event));
      let failed: number;
      try {
        const result = await this.client.send(new PutEventsCommand({ Entries: entries }));
        failed = result.FailedEntryCount ?? 0;
      } catch (error) {
        throw new ServiceUnavailable('The event bus did not accept the events.', error);
      }
      if (failed > 0)
        throw new ServiceUnavailable(`The event bus rejected ${failed} of ${entries.length} events.`);
    }
  }

  private entry(event: VenueEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.busName,
      Source: EVENT_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
    };
  }
}
