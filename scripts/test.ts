/**
 * `npm test`: everything, in order — typecheck, lint, the template linters (cfn-lint, sam
 * validate --lint), then every node:test file under test/ against one DynamoDB Local started
 * for the whole run (its endpoint reaches the tests as DYNAMODB_ENDPOINT).
 *
 *   npm test                      everything
 *   npm test -- test/queue        only test files under these paths (static checks skipped)
 *   npm test -- --skip-static     node tests only
 *   npm test -- --no-sam-build    skip `sam build` (no Docker; ~40 s on a quiet machine, see docs/decisions/0500)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startDynamoDbLocal } from '../src/local/dynamodb-local.ts';

const root = resolve(import.meta.dirname, '..');
process.chdir(root);
const args = process.argv.slice(2);
const paths = args.filter((a) => !a.startsWith('--'));
const skipStatic = args.includes('--skip-static') || paths.length > 0;
const samBuild = !skipStatic && !args.includes('--no-sam-build');

function step(
  name: string,
  command: string,
  commandArgs: string[],
  options: Parameters<typeof spawnSync>[2] = {},
): void {
  const started = Date.now();
  process.stdout.write(`\n▶ ${name}\n`);
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', ...options });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`✖ ${name} failed (${seconds}s)\n`);
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`✔ ${name} (${seconds}s)\n`);
}

function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return dir.endsWith('.test.ts') ? [dir] : [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? testFiles(join(dir, entry.name)) : [join(dir, entry.name)]))
    .filter((file) => file.endsWith('.test.ts'))
    .sort();
}

const templates = ['template.yaml', ...readdirSync('templates').map((f) => join('templates', f))].filter(
  (f) => existsSync(f) && f.endsWith('.yaml'),
);

if (!skipStatic) {
  step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  step('lint', 'npx', ['biome', 'check', '.']);
  step('python tools', 'bash', ['scripts/python-tools.sh']);
  step('cfn-lint', '.venv/bin/cfn-lint', templates);
  if (existsSync('template.yaml')) {
    step(
      'sam validate --lint',
      '.venv/bin/sam',
      ['validate', '--lint', '--template-file', 'template.yaml', '--region', 'us-east-1'],
      {
        env: { ...process.env, SAM_CLI_TELEMETRY: '0' },
      },
    );
  }
}

// On by default (ADR 0500): the functions' makefile targets build the same bundles as
// scripts/build.ts; `--no-sam-build`, or naming test paths, skips it.
if (samBuild) {
  step('sam build', '.venv/bin/sam', ['build', '--template-file', 'template.yaml', '--parallel'], {
    env: {
      ...process.env,
      SAM_CLI_TELEMETRY: '0',
      // the project's tools first, as in buildspecs/lambda.yml (the makefile builds need none)
      PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    },
  });
}

const files = (paths.length > 0 ? paths : ['test'])
  .flatMap((p) => testFiles(p))
  .map((f) => relative(root, f));
if (files.length === 0) {
  process.stdout.write('no test files found\n');
  process.exit(1);
}

process.stdout.write(`\n▶ node:test (${files.length} files)\n`);
const dynamo = await startDynamoDbLocal();
process.stdout.write(`  DynamoDB Local at ${dynamo.endpoint}\n`);
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      NODE_ENV: 'test',
      // the AWS SDK's Node 22 notice (see src/local/hub-env.ts), once per test file otherwise
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
);
const stop = async (code: number): Promise<void> => {
  await dynamo.stop();
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => stop(code ?? (signal ? 1 : 0)));
