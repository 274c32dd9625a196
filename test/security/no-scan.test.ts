/**
 * OWASP API4: no request path scans a table. Every read of the adapters is a GetItem or a
 * Query on a key or GSI of templates/data.yaml, so the cost of a request does not grow with
 * the size of the venue's data, and a client cannot make the API read everything.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('no Scan on any request path', () => {
  it('the code the Lambdas and the worker bundle never issues a Scan', () => {
    const files = [
      'src/adapters',
      'src/handlers',
      'src/http',
      'src/services',
      'src/worker',
      'src/fanout',
    ].flatMap(sources);
    assert.ok(files.length > 20, `only ${files.length} files found`);
    const scanning = files.filter((file) =>
      /\bScan(Command|Input)?\b|\.scan\(/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    assert.deepEqual(scanning, []);
  });
});
