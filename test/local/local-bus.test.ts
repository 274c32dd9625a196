/**
 * The local bus follows each rule target's retry policy in template.yaml: as many attempts, and
 * for as long, as EventBridge would make them, so a fan-out that left a delivery lease behind
 * is retried after the lease ran out instead of landing in the local DLQ within a second.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTemplate, parseTemplate } from '../../src/local/cfn-template.ts';
import { LocalBus, readBusRules } from '../../src/local/local-bus.ts';
import type { BusEvent } from '../../src/local/stand-ins/eventbridge.ts';
import { ROOT_TEMPLATE } from '../../src/local/venue-rules.ts';

const event: BusEvent = {
  version: '0',
  id: 'e1',
  'detail-type': 'BookingConfirmed',
  source: 'venue.hub',
  account: '123456789012',
  time: '2026-12-01T10:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { venueId: 'v' },
};

function template(retryPolicy: string): ReturnType<typeof parseTemplate> {
  return parseTemplate(`
Resources:
  Bus:
    Type: AWS::Events::EventBus
  Fanout:
    Type: AWS::Serverless::Function
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref Bus
      EventPattern: { source: [venue.hub] }
      Targets:
        - Id: fanout
          Arn: !GetAtt Fanout.Arn
          ${retryPolicy}
`);
}

/** A target that fails `failures` times, recording when each attempt came. */
function flaky(failures: number) {
  const at: number[] = [];
  return {
    at,
    invoke: async () => {
      at.push(Date.now());
      if (at.length <= failures) throw new Error('lease held');
    },
  };
}

/** A bus over a one-rule template with `retryPolicy`, to a target that fails `failures` times. */
function busTo(retryPolicy: string, failures: number, baseDelayMs: number) {
  const target = flaky(failures);
  const bus = new LocalBus(readBusRules(template(retryPolicy), 'Bus'), target.invoke, { baseDelayMs });
  bus.put([event]);
  return { target, bus };
}

describe('local bus retry policy (read from the template)', () => {
  it("reads template.yaml's targets: 24 retries over at most a day, as the fan-out rules set them", () => {
    const rules = readBusRules(loadTemplate(ROOT_TEMPLATE));
    assert.ok(rules.length >= 3);
    for (const rule of rules) {
      assert.deepEqual(rule.targets, [
        { functionId: 'NotificationFanoutFunction', retries: 24, maxEventAgeMs: 86_400_000 },
      ]);
    }
  });

  it("takes EventBridge's defaults for a target without a retry policy", () => {
    const [rule] = readBusRules(template(''), 'Bus');
    assert.deepEqual(rule?.targets, [{ functionId: 'Fanout', retries: 185, maxEventAgeMs: 86_400_000 }]);
  });

  it('keeps retrying past the first seconds, with doubling delays, until the target takes it', async () => {
    const { target, bus } = busTo('RetryPolicy: { MaximumRetryAttempts: 8 }', 5, 5);
    await bus.idle();
    assert.equal(target.at.length, 6);
    assert.deepEqual(bus.dlq(), []);
    const gaps = target.at.slice(1).map((t, i) => t - target.at[i]!);
    // 5, 10, 20, 40, 80 ms: the fifth wait alone is longer than the first four together
    assert.ok(gaps[4]! >= 70, gaps.join());
  });

  it('parks the event once the policy allows no more attempts', async () => {
    const { target, bus } = busTo('RetryPolicy: { MaximumRetryAttempts: 2 }', 99, 1);
    await bus.idle();
    assert.equal(target.at.length, 3);
    assert.deepEqual(
      bus.dlq().map((d) => [d.functionId, d.attempts, d.error]),
      [['Fanout', 3, 'Error: lease held']],
    );
  });

  it('counts the maximum event age from the event’s arrival on the bus, not from its first attempt', async () => {
    // the event reached the bus 900 ms before this delivery began: with a one-second age, a
    // retry 300 ms after the first attempt would come after it, so there is none
    const target = flaky(99);
    const rules = readBusRules(
      template('RetryPolicy: { MaximumRetryAttempts: 50, MaximumEventAgeInSeconds: 1 }'),
      'Bus',
    );
    const bus = new LocalBus(rules, target.invoke, { baseDelayMs: 300 });
    bus.put([event], Date.now() - 900);
    await bus.idle();
    assert.equal(target.at.length, 1);
    assert.equal(bus.dlq()[0]?.attempts, 1);
  });

  it('gives up when the next retry would come after the maximum event age', async () => {
    // 300, 600 ms: the third delay (1.2 s) would pass the one-second age
    const { target, bus } = busTo(
      'RetryPolicy: { MaximumRetryAttempts: 50, MaximumEventAgeInSeconds: 1 }',
      99,
      300,
    );
    await bus.idle();
    assert.equal(target.at.length, 3);
    assert.equal(bus.dlq()[0]?.attempts, 3);
  });
});

describe('local bus shutdown', () => {
  it('ends retries that are waiting when it stops, without delivering them', async () => {
    const { target, bus } = busTo('RetryPolicy: { MaximumRetryAttempts: 5 }', 99, 60_000);
    await new Promise((r) => setImmediate(r));
    assert.equal(target.at.length, 1);
    bus.stop();
    await bus.idle(); // resolves at once: no minute-long wait holds the hub
    assert.equal(target.at.length, 1);
    bus.put([event]);
    await bus.idle();
    assert.equal(target.at.length, 2, 'a stopped bus still makes first attempts, never retries');
  });
});

describe('local bus close (the hub stopping)', () => {
  it('ends the waiting retries at once rather than after the grace', async () => {
    const { target, bus } = busTo('RetryPolicy: { MaximumRetryAttempts: 5 }', 99, 60_000);
    await new Promise((r) => setImmediate(r));
    const started = Date.now();
    await bus.close(3000);
    assert.ok(Date.now() - started < 1000, `closed after ${Date.now() - started} ms`);
    assert.equal(target.at.length, 1);
  });

  it('gives an invocation in progress the grace to finish', async () => {
    let finished = false;
    const rules = readBusRules(template(''), 'Bus');
    const bus = new LocalBus(rules, async () => {
      await new Promise((r) => setTimeout(r, 200));
      finished = true;
    });
    bus.put([event]);
    await bus.close(3000);
    assert.equal(finished, true);
  });

  it('gives up on an invocation that outlasts the grace', async () => {
    const rules = readBusRules(template(''), 'Bus');
    let release: () => void = () => undefined;
    const bus = new LocalBus(rules, () => new Promise<void>((r) => (release = r)));
    bus.put([event]);
    const started = Date.now();
    await bus.close(100);
    assert.ok(Date.now() - started < 1000);
    release();
  });
});

describe('local bus retry policy that is not a number', () => {
  it('refuses a template whose retry policy the hub cannot read, rather than retrying forever', () => {
    assert.throws(
      () =>
        readBusRules(
          template('RetryPolicy: { MaximumRetryAttempts: !Ref Retries, MaximumEventAgeInSeconds: 60 }'),
          'Bus',
        ),
      /Rule: target fanout: RetryPolicy.MaximumRetryAttempts must be a number/,
    );
    assert.throws(
      () => readBusRules(template('RetryPolicy: { MaximumEventAgeInSeconds: "a day" }'), 'Bus'),
      /MaximumEventAgeInSeconds must be a number/,
    );
  });
});
