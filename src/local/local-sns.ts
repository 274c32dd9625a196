/**
 * The local SNS: the topics of template.yaml and their SQS subscriptions. A publish is
 * delivered to every subscription whose filter policy passes, into the local verification
 * queue (`GET /local/outbox`). Topics are named by their logical id in the outbox.
 */
import { type CfnTemplate, refOf, resourcesOfType } from './cfn-template.ts';
import { type FilterPolicyScope, type MessageAttribute, passesFilterPolicy } from './filter-policy.ts';
import type { PublishInput } from './stand-ins/sns.ts';

export interface LocalTopic {
  logicalId: string;
  arn: string;
}

export interface LocalSubscription {
  logicalId: string;
  topicId: string;
  queueId: string;
  filterPolicy?: Record<string, unknown>;
  scope: FilterPolicyScope;
}

/** One message in the verification queue, as `GET /local/outbox` lists it. */
export interface OutboxMessage {
  /** logical id of the topic in template.yaml */
  topic: string;
  /** message attributes by name (their string values) */
  attributes: Record<string, string>;
  /** the message: parsed JSON when it is JSON, else the text */
  body: unknown;
  /** the queue it landed in (logical id) */
  queue: string;
  subject?: string;
  receivedAt: string;
}

/** The ARN the hub gives a topic: its TopicName when the template fixes one, else its logical id. */
export function topicArn(logicalId: string, topicName: unknown, region: string, account: string): string {
  const name = typeof topicName === 'string' ? topicName : logicalId;
  return `arn:aws:sns:${region}:${account}:${name}`;
}

export function readTopics(template: CfnTemplate, region: string, account: string): LocalTopic[] {
  return resourcesOfType(template, 'AWS::SNS::Topic').map(([logicalId, r]) => ({
    logicalId,
    arn: topicArn(logicalId, r.Properties?.TopicName, region, account),
  }));
}

/** SQS subscriptions (AWS::SNS::Subscription with `Protocol: sqs`) with their filter policies. */
export function readSubscriptions(template: CfnTemplate): LocalSubscription[] {
  const subscriptions: LocalSubscription[] = [];
  for (const [logicalId, r] of resourcesOfType(template, 'AWS::SNS::Subscription')) {
    const p = r.Properties ?? {};
    if (p.Protocol !== 'sqs') continue;
    const topicId = refOf(p.TopicArn);
    const queueId = refOf(p.Endpoint);
    if (!topicId || !queueId) continue;
    const policy = typeof p.FilterPolicy === 'string' ? JSON.parse(p.FilterPolicy) : p.FilterPolicy;
    subscriptions.push({
      logicalId,
      topicId,
      queueId,
      ...(policy && typeof policy === 'object' ? { filterPolicy: policy as Record<string, unknown> } : {}),
      scope: p.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
    });
  }
  return subscriptions;
}

function attributeStrings(attributes: Record<string, MessageAttribute>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(attributes)
      .filter(([, a]) => a.StringValue !== undefined)
      .map(([name, a]) => [name, a.StringValue as string]),
  );
}

function parseBody(message: string): unknown {
  try {
    return JSON.parse(message);
  } catch {
    return message;
  }
}

export class LocalSns {
  private readonly messages: OutboxMessage[] = [];

  constructor(
    private readonly topics: LocalTopic[],
    private readonly subscriptions: LocalSubscription[],
    private readonly capacity = 10_000,
  ) {}

  arnOf(logicalId: string): string | undefined {
    return this.topics.find((t) => t.logicalId === logicalId)?.arn;
  }

  /** Delivers a publish through the filter policies; false for an unknown topic. */
  publish(input: PublishInput): boolean {
    const topic = this.topics.find((t) => t.arn === input.topicArn);
    if (!topic) return false;
    for (const subscription of this.subscriptions) {
      if (subscription.topicId !== topic.logicalId) continue;
      const passes = passesFilterPolicy(subscription.filterPolicy, subscription.scope, {
        body: input.message,
        attributes: input.attributes,
      });
      if (!passes) continue;
      this.messages.push({
        topic: topic.logicalId,
        attributes: attributeStrings(input.attributes),
        body: parseBody(input.message),
        queue: subscription.queueId,
        ...(input.subject === undefined ? {} : { subject: input.subject }),
        receivedAt: new Date().toISOString(),
      });
      // A bounded queue: the oldest messages go first, like an SQS retention period.
      if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
    }
    return true;
  }

  outbox(): OutboxMessage[] {
    return [...this.messages];
  }

  clear(): void {
    this.messages.length = 0;
  }
}
