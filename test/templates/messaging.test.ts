/**
 * Auditor: events and notifications (DESIGN.md §4). One rule per detail type targets the
 * fan-out; every async hop has a DLQ; topics and queues are TLS-only; the verification queue
 * admits only the two topics; subscriptions filter on message attributes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allStatements,
  asArray,
  type Json,
  references,
  resource,
  resourcesOf,
} from '../helpers/templates.ts';

const DETAIL_TYPES = ['BookingConfirmed', 'CheckInCompleted', 'PickupCompleted'];

/** Resource policy statements denying requests without TLS, by the resources they cover. */
function tlsDenials(): Array<{ covered: string[] }> {
  return allStatements()
    .filter((s) => s.kind === 'resource' && s.effect === 'Deny')
    .filter(
      (s) => JSON.stringify(s.condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
    )
    .map((s) => ({ covered: [...new Set(s.resources.flatMap(references))], file: s.file }));
}

describe('EventBridge', () => {
  const rules = resourcesOf('AWS::Events::Rule').filter((r) => r.file === 'template.yaml');

  it('has one rule per detail type on the custom bus, source venue.hub', () => {
    const types = rules.map((r) =>
      asArray(((r.props.EventPattern as Json)['detail-type'] ?? []) as string[]),
    );
    assert.deepEqual(types.flat().sort(), [...DETAIL_TYPES].sort());
    for (const rule of rules) {
      assert.deepEqual((rule.props.EventPattern as Json).source, ['venue.hub']);
      assert.deepEqual(references(rule.props.EventBusName), ['EventBus']);
      assert.equal(asArray(rule.props.Targets as Json[]).length, 1);
    }
  });

  it('targets the fan-out alias with retries and a DLQ, and may invoke nothing else', () => {
    for (const rule of rules) {
      const [target] = rule.props.Targets as Json[];
      assert.deepEqual(references(target!.Arn), ['NotificationFanoutFunction']);
      assert.ok(Number((target!.RetryPolicy as Json).MaximumRetryAttempts) > 0);
      const [dlq] = references((target!.DeadLetterConfig as Json).Arn);
      assert.equal(resource('template.yaml', dlq!).resource.Type, 'AWS::SQS::Queue');
    }
    const permissions = resourcesOf('AWS::Lambda::Permission').filter(
      (p) => p.props.Principal === 'events.amazonaws.com',
    );
    assert.deepEqual(
      permissions.map((p) => references(p.props.SourceArn)[0]).sort(),
      rules.map((r) => r.id).sort(),
    );
  });

  it('archives every venue event for replay, and the bus has a DLQ', () => {
    const archive = resource('template.yaml', 'EventArchive').props;
    assert.deepEqual(references(archive.SourceArn), ['EventBus']);
    assert.ok(Number(archive.RetentionDays) > 0);
    assert.ok(
      references((resource('template.yaml', 'EventBus').props.DeadLetterConfig as Json).Arn).length === 1,
    );
  });
});

describe('async consumers', () => {
  it('the fan-out (invoked asynchronously) sends failures to an on-failure queue', () => {
    const config = resource('template.yaml', 'NotificationFanoutFunction').props.EventInvokeConfig as Json;
    const onFailure = (config.DestinationConfig as Json).OnFailure as Json;
    assert.equal(onFailure.Type, 'SQS');
    assert.deepEqual(references(onFailure.Destination), ['FanoutFailureQueue']);
  });

  it('every queue that is not a DLQ redrives to one, and every subscription has a DLQ', () => {
    const queues = resourcesOf('AWS::SQS::Queue');
    const dlqs = new Set(
      [
        ...queues.flatMap((q) =>
          references((q.props.RedrivePolicy as Json | undefined)?.deadLetterTargetArn),
        ),
        ...resourcesOf('AWS::SNS::Subscription').flatMap((s) =>
          references((s.props.RedrivePolicy as Json).deadLetterTargetArn),
        ),
        ...resourcesOf('AWS::Events::Rule').flatMap((r) =>
          asArray(r.props.Targets as Json[]).flatMap((t) =>
            references((t.DeadLetterConfig as Json | undefined)?.Arn),
          ),
        ),
        'FanoutFailureQueue',
      ].filter(Boolean),
    );
    for (const queue of queues) {
      if (dlqs.has(queue.id)) continue;
      assert.ok(queue.props.RedrivePolicy, `${queue.id} has no DLQ`);
    }
    for (const sub of resourcesOf('AWS::SNS::Subscription')) assert.ok(sub.props.RedrivePolicy, sub.id);
  });
});

describe('SNS and the verification queue', () => {
  it('has the two topics, each subscribed by the verification queue with a filter policy', () => {
    const subs = resourcesOf('AWS::SNS::Subscription');
    assert.deepEqual(subs.map((s) => references(s.props.TopicArn)[0]).sort(), [
      'OperatorAlertsTopic',
      'ShopperNotificationsTopic',
    ]);
    for (const sub of subs) {
      assert.equal(sub.props.Protocol, 'sqs');
      assert.deepEqual(references(sub.props.Endpoint), ['VerificationQueue']);
      assert.equal(sub.props.FilterPolicyScope, 'MessageAttributes');
      const filter = sub.props.FilterPolicy as Json;
      for (const attribute of ['eventType', 'venueId', 'channel'])
        assert.ok(filter[attribute], `${sub.id} ${attribute}`);
    }
  });

  it('admits only the two topics into the verification queues', () => {
    const policy = resource('template.yaml', 'VerificationQueuesPolicy').props.PolicyDocument as Json;
    const allow = asArray(policy.Statement as Json[]).filter((s) => s.Effect === 'Allow');
    assert.equal(allow.length, 1);
    assert.deepEqual(allow[0]!.Principal, { Service: 'sns.amazonaws.com' });
    assert.deepEqual(references(allow[0]!.Condition).sort(), [
      'OperatorAlertsTopic',
      'ShopperNotificationsTopic',
    ]);
  });

  it('lets only the fan-out publish to the topics', () => {
    const policy = resource('template.yaml', 'TopicsPolicy').props.PolicyDocument as Json;
    const only = asArray(policy.Statement as Json[]).find((s) => s.Sid === 'OnlyTheFanoutPublishes')!;
    assert.equal(only.Effect, 'Deny');
    assert.deepEqual(references(only.Condition), ['NotificationFanoutRole']);
  });
});

describe('TLS-only policies', () => {
  const denials = tlsDenials();
  const covered = (id: string) => denials.some((d) => d.covered.includes(id));

  for (const type of ['AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::SNS::Topic']) {
    it(`every ${type} denies requests without TLS`, () => {
      const found = resourcesOf(type);
      assert.ok(found.length > 0);
      for (const r of found) assert.ok(covered(r.id), `${r.file}#${r.id} accepts plain HTTP`);
    });
  }
});
