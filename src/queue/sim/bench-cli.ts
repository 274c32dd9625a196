/**
 * The command line of `npm run bench:queue` (parsing and output, kept apart from the
 * script so that tests can drive it):
 *
 *   --scenario NAME|FILE   a built-in scenario or a scenario JSON file (scenario.schema.json)
 *   --policy fifo|jsq|optimizer   (default optimizer)
 *   --seed N               (default 1)
 *   --json                 exactly one JSON object on stdout
 *   --list-scenarios       the built-in names, one a line
 *   --replan [--tickets N] [--lanes N]   the planner's speed on a large queue (JSON)
 */
import { existsSync } from 'node:fs';
import { runReplanBench } from './replan-bench.ts';
import { loadScenarioFile, type Scenario } from './scenario.ts';
import { builtInScenario, SCENARIO_NAMES } from './scenarios.ts';
import { isPolicyName, POLICIES, type RunResult, simulate } from './simulate.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

// `--seeds` and `--scenarios` serve the report script (scripts/queue-report.ts).
const VALUE_FLAGS = new Set([
  '--scenario',
  '--scenarios',
  '--policy',
  '--seed',
  '--seeds',
  '--tickets',
  '--lanes',
]);
const BOOLEAN_FLAGS = new Set(['--json', '--list-scenarios', '--replan']);

export function parseArgs(argv: readonly string[]): Record<string, string | true> {
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    if (BOOLEAN_FLAGS.has(flag!)) options[flag!] = true;
    else if (VALUE_FLAGS.has(flag!)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      options[flag!] = value;
    } else throw new UsageError(`unknown argument ${arg}`);
  }
  return options;
}

function integerOption(options: Record<string, string | true>, flag: string, fallback: number): number {
  const raw = options[flag];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new UsageError(`${flag} must be a non-negative integer`);
  return value;
}

/** A built-in scenario by name, else a scenario file. */
export function resolveScenario(nameOrFile: string): Scenario {
  const builtIn = builtInScenario(nameOrFile);
  if (builtIn !== undefined) return builtIn;
  if (!existsSync(nameOrFile)) {
    throw new UsageError(
      `unknown scenario "${nameOrFile}" (built-in: ${SCENARIO_NAMES.join(', ')}; or a file path)`,
    );
  }
  return loadScenarioFile(nameOrFile);
}

function human(result: RunResult): string {
  const f = (n: number) => n.toFixed(2);
  return [
    `${result.scenario} · ${result.policy} · seed ${result.seed} · ${result.tickets} tickets`,
    `wait (min): mean ${f(result.meanWaitMin)}  p95 ${f(result.p95WaitMin)}  max ${f(result.maxWaitMin)}  weighted ${f(result.meanWeightedWaitMin)}  (lower bound ${f(result.lowerBoundWeightedWaitMin)})`,
    `ETA: MAE ${f(result.etaMaeMin)} min  within ±5 min ${f(result.etaWithin5MinShare)}  under ${f(result.etaUnderShare)}`,
    `appointments in window ${f(result.appointmentsInWindowShare)}  re-plan p50 ${f(result.replanP50Ms)} ms  p99 ${f(result.replanP99Ms)} ms`,
    ...Object.entries(result.byClass).map(
      ([name, c]) =>
        `  ${name.padEnd(14)} ${String(c.tickets).padStart(5)}  mean ${f(c.meanWaitMin)}  p95 ${f(c.p95WaitMin)}  max ${f(c.maxWaitMin)}`,
    ),
  ].join('\n');
}

/** Runs the command; returns what to print on stdout. */
export function runBenchCli(argv: readonly string[]): string {
  const options = parseArgs(argv);
  if (options['--list-scenarios']) return SCENARIO_NAMES.join('\n');
  if (options['--replan']) {
    const result = runReplanBench(
      integerOption(options, '--tickets', 5000),
      integerOption(options, '--lanes', 40),
    );
    return JSON.stringify(result);
  }
  const scenarioArg = options['--scenario'];
  if (typeof scenarioArg !== 'string') throw new UsageError('--scenario NAME|FILE is required');
  const policy = typeof options['--policy'] === 'string' ? options['--policy'] : 'optimizer';
  if (!isPolicyName(policy)) throw new UsageError(`--policy must be one of ${POLICIES.join(', ')}`);
  const result = simulate(resolveScenario(scenarioArg), policy, integerOption(options, '--seed', 1));
  return options['--json'] ? JSON.stringify(result) : human(result);
}
