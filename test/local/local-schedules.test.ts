/**
 * The hub runs the schedule rules of template.yaml as EventBridge runs them: a `rate(...)`
 * read from the template (anything else refused, clearly), a `Scheduled Event` shaped like the
 * sample of events/eventbridge/scheduled.json to each Lambda target, through the local bus
 * with the target's retry policy, one delivery at a time, until the hub stops; and, for tests,
 * at a shorter period than the rate when asked.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { loadTemplate, parseTemplate } from '../../src/local/cfn-template.ts';
import { LOCAL_PARAMETERS } from '../../src/local/hub-env.ts';
import { LocalBus, readBusRules } from '../../src/local/local-bus.ts';
import {
  LocalScheduler,
  ratePeriodMs,
  readScheduleRules,
  scheduledEvent,
} from '../../src/local/local-schedules.ts';
import type { BusEvent } from '../../src/local/stand-ins/eventbridge.ts';
import { ROOT_TEMPLATE } from '../../src/local/venue-rules.ts';

function template(schedule: string, extra = ''): ReturnType<typeof parseTemplate> {
  return parseTemplate(`
Resources:
  Sweeper:
    Type: AWS::Serverless::Function
  Schedule:
    Type: AWS::Events::Rule
    Properties:
      Name: !Sub '\${AppName}-\${Stage}-sweep'
      ScheduleExpression: ${schedule}
      ${extra}
      Targets:
        - Id: sweeper
          Arn: !Ref SweeperAliaslive
          RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 }
`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('schedule expressions', () => {
  it('reads rate(...) in minutes, hours and days', () => {
    assert.equal(ratePeriodMs('rate(1 minute)'), 60_000);
    assert.equal(ratePeriodMs('rate(5 minutes)'), 300_000);
    assert.equal(ratePeriodMs('rate(2 hours)'), 7_200_000);
    assert.equal(ratePeriodMs('rate(1 day)'), 86_400_000);
  });

  it('refuses, saying why, what it cannot run or EventBridge would not take', () => {
    assert.throws(
      () => ratePeriodMs('cron(0/5 * * * ? *)', 'Nightly'),
      /Nightly: the local hub runs rate\(\.\.\.\) schedules only/,
    );
    for (const bad of ['rate(1 minutes)', 'rate(2 minute)', 'rate(0 minutes)'])
      assert.throws(() => ratePeriodMs(bad), /not a valid rate/, bad);
    for (const bad of ['rate(1 second)', 'every minute', 'rate(-1 minutes)'])
      assert.throws(() => ratePeriodMs(bad), /no schedule expression the local hub can read/, bad);
  });
});

describe('schedule rules of the template', () => {
  it("are template.yaml's outbox sweep: every minute, to the sweeper's alias, never retried", () => {
    const template = loadTemplate(ROOT_TEMPLATE);
    assert.deepEqual(readScheduleRules(template, LOCAL_PARAMETERS), [
      {
        ruleId: 'OutboxSweepSchedule',
        name: 'venue-hub-local-outbox-sweep',
        expression: 'rate(1 minute)',
        periodMs: 60_000,
        targets: [{ functionId: 'OutboxSweeperFunction', retries: 0, maxEventAgeMs: 60_000 }],
      },
    ]);
    // and the bus's rules leave it out: it matches no event, it runs on the clock
    assert.ok(readBusRules(template).every((r) => r.ruleId !== 'OutboxSweepSchedule'));
  });

  it('leave a disabled schedule out, and stop the hub at one it cannot read', () => {
    assert.deepEqual(readScheduleRules(template('rate(1 minute)', 'State: DISABLED'), LOCAL_PARAMETERS), []);
    assert.throws(
      () => readScheduleRules(template('cron(0 12 * * ? *)'), LOCAL_PARAMETERS),
      /Schedule: the local hub runs rate/,
    );
    assert.throws(
      () => readScheduleRules(template('!Ref Every'), LOCAL_PARAMETERS),
      /Schedule: ScheduleExpression must be a string/,
    );
  });

  it('send the event EventBridge sends a schedule’s targets (the shape of the sample event)', () => {
    const [rule] = readScheduleRules(template('rate(1 minute)'), LOCAL_PARAMETERS);
    const event = scheduledEvent(rule!, new Date('2026-12-05T15:01:00.250Z'), '123456789012', 'us-east-1');
    const sample = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '../../events/eventbridge/scheduled.json'), 'utf8'),
    );
    assert.deepEqual(Object.keys(event).sort(), Object.keys(sample).sort());
    assert.deepEqual(
      [event['detail-type'], event.source, event.time, event.resources, event.detail],
      [
        sample['detail-type'],
        sample.source,
        '2026-12-05T15:01:00Z',
        ['arn:aws:events:us-east-1:123456789012:rule/venue-hub-local-sweep'],
        {},
      ],
    );
  });
});

describe('the local scheduler', () => {
  const rules = readScheduleRules(template('rate(1 minute)'), LOCAL_PARAMETERS);
  const options = { account: '123456789012', region: 'us-east-1' };

  it('fires each schedule every period (here shortened from its minute) until stopped', async () => {
    const got: Array<[string, BusEvent]> = [];
    const bus = new LocalBus([], async (functionId, event) => {
      got.push([functionId, event]);
    });
    const scheduler = new LocalScheduler(rules, bus, { ...options, everyMs: 40 });
    scheduler.start();
    await sleep(400);
    scheduler.stop();
    await bus.idle();
    const fired = got.length;
    assert.ok(fired >= 3 && fired <= 10, `fired ${fired} times in 400 ms`);
    assert.ok(got.every(([id, e]) => id === 'Sweeper' && e['detail-type'] === 'Scheduled Event'));
    assert.equal(new Set(got.map(([, e]) => e.id)).size, fired, 'a new event each time');
    await sleep(100);
    assert.equal(got.length, fired, 'nothing after stop()');
  });

  it('keeps to its rate without the override', async () => {
    let calls = 0;
    const bus = new LocalBus([], async () => {
      calls += 1;
    });
    const scheduler = new LocalScheduler(rules, bus, options);
    scheduler.start();
    await sleep(150);
    scheduler.stop();
    assert.equal(calls, 0, 'a minute has not passed');
  });

  it('skips a period while the last delivery still runs, as one sweep at a time', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const bus = new LocalBus([], async () => {
      calls += 1;
      running += 1;
      most = Math.max(most, running);
      await sleep(120);
      running -= 1;
    });
    const scheduler = new LocalScheduler(rules, bus, { ...options, everyMs: 20 });
    scheduler.start();
    await sleep(300);
    scheduler.stop();
    await bus.idle();
    assert.equal(most, 1);
    assert.ok(calls >= 2 && calls <= 4, `${calls} deliveries`);
  });

  it('dead-letters a failed delivery by the target’s retry policy (none here: the next period redoes it)', async () => {
    let calls = 0;
    const bus = new LocalBus([], async () => {
      calls += 1;
      throw new Error('sweep failed');
    });
    const scheduler = new LocalScheduler(rules, bus, options);
    await scheduler.fire(rules[0]!);
    assert.equal(calls, 1);
    assert.deepEqual(
      bus.dlq().map((d) => [d.ruleId, d.functionId, d.attempts, d.error]),
      [['Schedule', 'Sweeper', 1, 'Error: sweep failed']],
    );
  });
});
