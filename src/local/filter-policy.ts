/**
 * SNS subscription filter policies for the local verification queue. A filter policy uses the
 * same operators as an EventBridge pattern, so it is matched by `event-pattern.ts` against the
 * message attributes turned into an object (`String.Array` attributes become arrays, `Number`
 * attributes numbers), or against the JSON message body for `FilterPolicyScope: MessageBody`.
 */
import { matchesPattern } from './event-pattern.ts';

/** A message attribute as SNS Publish receives it. */
export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
}

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** The attributes as the values a filter policy is matched against. */
export function attributeValues(attributes: Record<string, MessageAttribute>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    const raw = attribute.StringValue;
    if (raw === undefined) continue; // Binary attributes are ignored by filter policies.
    if (attribute.DataType.startsWith('Number')) {
      const n = Number(raw);
      if (!Number.isNaN(n)) values[name] = n;
    } else if (attribute.DataType === 'String.Array') {
      try {
        const parsed: unknown = JSON.parse(raw);
        values[name] = Array.isArray(parsed) ? parsed : raw;
      } catch {
        values[name] = raw;
      }
    } else {
      values[name] = raw;
    }
  }
  return values;
}

/**
 * True when a published message passes the subscription's filter policy; a subscription
 * without a policy receives everything. A body that is not JSON never matches a body policy.
 */
export function passesFilterPolicy(
  policy: Record<string, unknown> | undefined,
  scope: FilterPolicyScope,
  message: { body: string; attributes: Record<string, MessageAttribute> },
): boolean {
  if (!policy || Object.keys(policy).length === 0) return true;
  if (scope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(message.body);
    } catch {
      return false;
    }
    return matchesPattern(policy, body);
  }
  return matchesPattern(policy, attributeValues(message.attributes));
}
