/**
 * Auditor: events and notifications (DESIGN.md §4). One rule per detail type targets the
 * fan-out; a schedule runs the outbox sweeper every minute (ADR 0311); every async hop has a
 * DLQ; topics and queues are TLS-only; the verification queue admits only the two topics;
 * subscriptions filter on message attributes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allStatements,
  asArray,
  flatActions,
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
  const all = resourcesOf('AWS::Events::Rule').filter((r) => r.file === 'template.yaml');
  const rules = all.filter((r) => r.props.ScheduleExpression === undefined);
  const schedules = all.filter((r) => r.props.ScheduleExpression !== undefined);

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
      all.map((r) => r.id).sort(),
    );
    for (const permission of permissions) {
      const [rule] = references(permission.props.SourceArn);
      const [target] = (resource('template.yaml', rule!).props.Targets as Json[]) ?? [];
      assert.deepEqual(references(permission.props.FunctionName), references(target!.Arn), permission.id);
    }
  });

  it('runs the outbox sweeper every minute, on the default bus, with the hop’s DLQ', () => {
    assert.deepEqual(
      schedules.map((r) => [r.id, r.props.ScheduleExpression, r.props.State]),
      [['OutboxSweepSchedule', 'rate(1 minute)', 'ENABLED']],
    );
    const schedule = schedules[0]!.props;
    assert.equal(schedule.EventBusName, undefined, 'schedules run on the default bus only');
    const [target] = schedule.Targets as Json[];
    assert.deepEqual(references(target!.Arn), ['OutboxSweeperFunction']);
    assert.match(JSON.stringify(target!.Arn), /Alias/, 'the alias, so that canaries cover the sweeps');
    assert.deepEqual(references((target!.DeadLetterConfig as Json).Arn), ['OutboxSweepFailureQueue']);
    // only this schedule may drop its undelivered events into that queue
    const policy = resource('template.yaml', 'OutboxSweepFailureQueuePolicy').props.PolicyDocument as Json;
    const allow = asArray(policy.Statement as Json[]).filter((s) => s.Effect === 'Allow');
    assert.deepEqual(
      allow.map((s) => [s.Principal, references(s.Condition)]),
      [[{ Service: 'events.amazonaws.com' }, ['OutboxSweepSchedule']]],
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
  for (const [id, queue] of [
    ['NotificationFanoutFunction', 'FanoutFailureQueue'],
    ['OutboxSweeperFunction', 'OutboxSweepFailureQueue'],
  ] as const) {
    it(`${id} (invoked asynchronously) sends failures to an on-failure queue its role may write`, () => {
      const fn = resource('template.yaml', id).props;
      const config = fn.EventInvokeConfig as Json;
      const onFailure = (config.DestinationConfig as Json).OnFailure as Json;
      assert.equal(onFailure.Type, 'SQS');
      assert.deepEqual(references(onFailure.Destination), [queue]);
      const [role] = references(fn.Role);
      const send = allStatements().filter(
        (s) => s.owner === role && s.effect === 'Allow' && flatActions(s).includes('sqs:SendMessage'),
      );
      assert.deepEqual(
        send.flatMap((s) => s.resources.flatMap(references)),
        [queue],
      );
    });
  }

  it('the sweeper is not retried by Lambda: the next scheduled sweep redoes its work', () => {
    const config = resource('template.yaml', 'OutboxSweeperFunction').props.EventInvokeConfig as Json;
    assert.equal(config.MaximumRetryAttempts, 0);
    assert.equal(config.MaximumEventAgeInSeconds, 60);
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
