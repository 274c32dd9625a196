/**
 * The EventBridge publisher of the venue-api and the outbox sweeper, behind one function so that
 * the venue-api can load it on first use with a dynamic import (ADR 0910): a namespace import of
 * the client package itself would keep every command of it in the bundle, this module keeps
 * only PutEvents. The outbox sweeper imports it statically.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../adapters/eventbridge/event-publisher.ts';

/** The client (pointed at `endpoint` when set: the local hub) and the publisher over `busName`. */
export function createEventBridgePublisher(
  region: string,
  busName: string,
  endpoint?: string,
): EventBridgePublisher {
  return new EventBridgePublisher(
    new EventBridgeClient({ region, ...(endpoint ? { endpoint } : {}) }),
    busName,
  );
}
