/**
 * One benchmark run: a scenario, a policy and a seed in; the figures of the day out, in the
 * shape `npm run bench:queue -- --json` prints.
 */
import { drawTickets } from './arrivals.ts';
import { runDay } from './engine.ts';
import { weightedWaitLowerBound } from './lower-bound.ts';
import { type DayFigures, dayFigures, quantile } from './metrics.ts';
import { fifoPolicy } from './policies/fifo.ts';
import { jsqPolicy } from './policies/jsq.ts';
import { optimizerPolicy } from './policies/optimizer.ts';
import type { Scenario } from './scenario.ts';

export const POLICIES = ['fifo', 'jsq', 'optimizer'] as const;
export type PolicyName = (typeof POLICIES)[number];

export interface RunResult extends DayFigures {
  policy: PolicyName;
  scenario: string;
  seed: number;
  lowerBoundWeightedWaitMin: number;
  replanP50Ms: number;
  replanP99Ms: number;
  replans: number;
}

function policyOf(name: PolicyName) {
  if (name === 'fifo') return fifoPolicy();
  if (name === 'jsq') return jsqPolicy();
  return optimizerPolicy();
}

export function isPolicyName(value: string): value is PolicyName {
  return (POLICIES as readonly string[]).includes(value);
}

/** Simulates the scenario's day under one policy with one seed. */
export function simulate(scenario: Scenario, policyName: PolicyName, seed: number): RunResult {
  const tickets = drawTickets(scenario, seed);
  const policy = policyOf(policyName);
  const records = runDay(scenario, tickets, policy);
  const figures = dayFigures(records);
  return {
    policy: policyName,
    scenario: scenario.name,
    seed,
    ...figures,
    lowerBoundWeightedWaitMin: weightedWaitLowerBound(scenario, tickets),
    replanP50Ms: quantile(policy.replanMs, 0.5),
    replanP99Ms: quantile(policy.replanMs, 0.99),
    replans: policy.replanMs.length,
  };
}
