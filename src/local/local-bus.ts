/**
 * The local EventBridge bus: the rules of template.yaml (event pattern + Lambda targets) applied
 * to every accepted event. A matching event invokes the target function's bundled handler with
 * the event as EventBridge delivers it; a failing invocation is retried with exponential
 * backoff for as many attempts and as long as the target's `RetryPolicy` says, then parked in
 * a local dead-letter list (`GET /local/dlq`), as the rule target's DLQ would hold it in AWS.
 * The retries span minutes, like EventBridge's: a fan-out that left a delivery lease behind
 * (docs/decisions/0310) is retried after the lease has run out, not only within it. An event's
 * age is counted from its arrival on the bus, as EventBridge counts it, however long its
 * attempts take. The hub's schedules (local-schedules.ts) deliver through the same machinery.
 */
import type { Logger } from '../observability/log.ts';
import { type CfnTemplate, functionOf, refOf, resourcesOfType } from './cfn-template.ts';
import { type EventPattern, matchesPattern } from './event-pattern.ts';
import type { BusEvent } from './stand-ins/eventbridge.ts';

/** A Lambda target of a rule, with its retry policy. */
export interface BusTarget {
  /** logical id of the function */
  functionId: string;
  /** retries after the first attempt (`MaximumRetryAttempts`; EventBridge's default 185) */
  retries: number;
  /** no retry once the event is this old (`MaximumEventAgeInSeconds`; default 24 h) */
  maxEventAgeMs: number;
}

export interface BusRule {
  ruleId: string;
  pattern: EventPattern;
  targets: BusTarget[];
}

/** EventBridge's retry policy when a target sets none. */
const DEFAULT_RETRIES = 185;
const DEFAULT_MAX_EVENT_AGE_S = 86_400;

export interface DeadLetter {
  ruleId: string;
  functionId: string;
  event: BusEvent;
  error: string;
  attempts: number;
}

export type InvokeFunction = (functionId: string, event: BusEvent) => Promise<unknown>;

/**
 * A retry policy's setting as a number (CloudFormation takes `24` or `"24"`). Anything else, an
 * intrinsic function above all, stops the hub with a clear error: read as NaN it would have
 * made the bus retry a failing target until the hub stopped, and never dead-letter it.
 */
function policyNumber(raw: unknown, fallback: number, what: string): number {
  if (raw === undefined) return fallback;
  const value =
    typeof raw === 'number' || (typeof raw === 'string' && raw.trim() !== '') ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < 0)
    throw new Error(
      `template: ${what} must be a number of whole units (the local hub resolves no function here)`,
    );
  return value;
}

/** The Lambda targets of a rule (its `Properties`), each with its retry policy. */
export function readRuleTargets(
  template: CfnTemplate,
  ruleId: string,
  properties: Record<string, unknown>,
): BusTarget[] {
  const targets: BusTarget[] = [];
  const listed = Array.isArray(properties.Targets)
    ? (properties.Targets as Array<Record<string, unknown>>)
    : [];
  for (const target of listed) {
    const functionId = functionOf(template, target.Arn);
    if (functionId === undefined) continue;
    const policy = (target.RetryPolicy ?? {}) as Record<string, unknown>;
    const setting = (name: string, fallback: number) =>
      policyNumber(policy[name], fallback, `${ruleId}: target ${String(target.Id)}: RetryPolicy.${name}`);
    targets.push({
      functionId,
      retries: setting('MaximumRetryAttempts', DEFAULT_RETRIES),
      maxEventAgeMs: setting('MaximumEventAgeInSeconds', DEFAULT_MAX_EVENT_AGE_S) * 1000,
    });
  }
  return targets;
}

/** Reads the rules of the given bus (logical id) from the template. */
export function readBusRules(template: CfnTemplate, busId = 'EventBus'): BusRule[] {
  const rules: BusRule[] = [];
  for (const [ruleId, resource] of resourcesOfType(template, 'AWS::Events::Rule')) {
    const p = resource.Properties ?? {};
    const bus = refOf(p.EventBusName) ?? p.EventBusName;
    if (bus !== busId) continue;
    if (p.State === 'DISABLED') continue;
    const rawPattern = typeof p.EventPattern === 'string' ? JSON.parse(p.EventPattern) : p.EventPattern;
    if (!rawPattern || typeof rawPattern !== 'object') continue;
    rules.push({
      ruleId,
      pattern: rawPattern as EventPattern,
      targets: readRuleTargets(template, ruleId, p),
    });
  }
  return rules;
}

export interface LocalBusOptions {
  /** attempts per target before the event goes to the dead-letter list (default: its retry policy) */
  maxAttempts?: number;
  /** first retry delay; doubles per attempt (default 1 s) */
  baseDelayMs?: number;
  /** longest delay between two attempts (default 60 s) */
  maxDelayMs?: number;
  logger?: Logger;
}

export class LocalBus {
  private readonly deadLetters: DeadLetter[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly waits = new Map<ReturnType<typeof setTimeout>, (resumed: boolean) => void>();
  private stopped = false;

  constructor(
    private readonly rules: BusRule[],
    private readonly invoke: InvokeFunction,
    private readonly options: LocalBusOptions = {},
  ) {
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
  }

  /**
   * Routes events to the targets of every matching rule, in the background. `arrivedAt` (epoch
   * ms, default now) is when they reached the bus: their age, which ends their retries, counts
   * from it.
   */
  put(events: BusEvent[], arrivedAt = Date.now()): void {
    for (const event of events) {
      for (const rule of this.rules) {
        if (matchesPattern(rule.pattern, event)) this.deliverTo(rule.ruleId, rule.targets, event, arrivedAt);
      }
    }
  }

  /**
   * Delivers one event to the given targets (a schedule's: its rule has no pattern to match),
   * with their retry policies, in the background; resolves when every delivery has ended.
   */
  deliverTo(ruleId: string, targets: BusTarget[], event: BusEvent, arrivedAt = Date.now()): Promise<void> {
    const deliveries = targets.map((target) => this.deliver(ruleId, target, event, arrivedAt));
    for (const delivery of deliveries) this.track(delivery);
    return Promise.all(deliveries).then(() => undefined);
  }

  /** Events whose delivery failed every attempt. */
  dlq(): DeadLetter[] {
    return [...this.deadLetters];
  }

  /** Resolves when every delivery in progress has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Ends the retries that are waiting (their events are not delivered), so that a stopping
   * hub is not held for minutes by a target that keeps failing.
   */
  stop(): void {
    this.stopped = true;
    for (const [timer, resume] of this.waits) {
      clearTimeout(timer);
      resume(false);
    }
    this.waits.clear();
  }

  /**
   * Stops (the hub shutting down): ends the retries that are waiting at once, and gives the
   * invocations in progress up to `graceMs` to finish.
   */
  async close(graceMs: number): Promise<void> {
    this.stop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  /** Waits `ms` before a retry: true, or false if the bus stopped meanwhile. */
  private wait(ms: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waits.delete(timer);
        resolve(true);
      }, ms);
      this.waits.set(timer, resolve);
    });
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async deliver(
    ruleId: string,
    target: BusTarget,
    event: BusEvent,
    arrivedAt: number,
  ): Promise<void> {
    const { functionId } = target;
    const maxAttempts = this.options.maxAttempts ?? 1 + target.retries;
    // EventBridge's maximum event age runs from the event's arrival on the bus, not from this
    // target's first attempt
    const givenUpAt = arrivedAt + target.maxEventAgeMs;
    let lastError = '';
    let attempt = 1;
    for (; ; attempt += 1) {
      try {
        await this.invoke(functionId, event);
        return;
      } catch (error) {
        lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.options.logger?.warn('bus target failed', {
          ruleId,
          functionId,
          eventId: event.id,
          attempt,
          error: lastError,
        });
        const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
        if (attempt >= maxAttempts || Date.now() + delay > givenUpAt) break;
        if (!(await this.wait(delay))) return; // the hub is stopping
      }
    }
    this.deadLetters.push({ ruleId, functionId, event, error: lastError, attempts: attempt });
  }
}
