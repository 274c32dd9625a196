/**
 * `npm run invoke`: the Docker-free `sam local invoke` runs a function of template.yaml once
 * with an event file, prints the result as JSON on stdout, and fails clearly otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../../src/local/dynamodb-local.ts';

const work = mkdtempSync(join(tmpdir(), 'hub-invoke-'));
const ready =
  existsSync(join(REPO_ROOT, 'src/handlers/venue-api.ts')) && existsSync(join(REPO_ROOT, 'template.yaml'));

function invoke(args: string[], env: Record<string, string> = {}) {
  return spawnSync('npm', ['run', '--silent', 'invoke', '--', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 180_000,
    // A private build folder: other test files may be building dist/ at the same time.
    env: { ...process.env, HUB_BUILD_DIR: join(work, 'dist'), DYNAMODB_ENDPOINT: '', ...env },
  });
}

function httpEvent(routeKey: string, rawPath: string, pathParameters?: Record<string, string>) {
  const [method] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'invoke-test',
      routeKey,
      stage: '$default',
      time: '26/Nov/2026:00:00:00 +0000',
      timeEpoch: 1_795_651_200_000,
    },
    isBase64Encoded: false,
  };
}

describe('npm run invoke', { skip: !ready && 'the venue-api handler has not landed' }, () => {
  it('runs a public route of the venue-api bundle with a fresh DynamoDB Local', () => {
    const file = join(work, 'health.json');
    writeFileSync(file, JSON.stringify(httpEvent('GET /health', '/health')));
    const run = invoke(['VenueApiFunction', file]);
    assert.equal(run.status, 0, run.stderr.slice(-3000));
    const result = JSON.parse(run.stdout);
    assert.equal(result.statusCode, 200);
    assert.equal(JSON.parse(result.body).status, 'ok');
  });

  it('mints a token for INVOKE_USER so a protected route passes', () => {
    const file = join(work, 'prefs.json');
    writeFileSync(file, JSON.stringify(httpEvent('GET /me/preferences', '/me/preferences')));
    const run = invoke(['VenueApiFunction', file], { INVOKE_USER: 'alice', INVOKE_GROUPS: 'shoppers' });
    assert.equal(run.status, 0, run.stderr.slice(-3000));
    const result = JSON.parse(run.stdout);
    assert.equal(result.statusCode, 200);
    assert.ok(JSON.parse(result.body).preferences);
  });

  it('runs the post-confirmation trigger’s sample event against the local user pool', () => {
    const run = invoke(['PostConfirmationFunction', join(REPO_ROOT, 'events/post-confirmation.json')]);
    assert.equal(run.status, 0, run.stderr.slice(-3000));
    const result = JSON.parse(run.stdout);
    assert.equal(result.triggerSource, 'PostConfirmation_ConfirmSignUp');
    assert.match(run.stderr, /enrolled in shoppers/);
  });

  it('runs the outbox sweeper with the sample scheduled event (a fresh outbox has nothing due)', () => {
    const run = invoke(['OutboxSweeperFunction', join(REPO_ROOT, 'events/eventbridge/scheduled.json')]);
    assert.equal(run.status, 0, run.stderr.slice(-3000));
    assert.deepEqual(JSON.parse(run.stdout), { rounds: 1, published: 0, refused: 0, deadLettered: 0 });
    assert.match(run.stderr, /outbox sweep started/);
  });

  it('refuses an unknown function and a missing argument', () => {
    const unknown = invoke(['NoSuchFunction', join(work, 'health.json')]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no AWS::Serverless::Function NoSuchFunction/);
    const usage = invoke([]);
    assert.equal(usage.status, 1);
    assert.match(usage.stderr, /usage: npm run invoke/);
  });
});
