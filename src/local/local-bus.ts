/**
 * The local EventBridge bus: the rules of template.yaml (event pattern + Lambda targets) applied
 * to every accepted event. A matching event invokes the target function's bundled handler with
 * the event as EventBridge delivers it; a failing invocation is retried with exponential
 * backoff, then parked in a local dead-letter list (`GET /local/dlq`), as the rule target's
 * retry policy and DLQ would do in AWS.
 */
import type { Logger } from '../observability/log.ts';
import { type CfnTemplate, refOf, resourcesOfType } from './cfn-template.ts';
import { type EventPattern, matchesPattern } from './event-pattern.ts';
import type { BusEvent } from './stand-ins/eventbridge.ts';

export interface BusRule {
  ruleId: string;
  pattern: EventPattern;
  /** logical ids of the functions the rule targets */
  functionIds: string[];
}

export interface DeadLetter {
  ruleId: string;
  functionId: string;
  event: BusEvent;
  error: string;
  attempts: number;
}

export type InvokeFunction = (functionId: string, event: BusEvent) => Promise<unknown>;

/**
 * The function a target ARN points at: `!GetAtt Fn.Arn`, `!Ref Fn` or an alias of it
 * (`!Ref FnAliaslive` / `Fn.Alias`, as SAM's AutoPublishAlias names it).
 */
function targetFunction(template: CfnTemplate, arn: unknown): string | undefined {
  const ref = refOf(arn);
  if (!ref) return undefined;
  const functions = ['AWS::Serverless::Function', 'AWS::Lambda::Function'].flatMap((type) =>
    resourcesOfType(template, type).map(([id]) => id),
  );
  if (functions.includes(ref)) return ref;
  return functions.find((id) => ref.startsWith(`${id}Alias`) || ref.startsWith(`${id}.`));
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
    const targets = Array.isArray(p.Targets) ? (p.Targets as Array<{ Arn?: unknown }>) : [];
    const functionIds = targets
      .map((t) => targetFunction(template, t.Arn))
      .filter((id): id is string => id !== undefined);
    rules.push({ ruleId, pattern: rawPattern as EventPattern, functionIds });
  }
  return rules;
}

export interface LocalBusOptions {
  /** attempts per target before the event goes to the dead-letter list */
  maxAttempts?: number;
  /** first retry delay; doubles per attempt */
  baseDelayMs?: number;
  logger?: Logger;
}

export class LocalBus {
  private readonly deadLetters: DeadLetter[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;

  constructor(
    private readonly rules: BusRule[],
    private readonly invoke: InvokeFunction,
    private readonly options: LocalBusOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 200;
  }

  /** Routes events to the targets of every matching rule, in the background. */
  put(events: BusEvent[]): void {
    for (const event of events) {
      for (const rule of this.rules) {
        if (!matchesPattern(rule.pattern, event)) continue;
        for (const functionId of rule.functionIds) this.track(this.deliver(rule.ruleId, functionId, event));
      }
    }
  }

  /** Events whose delivery failed every attempt. */
  dlq(): DeadLetter[] {
    return [...this.deadLetters];
  }

  /** Resolves when every delivery in progress has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async deliver(ruleId: string, functionId: string, event: BusEvent): Promise<void> {
    let lastError = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
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
        if (attempt < this.maxAttempts) {
          await new Promise((r) => setTimeout(r, this.baseDelayMs * 2 ** (attempt - 1)));
        }
      }
    }
    this.deadLetters.push({ ruleId, functionId, event, error: lastError, attempts: this.maxAttempts });
  }
}
