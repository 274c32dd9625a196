/**
 * `npm run bench:queue -- --scenario NAME|FILE --policy fifo|jsq|optimizer --seed N --json`:
 * simulates one venue day and prints its figures (see src/queue/sim/bench-cli.ts).
 */
import { runBenchCli, UsageError } from '../src/queue/sim/bench-cli.ts';
import { ScenarioError } from '../src/queue/sim/scenario.ts';

try {
  process.stdout.write(`${runBenchCli(process.argv.slice(2))}\n`);
} catch (error) {
  if (error instanceof UsageError || error instanceof ScenarioError) {
    process.stderr.write(`bench:queue: ${error.message}\n`);
    process.exitCode = 2;
  } else throw error;
}
