/**
 * EventBridge `PutEvents` stand-in, wire-compatible with the SDK's JSON 1.1 protocol
 * (`X-Amz-Target: AWSEvents.PutEvents`). Accepted entries are handed to the local bus; entries
 * the real service would refuse (no Source/DetailType, Detail not a JSON object, unknown bus)
 * come back as failed entries with EventBridge's error codes.
 */
import { randomUUID } from 'node:crypto';
import type { OutgoingResponse } from '../api-gateway-event.ts';

/** An event as the local bus receives it: the shape rules match and targets get. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
  Time?: unknown;
}

export interface EventBridgeStandInOptions {
  /** names (and ARNs) the local bus answers to */
  busNames: string[];
  account: string;
  region: string;
  deliver(events: BusEvent[]): void;
}

/** An error as AWS JSON 1.1 services send it (the SDKs map `__type` to their exception classes). */
export function awsJsonError(status: number, type: string, message: string): OutgoingResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type },
    body: Buffer.from(JSON.stringify({ __type: type, message })),
  };
}

/** Answers one JSON 1.1 request addressed to the EventBridge stand-in. */
export function handleEventBridge(
  target: string | undefined,
  body: Buffer,
  options: EventBridgeStandInOptions,
): OutgoingResponse {
  if (target !== 'AWSEvents.PutEvents') {
    return awsJsonError(
      400,
      'UnknownOperationException',
      `the local EventBridge serves PutEvents only, not ${target}`,
    );
  }
  let input: { Entries?: unknown };
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    return awsJsonError(400, 'SerializationException', 'the body is not valid JSON');
  }
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
    return awsJsonError(400, 'ValidationException', 'Entries must hold 1 to 10 entries');
  }
  const accepted: BusEvent[] = [];
  const results = entries.map((raw: PutEventsEntry) => {
    const bus = typeof raw.EventBusName === 'string' ? raw.EventBusName : 'default';
    if (!options.busNames.includes(bus)) {
      return { ErrorCode: 'NotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
    }
    if (
      typeof raw.Source !== 'string' ||
      raw.Source === '' ||
      typeof raw.DetailType !== 'string' ||
      raw.DetailType === ''
    ) {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter(s) Source and DetailType must be specified.',
      };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(typeof raw.Detail === 'string' ? raw.Detail : '');
    } catch {
      detail = undefined;
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': raw.DetailType,
      source: raw.Source,
      account: options.account,
      time: eventTime(raw.Time),
      region: options.region,
      resources: Array.isArray(raw.Resources) ? raw.Resources.map(String) : [],
      detail: detail as Record<string, unknown>,
    };
    accepted.push(event);
    return { EventId: event.id };
  });
  if (accepted.length > 0) options.deliver(accepted);
  const failed = results.filter((r) => 'ErrorCode' in r).length;
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
    body: Buffer.from(JSON.stringify({ FailedEntryCount: failed, Entries: results })),
  };
}

/** `Time` arrives as epoch seconds (the SDK's timestamp format); events carry ISO without millis. */
function eventTime(time: unknown): string {
  const date = typeof time === 'number' ? new Date(time * 1000) : new Date();
  return `${date.toISOString().slice(0, 19)}Z`;
}
