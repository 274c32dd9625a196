/**
 * Builds the static venue site: `site/src/main.ts` bundled by esbuild into one ES module
 * (`app.js`, minified, with a source map), beside `index.html`, `styles.css` and
 * `config.json`. The output has no inline script or style, so the strict CSP holds.
 *
 *   npm run build:site                      → dist/site with the local config.json
 *   npx tsx scripts/build-site.ts OUT \
 *     --api-base-url https://api.example.com \
 *     --cognito-domain venue.auth.us-east-1.amazoncognito.com \
 *     --client-id abc123 --redirect-uri https://d111.cloudfront.net/
 *                                           → OUT with the Cognito config.json (deploy)
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const STATIC_FILES = ['index.html', 'styles.css'];

/** What `config.json` carries at deploy: the API and the Cognito hosted UI of the stack. */
export interface CognitoSiteConfig {
  apiBaseUrl: string;
  domain: string;
  clientId: string;
  redirectUri: string;
}

/** The deploy-time `config.json` body (the shape site/src/config.ts reads). */
export function cognitoConfig(settings: CognitoSiteConfig): Record<string, unknown> {
  return {
    apiBaseUrl: settings.apiBaseUrl.replace(/\/$/, ''),
    auth: {
      mode: 'cognito',
      domain: settings.domain.replace(/^https?:\/\//, '').replace(/\/$/, ''),
      clientId: settings.clientId,
      redirectUri: settings.redirectUri,
    },
  };
}

/**
 * Writes the site into `outDir` (replacing what was there) and returns the absolute path.
 * Without `cognito`, `config.json` is the local default (`site/config.json`).
 */
export async function buildSite(outDir = 'dist/site', cognito?: CognitoSiteConfig): Promise<string> {
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
  if (cognito) {
    await writeFile(join(out, 'config.json'), `${JSON.stringify(cognitoConfig(cognito), null, 2)}\n`);
  } else {
    await copyFile(join(root, 'site/config.json'), join(out, 'config.json'));
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'api-base-url': { type: 'string' },
      'cognito-domain': { type: 'string' },
      'client-id': { type: 'string' },
      'redirect-uri': { type: 'string' },
    },
  });
  const given = [
    values['api-base-url'],
    values['cognito-domain'],
    values['client-id'],
    values['redirect-uri'],
  ];
  if (given.some(Boolean) && !given.every(Boolean)) {
    process.stderr.write(
      'give all of --api-base-url, --cognito-domain, --client-id, --redirect-uri, or none\n',
    );
    process.exit(2);
  }
  const cognito = given.every(Boolean)
    ? {
        apiBaseUrl: values['api-base-url'] as string,
        domain: values['cognito-domain'] as string,
        clientId: values['client-id'] as string,
        redirectUri: values['redirect-uri'] as string,
      }
    : undefined;
  const out = await buildSite(positionals[0], cognito);
  process.stdout.write(`site built in ${out}${cognito ? ' (Cognito config)' : ''}\n`);
}
