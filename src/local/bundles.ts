/**
 * The bundles the hub runs: the same files `npm run build` writes for the Lambda zip and the
 * worker image. The hub builds them through `build()` of scripts/build.ts, so what runs
 * locally is what ships.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// node built-ins only: scripts/build.ts reads the bundle list from here without loading the hub
const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The entry point of each bundle: the one list of the bundles, which scripts/build.ts builds. */
export const BUNDLE_ENTRY_POINTS = {
  'venue-api': 'src/handlers/venue-api.ts',
  'notification-fanout': 'src/handlers/notification-fanout.ts',
  'post-confirmation': 'src/handlers/post-confirmation.ts',
  'rules-validator': 'src/handlers/rules-validator.ts',
  'outbox-sweeper': 'src/handlers/outbox-sweeper.ts',
  worker: 'worker/main.ts',
} as const satisfies Record<string, string>;

export type BundleName = keyof typeof BUNDLE_ENTRY_POINTS;

export const BUNDLE_NAMES = Object.keys(BUNDLE_ENTRY_POINTS) as BundleName[];

/** The bundles the hub runs in its own process: all but the worker (a child process of its own). */
export const FUNCTION_BUNDLES: BundleName[] = BUNDLE_NAMES.filter((name) => name !== 'worker');

/** Where `npm run build` puts the bundles (and the site, under `site/`). */
export const DIST = join(REPO_ROOT, 'dist');

export function bundlePath(name: BundleName, distDir = DIST): string {
  return join(distDir, name, 'index.mjs');
}

/**
 * The bundle behind a function of template.yaml: the module of its `Handler`
 * (`venue-api.handler` → `venue-api`), else its logical id (`VenueApiFunction` → `venue-api`).
 */
export function bundleForFunction(logicalId: string, handler?: string): BundleName | undefined {
  const module = handler?.split('.')[0];
  if (module && (BUNDLE_NAMES as string[]).includes(module)) return module as BundleName;
  const kebab = logicalId
    .replace(/Function$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
  return (BUNDLE_NAMES as string[]).includes(kebab) ? (kebab as BundleName) : undefined;
}

/**
 * Builds every bundle with the project's build script; without one (a partial checkout),
 * with esbuild and the same settings the build contract names.
 */
export async function buildBundles(only: BundleName[] = BUNDLE_NAMES, outDir = DIST): Promise<void> {
  const script = join(REPO_ROOT, 'scripts/build.ts');
  if (!existsSync(script)) return buildWithEsbuild(only, outDir);
  const module = (await import(pathToFileURL(script).href)) as {
    build?: (options?: unknown) => Promise<unknown>;
  };
  if (typeof module.build !== 'function') throw new Error('scripts/build.ts exports no build()');
  await module.build({ only: [...new Set(only)], outDir, report: false });
}

/** The bundles that are missing (the hub refuses to start without them). */
export function missingBundles(distDir?: string, names: BundleName[] = BUNDLE_NAMES): BundleName[] {
  return names.filter((name) => !existsSync(bundlePath(name, distDir)));
}

async function buildWithEsbuild(only: BundleName[], outDir: string): Promise<void> {
  const { build } = await import('esbuild');
  for (const name of only) {
    const entry = join(REPO_ROOT, BUNDLE_ENTRY_POINTS[name]);
    if (!existsSync(entry)) continue;
    await build({
      entryPoints: [entry],
      outfile: bundlePath(name, outDir),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      minify: true,
      sourcemap: true,
      logLevel: 'warning',
      // Bundled CommonJS (the AWS SDK) calls require(); ESM output needs one in scope.
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
  }
}

/**
 * The static site to serve: built by `buildSite()` of scripts/build-site.ts into dist/site,
 * or, in a checkout without that script, `site/` as it is.
 */
export async function prepareSite(outDir = DIST): Promise<string> {
  const script = join(REPO_ROOT, 'scripts/build-site.ts');
  if (!existsSync(script)) return join(REPO_ROOT, 'site');
  const module = (await import(pathToFileURL(script).href)) as {
    buildSite?: (outDir?: string) => Promise<string>;
  };
  if (typeof module.buildSite !== 'function') throw new Error('scripts/build-site.ts exports no buildSite()');
  return module.buildSite(join(outDir, 'site'));
}
