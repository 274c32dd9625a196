/**
 * Builds the static venue site: `site/src/main.ts` bundled by esbuild into one ES module
 * (`app.js`, minified, with a source map), beside `index.html`, `styles.css` and the local
 * default `config.json`. The output has no inline script or style, so the strict CSP holds.
 *
 *   npm run build:site            → dist/site
 *   npx tsx scripts/build-site.ts out/dir
 *
 * At deploy the pipeline overwrites `config.json` with the Cognito variant.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const STATIC_FILES = ['index.html', 'styles.css', 'config.json'];

/** Writes the site into `outDir` (replacing what was there) and returns the absolute path. */
export async function buildSite(outDir = 'dist/site'): Promise<string> {
  const out = resolve(root, outDir);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: [join(root, 'site/src/main.ts')],
    outfile: join(out, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox111', 'safari16'],
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  await Promise.all(STATIC_FILES.map((file) => copyFile(join(root, 'site', file), join(out, file))));
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = await buildSite(process.argv[2]);
  process.stdout.write(`site built in ${out}\n`);
}
