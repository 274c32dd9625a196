/**
 * The schedule rules of template.yaml (`AWS::Events::Rule` with a `ScheduleExpression`), run by
 * the hub as EventBridge runs them: every period, a `Scheduled Event` for each Lambda target,
 * delivered through the local bus with the target's retry policy (and its dead-letter list).
 * Only `rate(...)` expressions are run; a `cron(...)` or anything else the hub cannot read
 * stops it with a clear error rather than leaving a schedule silently unrun.
 *
 * `every` (the hub's `HUB_SCHEDULE_SECONDS`, docs/local-hub.md) runs every schedule at that
 * period instead, so that a test need not wait a real minute; the bundles see nothing of it.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/log.ts';
import { type CfnTemplate, resolveNames, resourcesOfType } from './cfn-template.ts';
import { type BusTarget, type LocalBus, readRuleTargets } from './local-bus.ts';
import type { BusEvent } from './stand-ins/eventbridge.ts';

/** A schedule rule of the template. */
export interface ScheduleRule {
  ruleId: string;
  /** the rule's name (its `Name`, resolved), as its ARN carries it */
  name: string;
  expression: string;
  /** the period of its `rate(...)` */
  periodMs: number;
  targets: BusTarget[];
}

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * The period of a `rate(value unit)` expression, by EventBridge's rules: a positive whole
 * value, the unit singular for 1 and plural otherwise. Throws, saying why, on anything else.
 */
export function ratePeriodMs(expression: string, ruleId = 'a schedule'): number {
  if (/^cron\(.*\)$/.test(expression))
    throw new Error(`${ruleId}: the local hub runs rate(...) schedules only, not ${expression}`);
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) throw new Error(`${ruleId}: "${expression}" is no schedule expression the local hub can read`);
  const value = Number(match[1]);
  const unit = match[2] as string;
  const singular = !unit.endsWith('s');
  if (value < 1 || singular !== (value === 1))
    throw new Error(`${ruleId}: "${expression}" is not a valid rate (rate(1 minute), rate(5 minutes), …)`);
  return value * UNIT_MS[unit.replace(/s$/, '') as keyof typeof UNIT_MS];
}

/** The enabled schedule rules of the template with their Lambda targets (names resolved against `parameters`). */
export function readScheduleRules(template: CfnTemplate, parameters: Record<string, string>): ScheduleRule[] {
  const rules: ScheduleRule[] = [];
  for (const [ruleId, resource] of resourcesOfType(template, 'AWS::Events::Rule')) {
    const p = resource.Properties ?? {};
    if (p.ScheduleExpression === undefined || p.State === 'DISABLED') continue;
    if (typeof p.ScheduleExpression !== 'string')
      throw new Error(
        `${ruleId}: ScheduleExpression must be a string (the local hub resolves no function here)`,
      );
    const name = resolveNames(p.Name, parameters);
    rules.push({
      ruleId,
      name: typeof name === 'string' ? name : ruleId,
      expression: p.ScheduleExpression,
      periodMs: ratePeriodMs(p.ScheduleExpression, ruleId),
      targets: readRuleTargets(template, ruleId, p),
    });
  }
  return rules;
}

export interface LocalSchedulerOptions {
  account: string;
  region: string;
  /** every schedule at this period instead of its own (HUB_SCHEDULE_SECONDS) */
  everyMs?: number;
  logger?: Logger;
}

/** The event EventBridge sends a schedule's targets. */
export function scheduledEvent(rule: ScheduleRule, at: Date, account: string, region: string): BusEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    // EventBridge stamps schedules to the second
    time: `${at.toISOString().slice(0, 19)}Z`,
    region,
    resources: [`arn:aws:events:${region}:${account}:rule/${rule.name}`],
    detail: {},
  };
}

/**
 * Fires each schedule every period, from `start()` until `stop()`. A period whose previous
 * delivery is still running (a sweep still at work, or its retries) is skipped: the deployed
 * functions run one at a time (reserved concurrency), and the next period makes it good.
 */
export class LocalScheduler {
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private readonly running = new Set<string>();

  constructor(
    readonly rules: ScheduleRule[],
    private readonly bus: LocalBus,
    private readonly options: LocalSchedulerOptions,
  ) {}

  start(): void {
    for (const rule of this.rules) {
      const periodMs = this.options.everyMs ?? rule.periodMs;
      this.options.logger?.info('schedule running', {
        ruleId: rule.ruleId,
        expression: rule.expression,
        everySeconds: periodMs / 1000,
        targets: rule.targets.map((t) => t.functionId),
      });
      this.timers.push(setInterval(() => void this.fire(rule), periodMs));
    }
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  /** One period of `rule`: its event to its targets; resolves when their deliveries ended. */
  async fire(rule: ScheduleRule): Promise<void> {
    if (this.running.has(rule.ruleId)) {
      this.options.logger?.debug('schedule skipped: its last delivery is still running', {
        ruleId: rule.ruleId,
      });
      return;
    }
    this.running.add(rule.ruleId);
    try {
      const now = new Date();
      const event = scheduledEvent(rule, now, this.options.account, this.options.region);
      await this.bus.deliverTo(rule.ruleId, rule.targets, event, now.getTime());
    } finally {
      this.running.delete(rule.ruleId);
    }
  }
}
