/**
 * `npm run build`: the Lambda and worker bundles (esbuild, ESM, minified, source maps, node20,
 * AWS SDK bundled), one folder each under dist/, and a size report. The bundles are what the
 * local hub runs and what the worker image ships; `sam build` bundles the same entry points
 * for deployment (Metadata of each function in template.yaml).
 *
 *   npm run build                  all six bundles
 *   npm run build -- worker        only the named bundles
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build as esbuild, type Metafile, type Plugin } from 'esbuild';
import { BUNDLE_ENTRY_POINTS, type BundleName } from '../src/local/bundles.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..');

/** Bundle name → entry point (relative to the repository root): the hub's one list. */
export const BUNDLES = BUNDLE_ENTRY_POINTS;

export type { BundleName };

/** Extra entry points written beside a bundle's index.mjs (output name → entry point). */
export const COMPANIONS: Partial<Record<BundleName, Record<string, string>>> = {
  // the ECS/Docker health check: `node healthcheck.mjs` (worker/healthcheck.ts)
  worker: { healthcheck: 'worker/healthcheck.ts' },
};

export interface BuildOptionsInput {
  /** which bundles (default: all) */
  only?: BundleName[];
  /** output root (default: dist under the repository) */
  outDir?: string;
  /** print the size report (default: true) */
  report?: boolean;
  /** entry points by bundle name (default: BUNDLES) */
  entries?: Partial<Record<BundleName, string>>;
}

export interface BundleResult {
  name: BundleName;
  entry: string;
  /** dist/<name>/index.mjs */
  file: string;
  /** companion files beside it (dist/worker/healthcheck.mjs) */
  companions: string[];
  bytes: number;
  gzipBytes: number;
  metafile: Metafile;
}

// Some bundled CommonJS dependencies call require() for Node built-ins; ESM output has no
// require, so the bundle creates one.
const REQUIRE_SHIM =
  "import { createRequire as __venueHubCreateRequire } from 'node:module'; const require = __venueHubCreateRequire(import.meta.url);";

/** The bundles that run in Lambda, where the runtime always puts the role's credentials in env vars. */
const LAMBDA_BUNDLES: ReadonlySet<BundleName> = new Set([
  'venue-api',
  'notification-fanout',
  'post-confirmation',
  'outbox-sweeper',
]);

/**
 * Lambda-only credentials (ADR 0910). Every SDK client's runtime config imports the default
 * Node chain (`@aws-sdk/credential-provider-node`: env, SSO, ini, process, web identity,
 * container/IMDS), which drags in the STS/SSO/sign-in clients (~90 KiB) that a Lambda never
 * reaches: the runtime sets AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, the first
 * link of that chain. The Lambda bundles get a chain of that one link, whose errors are the
 * SDK's own. The worker (ECS task role: container credentials) keeps the full chain.
 */
export const lambdaCredentialsPlugin: Plugin = {
  name: 'lambda-credentials',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: 'lambda-credentials',
      namespace: 'lambda-credentials',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lambda-credentials' }, () => ({
      contents:
        "import { fromEnv } from '@aws-sdk/credential-provider-env';\n" +
        'export const defaultProvider = (init = {}) => fromEnv(init);\n',
      loader: 'js',
      resolveDir: REPO_ROOT,
    }));
  },
};

function esbuildOptions(name: BundleName, entryPoints: Record<string, string>, outdir: string): BuildOptions {
  return {
    plugins: LAMBDA_BUNDLES.has(name) ? [lambdaCredentialsPlugin] : [],
    // What a Lambda handler loads with a dynamic import (venue-api: the EventBridge publisher)
    // goes to a chunk beside index.mjs, tree-shaken like the rest; inlined instead, esbuild
    // would wrap it and keep every export (ADR 0910). The zip is the whole folder.
    splitting: LAMBDA_BUNDLES.has(name),
    chunkNames: 'chunks/[name]-[hash]',
    absWorkingDir: REPO_ROOT,
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    // The AWS SDK ships CommonJS (`main`) and ES modules (`module`); esbuild can tree-shake
    // only the latter (ADR 0910: 684 → 450 KiB for venue-api).
    mainFields: ['module', 'main'],
    format: 'esm',
    target: 'node20',
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: REQUIRE_SHIM },
  };
}

/** Builds the bundles; throws if an entry point is missing or esbuild reports an error. */
export async function build(options: BuildOptionsInput = {}): Promise<BundleResult[]> {
  const entries: Record<BundleName, string> = { ...BUNDLES, ...options.entries };
  const names = options.only ?? (Object.keys(entries) as BundleName[]);
  const outDir = options.outDir ?? join(REPO_ROOT, 'dist');
  const entryPointsOf = (name: BundleName) => ({ index: entries[name], ...COMPANIONS[name] });
  const missing = names
    .flatMap((name) => Object.values(entryPointsOf(name)))
    .filter((entry) => !existsSync(join(REPO_ROOT, entry)));
  if (missing.length > 0) throw new Error(`missing entry points: ${missing.join(', ')}`);
  const results: BundleResult[] = [];
  for (const name of names) {
    const dir = join(outDir, name);
    rmSync(dir, { recursive: true, force: true });
    const file = join(dir, 'index.mjs');
    const result = await esbuild(esbuildOptions(name, entryPointsOf(name), dir));
    const code = readFileSync(file);
    results.push({
      name,
      entry: entries[name],
      file,
      companions: Object.keys(COMPANIONS[name] ?? {}).map((companion) => join(dir, `${companion}.mjs`)),
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      metafile: result.metafile as Metafile,
    });
  }
  if (options.report ?? true) process.stdout.write(sizeReport(results));
  return results;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** A small table: bundle, size, gzipped size, number of input modules. */
export function sizeReport(results: BundleResult[]): string {
  const rows = results.map((r) => [
    relative(REPO_ROOT, r.file),
    kib(r.bytes),
    kib(r.gzipBytes),
    String(Object.keys(r.metafile.inputs).length),
  ]);
  const header = ['bundle', 'size', 'gzip', 'modules'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}\n`;
  return line(header) + rows.map(line).join('');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const requested = process.argv.slice(2) as BundleName[];
  const unknown = requested.filter((name) => !(name in BUNDLES));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown bundle(s): ${unknown.join(', ')}; known: ${Object.keys(BUNDLES).join(', ')}\n`,
    );
    process.exit(2);
  }
  try {
    await build(requested.length > 0 ? { only: requested } : {});
  } catch (error) {
    process.stderr.write(`build failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
