/**
 * EventPublisher over EventBridge PutEvents: batches of at most 10 entries (the API's limit),
 * Source `venue.hub`, DetailType = the event type, Detail = the JSON of the detail. `publish`
 * throws for anything short of every entry accepted, so that the caller's outbox keeps the
 * events; the outbox sweep uses `publishEach`, which says per event what the bus answered,
 * so that one refused event does not hold up the others (consumers de-duplicate by `detail.id`).
 */
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { ServiceUnavailable } from '../../domain/errors.ts';
import type { VenueEvent } from '../../domain/model.ts';
import type { EventPublisher, EventSweepPublisher, PublishOutcome } from '../../domain/ports.ts';

/** The `source` of every event the hub publishes; the bus rules match on it. */
export const EVENT_SOURCE = 'venue.hub';

/** PutEvents accepts at most 10 entries per call. */
export const MAX_BATCH = 10;

/** The part of EventBridgeClient the publisher uses (tests inject a fake `send`). */
export type EventBridgeSender = Pick<EventBridgeClient, 'send'>;

export class EventBridgePublisher implements EventPublisher, EventSweepPublisher {
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
    const outcome = await this.publishEach(events);
    if (outcome.unreachable !== undefined)
      throw new ServiceUnavailable('The event bus did not accept the events.', outcome.unreachable);
    if (outcome.refused.length > 0)
      throw new ServiceUnavailable(
        `The event bus rejected ${outcome.refused.length} of ${events.length} events.`,
      );
  }

  /**
   * Batch by batch; PutEvents answers per entry, in the order sent. A batch whose call fails
   * stops the publish: that batch and the rest were not sent (some of the batch may have been:
   * consumers de-duplicate).
   */
  async publishEach(events: VenueEvent[]): Promise<PublishOutcome> {
    const outcome: PublishOutcome = { accepted: [], refused: [] };
    for (let start = 0; start < events.length; start += MAX_BATCH) {
      const batch = events.slice(start, start + MAX_BATCH);
      let answers: { ErrorCode?: string }[];
      try {
        const result = await this.client.send(
          new PutEventsCommand({ Entries: batch.map((event) => this.entry(event)) }),
        );
        answers = result.Entries ?? [];
        const failed = result.FailedEntryCount ?? 0;
        const refusals = answers.filter((answer) => answer.ErrorCode).length;
        // Nothing failed: all went. Otherwise the answer must say entry by entry what failed; one
        // that does not tells nothing for sure, and the batch counts as not sent (still pending,
        // tried again), never as refused or accepted.
        if (failed > 0 && (answers.length !== batch.length || refusals !== failed)) {
          throw new Error(
            `PutEvents answered ${answers.length} entries of ${batch.length}, ${failed} failed`,
          );
        }
      } catch (error) {
        outcome.unreachable = error;
        break;
      }
      batch.forEach((event, i) => {
        const code = answers[i]?.ErrorCode;
        if (code) outcome.refused.push({ id: event.detail.id, reason: code });
        else outcome.accepted.push(event.detail.id);
      });
    }
    return outcome;
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
