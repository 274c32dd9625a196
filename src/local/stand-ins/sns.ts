/**
 * SNS `Publish` stand-in, wire-compatible with the SDK's query protocol (form-encoded request,
 * XML response). Publishes go to the local SNS (subscriptions and filter policies from
 * template.yaml); other actions answer the query protocol's error document.
 */
import { randomUUID } from 'node:crypto';
import type { OutgoingResponse } from '../api-gateway-event.ts';
import type { MessageAttribute } from '../filter-policy.ts';

export interface PublishInput {
  topicArn: string;
  message: string;
  subject?: string;
  attributes: Record<string, MessageAttribute>;
}

export interface SnsStandInOptions {
  /** returns false for an unknown topic */
  publish(input: PublishInput): boolean;
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function xml(status: number, text: string): OutgoingResponse {
  return { status, headers: { 'content-type': 'text/xml' }, body: Buffer.from(text) };
}

function queryError(status: number, code: string, message: string): OutgoingResponse {
  return xml(
    status,
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(
      message,
    )}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

/** `MessageAttributes.entry.N.{Name,Value.DataType,Value.StringValue}` → attributes. */
export function parseMessageAttributes(form: URLSearchParams): Record<string, MessageAttribute> {
  const attributes: Record<string, MessageAttribute> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n += 1) {
    const prefix = `MessageAttributes.entry.${n}`;
    const name = form.get(`${prefix}.Name`) as string;
    const stringValue = form.get(`${prefix}.Value.StringValue`);
    attributes[name] = {
      DataType: form.get(`${prefix}.Value.DataType`) ?? 'String',
      ...(stringValue === null ? {} : { StringValue: stringValue }),
    };
  }
  return attributes;
}

/** Answers one query-protocol request addressed to the SNS stand-in. */
export function handleSns(body: Buffer, options: SnsStandInOptions): OutgoingResponse {
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('Action');
  if (action !== 'Publish') {
    return queryError(400, 'InvalidAction', `the local SNS serves Publish only, not ${action}`);
  }
  const topicArn = form.get('TopicArn') ?? form.get('TargetArn');
  const message = form.get('Message');
  if (!topicArn || message === null || message === '') {
    return queryError(400, 'InvalidParameter', 'TopicArn and a non-empty Message are required');
  }
  if (Buffer.byteLength(message) > 256 * 1024) {
    return queryError(400, 'InvalidParameter', 'Message too long');
  }
  const subject = form.get('Subject');
  const published = options.publish({
    topicArn,
    message,
    ...(subject === null ? {} : { subject }),
    attributes: parseMessageAttributes(form),
  });
  if (!published) return queryError(404, 'NotFound', 'Topic does not exist');
  return xml(
    200,
    `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
  );
}
