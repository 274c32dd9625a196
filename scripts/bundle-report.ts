/**
 * `npm run bundle:report`: what the venue-api Lambda bundle is made of and what it costs to load.
 * Builds the bundle into a temporary folder, prints KiB per package (from the esbuild metafile,
 * bytes each input contributes to the output), the total written, and the cold module-init time
 * of the bundle against a bare `node -e ''` measured in the same run (median of interleaved
 * runs, as a difference and as a ratio) — the targets of issue 9 are ≤ 400 KB and ≤ 100 ms.
 *
 *   npm run bundle:report                 venue-api, 7 runs
 *   npm run bundle:report -- worker 5     another bundle, another number of runs
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { BUNDLES, type BundleName, build } from './build.ts';

/** A complete configuration: handlers read it at init (nothing is contacted). */
const CONFIGURATION: Record<string, string> = {
  EVENTS_TABLE: 'events',
  RESERVATIONS_TABLE: 'reservations',
  PICKUP_SLOTS_TABLE: 'pickup-slots',
  QUEUE_STATE_TABLE: 'queue-state',
  PREFERENCES_TABLE: 'preferences',
  JWT_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Report',
  JWT_CLIENT_ID: 'report-client',
  APPCONFIG_APPLICATION: 'venue-hub',
  APPCONFIG_ENVIRONMENT: 'report',
  APPCONFIG_PROFILE: 'venue-rules',
  EVENT_BUS_NAME: 'venue-hub-report',
  SHOPPER_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:shopper',
  OPERATOR_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:operator',
  AWS_REGION: 'us-east-1',
};

/** The package an input belongs to (`node_modules/@aws-sdk/x/...` → `@aws-sdk/x`), else `(project)`. */
export function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return '(project)';
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? '(unknown)');
}

/** Bytes in the output per package, summed over every JS output (entry and chunks), largest first. */
export function bytesByPackage(metafile: Metafile): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const [path, output] of Object.entries(metafile.outputs)) {
    if (path.endsWith('.map')) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function timeNode(args: string[]): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env: { ...process.env, ...CONFIGURATION }, stdio: 'pipe' });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${run.stderr.toString()}`);
  return elapsed;
}

/** Median wall time of `node -e ''` and of `node` importing the bundle, interleaved runs. */
export function initTimes(file: string, runs: number): { bareMs: number; bundleMs: number } {
  const load = `await import(${JSON.stringify(pathToFileURL(file).href)})`;
  const bare: number[] = [];
  const bundle: number[] = [];
  timeNode(['-e', '']); // warm the file cache for both
  timeNode(['--input-type=module', '-e', load]);
  for (let i = 0; i < runs; i++) {
    bare.push(timeNode(['-e', '']));
    bundle.push(timeNode(['--input-type=module', '-e', load]));
  }
  return { bareMs: median(bare), bundleMs: median(bundle) };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Builds, measures and prints the report of one bundle. */
export async function bundleReport(name: BundleName = 'venue-api', runs = 7): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'venue-hub-report-'));
  try {
    const [result] = await build({ only: [name], outDir, report: false });
    if (!result) throw new Error(`no ${name} bundle built`);
    const dir = join(outDir, name);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mjs'));
    const total = files.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    const lines = [
      `${name}: ${files.length} .mjs file(s), index.mjs ${kib(result.bytes)}, total ${kib(total)}`,
    ];
    for (const [pkg, bytes] of bytesByPackage(result.metafile)) {
      lines.push(`  ${kib(bytes).padStart(10)}  ${pkg}`);
    }
    const { bareMs, bundleMs } = initTimes(result.file, runs);
    lines.push(
      `init: bare node ${bareMs.toFixed(0)} ms, with bundle ${bundleMs.toFixed(0)} ms → ` +
        `+${(bundleMs - bareMs).toFixed(0)} ms, ratio ${(bundleMs / bareMs).toFixed(2)} (median of ${runs})`,
    );
    return `${lines.join('\n')}\n`;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [requested = 'venue-api', runs = '7'] = process.argv.slice(2);
  if (!(requested in BUNDLES)) {
    process.stderr.write(`unknown bundle ${requested}; known: ${Object.keys(BUNDLES).join(', ')}\n`);
    process.exit(2);
  }
  process.stdout.write(await bundleReport(requested as BundleName, Number(runs) || 7));
}
