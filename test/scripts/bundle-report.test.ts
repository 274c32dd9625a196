import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Metafile } from 'esbuild';
import { bytesByPackage, packageOf } from '../../scripts/bundle-report.ts';

describe('bundle report', () => {
  it('names the package of an input, scoped or not, and the project for the rest', () => {
    assert.equal(packageOf('node_modules/@aws-sdk/core/dist-es/index.js'), '@aws-sdk/core');
    assert.equal(packageOf('node_modules/jose/dist/webapi/index.js'), 'jose');
    assert.equal(packageOf('node_modules/a/node_modules/@smithy/core/x.js'), '@smithy/core');
    assert.equal(packageOf('src/handlers/venue-api.ts'), '(project)');
    assert.equal(packageOf('lambda-credentials:lambda-credentials'), '(project)');
  });

  it('sums the bytes each package puts in every output, chunks included, largest first', () => {
    const output = (inputs: Record<string, number>) => ({
      bytes: 0,
      imports: [],
      exports: [],
      inputs: Object.fromEntries(
        Object.entries(inputs).map(([path, bytesInOutput]) => [path, { bytesInOutput }]),
      ),
    });
    const metafile: Metafile = {
      inputs: {},
      outputs: {
        'dist/venue-api/index.mjs': output({
          'src/a.ts': 10,
          'node_modules/jose/a.js': 5,
          'node_modules/@smithy/core/a.js': 30,
        }),
        'dist/venue-api/chunks/chunk-X.mjs': output({ 'node_modules/@smithy/core/b.js': 7, 'src/b.ts': 1 }),
        'dist/venue-api/index.mjs.map': output({ 'node_modules/jose/a.js': 1000 }),
      },
    };
    assert.deepEqual(bytesByPackage(metafile), [
      ['@smithy/core', 37],
      ['(project)', 11],
      ['jose', 5],
    ]);
  });
});
