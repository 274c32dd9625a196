import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildSite, cognitoConfig } from '../../scripts/build-site.ts';
import { parseConfig } from '../../site/src/config.ts';

describe('buildSite', () => {
  let out: string;
  before(async () => {
    out = await buildSite(await mkdtemp(join(tmpdir(), 'site-')));
  });
  after(() => rm(out, { recursive: true, force: true }));

  it('writes the bundle, its source map and the static files', async () => {
    for (const file of ['index.html', 'styles.css', 'config.json', 'app.js', 'app.js.map']) {
      assert.ok((await readFile(join(out, file), 'utf8')).length > 0, file);
    }
    const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8'));
    assert.deepEqual(config, { apiBaseUrl: '', auth: { mode: 'local' } });
  });

  it('keeps index.html free of inline scripts and styles (strict CSP)', async () => {
    const html = await readFile(join(out, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs ?? '', /\bsrc="app\.js"/);
      assert.equal(body?.trim(), '');
    }
    assert.doesNotMatch(html, /<style\b|\sstyle=/);
    assert.match(html, /script-src 'self'/);
  });

  it('bundles nothing that loads from another origin', async () => {
    const js = await readFile(join(out, 'app.js'), 'utf8');
    const origins = [...js.matchAll(/https?:\/\/[a-z0-9.-]+/gi)].map((m) => m[0]);
    // the only absolute URL the app builds is the Cognito domain from config.json
    assert.deepEqual(origins, []);
    assert.doesNotMatch(js, /innerHTML|insertAdjacentHTML|document\.write/);
  });

  it('writes the Cognito config.json at deploy, in the shape the site reads', async () => {
    const settings = {
      apiBaseUrl: 'https://api.example.com/',
      domain: 'https://venue.auth.us-east-1.amazoncognito.com',
      clientId: 'abc123',
      redirectUri: 'https://d111.cloudfront.net/',
    };
    const deployed = await buildSite(await mkdtemp(join(tmpdir(), 'site-cognito-')), settings);
    try {
      const written = JSON.parse(await readFile(join(deployed, 'config.json'), 'utf8'));
      assert.deepEqual(written, cognitoConfig(settings));
      const parsed = parseConfig(written);
      assert.equal(parsed.apiBaseUrl, 'https://api.example.com');
      assert.deepEqual(parsed.auth, {
        mode: 'cognito',
        domain: 'venue.auth.us-east-1.amazoncognito.com',
        clientId: 'abc123',
        redirectUri: 'https://d111.cloudfront.net/',
      });
    } finally {
      await rm(deployed, { recursive: true, force: true });
    }
  });
});
