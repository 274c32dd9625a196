/**
 * The fan-out against template.yaml as deployed: every event the publisher sends matches a
 * rule that targets notification-fanout, and every message the fan-out publishes (through the
 * real SnsNotifier request) passes a filter policy of a verification-queue subscription on its
 * topic. Catches a renamed attribute or detail type on either side.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { PublishCommand, type PublishCommandInput } from '@aws-sdk/client-sns';
import {
  EventBridgePublisher,
  type EventBridgeSender,
} from '../../src/adapters/eventbridge/event-publisher.ts';
import { SnsNotifier, type SnsSender } from '../../src/adapters/sns/notifier.ts';
import { DEFAULT_PREFERENCES, type VenueEvent } from '../../src/domain/model.ts';
import { createNotificationFanout } from '../../src/fanout/notification-fanout.ts';
import { type CfnResource, loadTemplate, resourcesOfType } from '../../src/local/cfn-template.ts';
import { matchesPattern } from '../../src/local/event-pattern.ts';
import { type FilterPolicyScope, passesFilterPolicy } from '../../src/local/filter-policy.ts';
import { SAMPLE_NAMES, sampleEvent } from '../helpers/sample-events.ts';
import { harness } from './fakes.ts';

const template = loadTemplate(join(import.meta.dirname, '../../template.yaml'));
const props = (resource: CfnResource) => (resource.Properties ?? {}) as Record<string, unknown>;
const refOf = (value: unknown) => (value as { Ref?: string } | undefined)?.Ref;
const getAttOf = (value: unknown) => {
  const att = (value as { 'Fn::GetAtt'?: string | string[] } | undefined)?.['Fn::GetAtt'];
  return Array.isArray(att) ? att.join('.') : att;
};

describe('fan-out and template.yaml', () => {
  it('every published event matches a rule whose target is notification-fanout', async () => {
    const requests: PutEventsCommandInput[] = [];
    const client = {
      async send(command: unknown) {
        assert.ok(command instanceof PutEventsCommand);
        requests.push(command.input);
        return { FailedEntryCount: 0 };
      },
    } as unknown as EventBridgeSender;
    const events: VenueEvent[] = SAMPLE_NAMES.map((name) => {
      const sample = sampleEvent(name);
      return { detailType: sample['detail-type'] as VenueEvent['detailType'], detail: sample.detail };
    });
    await new EventBridgePublisher(client, 'bus').publish(events);

    const fanoutRules = resourcesOfType(template, 'AWS::Events::Rule').filter(([, rule]) =>
      ((props(rule).Targets as { Arn: unknown }[]) ?? []).some((t) =>
        String(refOf(t.Arn) ?? getAttOf(t.Arn)).startsWith('NotificationFanoutFunction'),
      ),
    );
    assert.equal(fanoutRules.length, 3);
    for (const entry of requests.flatMap((r) => r.Entries ?? [])) {
      const envelope = {
        source: entry.Source,
        'detail-type': entry.DetailType,
        detail: JSON.parse(entry.Detail ?? ''),
      };
      const matching = fanoutRules.filter(([, rule]) =>
        matchesPattern(props(rule).EventPattern as Record<string, unknown>, envelope),
      );
      assert.equal(matching.length, 1, `${entry.DetailType} matches exactly one fan-out rule`);
    }
  });

  it('every shopper message and operator alert reaches the verification queue through a filter policy', async () => {
    const h = harness('2026-12-07T15:55:03.000Z');
    const booking = sampleEvent('booking-confirmed').detail;
    h.preferences.set(booking.userId, {
      ...DEFAULT_PREFERENCES,
      channels: { email: true, sms: true },
      phone: '+12125550100',
    });
    h.catalog.set(String(booking.eventId), {
      eventId: String(booking.eventId),
      venueId: 'flagship-001',
      kind: 'event',
      title: 'Workshop',
      status: 'published',
      capacity: 10,
      booked: 10,
      remaining: 0,
      createdAt: booking.occurredAt,
      updatedAt: booking.occurredAt,
    });
    for (let i = 0; i < 40; i += 1)
      h.tickets.push({
        ticketId: randomUUID(),
        venueId: 'flagship-001',
        userId: `u${i}`,
        serviceKind: 'pickup',
        partySize: 1,
        accessibility: false,
        status: 'waiting',
        joinedAt: booking.occurredAt,
        version: 1,
      });
    const requests: PublishCommandInput[] = [];
    const sns = {
      async send(command: unknown) {
        assert.ok(command instanceof PublishCommand);
        requests.push(command.input);
        return {};
      },
    } as unknown as SnsSender;
    h.deps.notifier = new SnsNotifier(sns, {
      shopper: 'ShopperNotificationsTopic',
      operator: 'OperatorAlertsTopic',
    });
    const fanOut = createNotificationFanout(h.deps);
    for (const name of SAMPLE_NAMES) {
      const sample = sampleEvent(name);
      await fanOut(sample['detail-type'], sample.detail);
    }
    const channels = requests.map((r) => `${r.TopicArn}/${r.MessageAttributes?.channel?.StringValue}`);
    assert.ok(channels.includes('ShopperNotificationsTopic/email'));
    assert.ok(channels.includes('ShopperNotificationsTopic/sms'));
    assert.equal(
      channels.filter((c) => c === 'OperatorAlertsTopic/operator').length,
      2,
      'capacity and wait alerts',
    );

    const toQueue = resourcesOfType(template, 'AWS::SNS::Subscription').filter(
      ([, s]) => getAttOf(props(s).Endpoint) === 'VerificationQueue.Arn',
    );
    for (const request of requests) {
      const passes = toQueue.some(
        ([, s]) =>
          refOf(props(s).TopicArn) === request.TopicArn &&
          passesFilterPolicy(
            props(s).FilterPolicy as Record<string, unknown> | undefined,
            (props(s).FilterPolicyScope as FilterPolicyScope | undefined) ?? 'MessageAttributes',
            {
              body: request.Message ?? '',
              attributes: Object.fromEntries(
                Object.entries(request.MessageAttributes ?? {}).map(([k, v]) => [
                  k,
                  { DataType: v.DataType ?? 'String', StringValue: v.StringValue },
                ]),
              ),
            },
          ),
      );
      assert.ok(passes, `${request.TopicArn} ${JSON.stringify(request.MessageAttributes)} reaches the queue`);
    }
  });
});
