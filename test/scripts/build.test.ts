import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { BUNDLES, type BundleName, type BundleResult, build, REPO_ROOT } from '../../scripts/build.ts';
import { importViolations, localMarkersIn } from '../../scripts/bundle-audit.ts';

// Entry points land branch by branch; every one present is built and audited.
const present = (Object.keys(BUNDLES) as BundleName[]).filter((name) =>
  existsSync(join(REPO_ROOT, BUNDLES[name])),
);

describe('bundles', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'venue-hub-build-'));
  let results: BundleResult[] = [];

  before(async () => {
    results = await build({ only: present, outDir, report: false });
  });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('include at least the post-confirmation trigger', () => {
    assert.ok(present.includes('post-confirmation'));
  });

  it('write dist/<name>/index.mjs with a linked source map', () => {
    for (const result of results) {
      assert.equal(result.file, join(outDir, result.name, 'index.mjs'));
      assert.ok(existsSync(`${result.file}.map`), `${result.name} source map`);
      assert.match(readFileSync(result.file, 'utf8'), /sourceMappingURL=index\.mjs\.map/);
      assert.ok(result.gzipBytes > 0 && result.gzipBytes < result.bytes);
    }
  });

  it('bundle the AWS SDK instead of expecting it at run time', () => {
    const trigger = results.find((r) => r.name === 'post-confirmation')!;
    assert.ok(Object.keys(trigger.metafile.inputs).some((p) => p.includes('node_modules/@aws-sdk/')));
    assert.deepEqual(
      Object.values(trigger.metafile.outputs).flatMap((o) =>
        o.imports.filter((i) => i.external && !i.path.startsWith('node:')),
      ),
      [],
    );
  });

  it('keep venue-api within 400 KiB in all and the Lambda bundles free of the off-Lambda credential chain', () => {
    const venueApi = results.find((r) => r.name === 'venue-api');
    if (venueApi) {
      const total = Object.entries(venueApi.metafile.outputs)
        .filter(([path]) => path.endsWith('.mjs'))
        .reduce((sum, [, output]) => sum + output.bytes, 0);
      assert.ok(total <= 400 * 1024, `venue-api is ${(total / 1024).toFixed(1)} KiB`);
      // the publisher is a chunk of its own, loaded on the first publish
      assert.ok(Object.keys(venueApi.metafile.outputs).some((path) => /chunks\/event-publisher-/.test(path)));
    }
    for (const result of results.filter((r) => r.name !== 'worker')) {
      const offLambda = Object.keys(result.metafile.inputs).filter((path) =>
        /@aws-sdk\/(credential-provider-(node|ini|sso|process)|nested-clients)\//.test(path),
      );
      assert.deepEqual(offLambda, [], result.name);
    }
  });

  it('contain nothing of src/local and no AWS SDK import from src/domain or src/queue', () => {
    for (const result of results) {
      assert.deepEqual(importViolations(result.metafile), [], result.name);
      assert.deepEqual(localMarkersIn(readFileSync(result.file, 'utf8')), [], result.name);
    }
  });

  it('load as ES modules and export a handler', async () => {
    // Handlers read their configuration at init, as in Lambda (a misconfigured function fails
    // there, loudly); give them a complete one. Nothing is called, so nothing is contacted.
    const configuration: Record<string, string> = {
      EVENTS_TABLE: 'events',
      RESERVATIONS_TABLE: 'reservations',
      PICKUP_SLOTS_TABLE: 'pickup-slots',
      QUEUE_STATE_TABLE: 'queue-state',
      PREFERENCES_TABLE: 'preferences',
      JWT_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Build',
      JWT_CLIENT_ID: 'build-client',
      APPCONFIG_APPLICATION: 'venue-hub',
      APPCONFIG_ENVIRONMENT: 'build',
      APPCONFIG_PROFILE: 'venue-rules',
      EVENT_BUS_NAME: 'venue-hub-build',
      SHOPPER_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:shopper',
      OPERATOR_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:operator',
    };
    for (const [name, value] of Object.entries(configuration)) process.env[name] ??= value;
    for (const result of results.filter((r) => r.name !== 'worker')) {
      const module = (await import(pathToFileURL(result.file).href)) as { handler?: unknown };
      assert.equal(typeof module.handler, 'function', result.name);
    }
  });

  it('write the worker health check beside the worker bundle, under the same import rules', async () => {
    // Any present entry stands in for worker/main.ts until it lands; the companion is real.
    const [worker] = await build({
      only: ['worker'],
      entries: { worker: BUNDLES['post-confirmation'] },
      outDir: join(outDir, 'companions'),
      report: false,
    });
    assert.deepEqual(worker!.companions, [join(outDir, 'companions', 'worker', 'healthcheck.mjs')]);
    assert.ok(existsSync(worker!.companions[0]!));
    assert.ok(Object.keys(worker!.metafile.inputs).includes('worker/healthcheck.ts'));
    assert.deepEqual(importViolations(worker!.metafile), []);
    // the bundled check answers as ECS expects: 1 without a fresh health file, 0 with one
    const healthFile = join(outDir, 'worker-health');
    const check = () =>
      spawnSync(process.execPath, [worker!.companions[0]!], {
        env: { PATH: process.env.PATH, WORKER_HEALTH_FILE: healthFile },
      }).status;
    assert.equal(check(), 1);
    writeFileSync(healthFile, new Date().toISOString());
    assert.equal(check(), 0);
  });

  it('fail loudly on a missing entry point', async () => {
    await assert.rejects(
      build({
        only: ['post-confirmation'],
        entries: { 'post-confirmation': 'src/handlers/no-such-handler.ts' },
        outDir,
        report: false,
      }),
      /missing entry points: src\/handlers\/no-such-handler\.ts/,
    );
  });
});

describe('importViolations', () => {
  const metafile = (inputs: Record<string, string[]>): Metafile => ({
    inputs: Object.fromEntries(
      Object.entries(inputs).map(([path, imports]) => [
        path,
        {
          bytes: 1,
          imports: imports.map((original) => ({ path: original, kind: 'import-statement', original })),
        },
      ]),
    ),
    outputs: {},
  });

  it('passes a clean graph', () => {
    assert.deepEqual(
      importViolations(
        metafile({ 'src/domain/x.ts': ['./y.ts'], 'src/adapters/a.ts': ['@aws-sdk/client-sns'] }),
      ),
      [],
    );
  });

  it('flags local hub modules and SDK imports from the domain or the queue', () => {
    const found = importViolations(
      metafile({
        'src/local/hub.ts': [],
        'src/domain/bad.ts': ['@aws-sdk/client-dynamodb'],
        'src/queue/planner.ts': ['@aws-sdk/lib-dynamodb'],
      }),
    );
    assert.deepEqual(
      found.map((v) => v.module),
      ['src/local/hub.ts', 'src/domain/bad.ts', 'src/queue/planner.ts'],
    );
  });

  it('finds local route strings in code', () => {
    assert.deepEqual(localMarkersIn('fetch("/local/outbox")'), ['/local/outbox']);
    assert.deepEqual(localMarkersIn('fetch("/health")'), []);
  });
});
