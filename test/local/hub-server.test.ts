/** The hub's HTTP front (issuer endpoints, API Gateway behaviour, site) around the fixture hub. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { CognitoUserDirectory } from '../../src/adapters/cognito/user-directory.ts';
import { createPostConfirmationHandler } from '../../src/handlers/post-confirmation.ts';
import { loadTemplate } from '../../src/local/cfn-template.ts';
import { REPO_ROOT } from '../../src/local/dynamodb-local.ts';
import { STAND_IN_PATHS } from '../../src/local/hub-server.ts';
import { readUserPoolGroups } from '../../src/local/stand-ins/cognito-idp.ts';
import { createLogger } from '../../src/observability/log.ts';
import { AWS, http, useHubFixture } from './helpers/hub-fixture.ts';

const hub = useHubFixture();

async function token(username: string, groups: string[], extra: Record<string, unknown> = {}) {
  const { json } = await http(hub, 'POST', '/local/cognito/token', { username, groups, ...extra });
  return json.access_token as string;
}

describe('local Cognito endpoints', () => {
  it('mints tokens and serves the JWKS', async () => {
    const minted = await http(hub, 'POST', '/local/cognito/token', {
      username: 'alice',
      groups: ['shoppers'],
    });
    assert.equal(minted.status, 200);
    assert.equal(minted.json.token_type, 'Bearer');
    assert.equal(minted.json.expires_in, 3600);
    const jwks = await http(hub, 'GET', '/local/cognito/.well-known/jwks.json');
    assert.equal(jwks.json.keys.length, 1);
  });

  it('answers bad bodies with 400 in the error shape', async () => {
    for (const body of ['{not json', { groups: [] }, { username: 'a', extra: 1 }]) {
      const response = await http(hub, 'POST', '/local/cognito/token', body);
      assert.equal(response.status, 400);
      assert.equal(response.json.error.code, 'VALIDATION_FAILED');
      assert.equal(typeof response.json.error.requestId, 'string');
      assert.ok(Array.isArray(response.json.error.details));
    }
  });
});

describe('HTTP API front', () => {
  it('answers GET /health with 503 while the hub is still seeding, then passes it on', async () => {
    const ready = hub.parts.ready;
    let seeded = false;
    hub.parts.ready = () => seeded;
    try {
      const starting = await http(hub, 'GET', '/health');
      assert.equal(starting.status, 503);
      assert.equal(starting.json.error.code, 'SERVICE_UNAVAILABLE');
      // the API itself answers meanwhile (the seeding goes through it)
      assert.equal((await http(hub, 'GET', '/venues/flagship-001/events?kind=event')).status, 200);
      seeded = true;
      assert.equal((await http(hub, 'GET', '/health')).status, 200);
    } finally {
      hub.parts.ready = ready;
    }
  });

  it('passes public routes without a token', async () => {
    const response = await http(hub, 'GET', '/venues/flagship-001/events?kind=event');
    assert.equal(response.status, 200);
    const event = hub.apiEvents.at(-1) as { routeKey: string; requestContext: { authorizer?: unknown } };
    assert.equal(event.routeKey, 'GET /venues/{venueId}/events');
    assert.equal(event.requestContext.authorizer, undefined);
  });

  it('refuses protected routes without a valid token exactly as API Gateway', async () => {
    const expired = await token('alice', ['shoppers'], { expiresIn: -10 });
    const otherClient = await token('alice', ['shoppers'], { clientId: 'elsewhere' });
    for (const authorization of [undefined, 'Bearer nope', `Bearer ${expired}`, `Bearer ${otherClient}`]) {
      const response = await http(
        hub,
        'GET',
        '/me/reservations',
        undefined,
        authorization ? { authorization } : {},
      );
      assert.equal(response.status, 401);
      assert.equal(response.text, '{"message":"Unauthorized"}');
    }
  });

  it('hands protected routes the verified claims', async () => {
    const good = await token('olivia', ['operators']);
    const response = await http(
      hub,
      'POST',
      '/venues/flagship-001/events',
      { title: 'x' },
      { authorization: `Bearer ${good}` },
    );
    assert.equal(response.status, 200);
    const event = hub.apiEvents.at(-1) as {
      body: string;
      requestContext: { authorizer: { jwt: { claims: Record<string, string> } } };
    };
    assert.equal(event.body, '{"title":"x"}');
    assert.equal(event.requestContext.authorizer.jwt.claims['cognito:groups'], '[operators]');
    assert.equal(event.requestContext.authorizer.jwt.claims.username, 'olivia');
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    for (const [method, path] of [
      ['GET', '/nope.json'],
      ['POST', '/health'],
      ['GET', '/local/unknown'],
    ]) {
      const response = await http(hub, method as string, path as string);
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.json.error.code, 'NOT_FOUND');
    }
  });

  it('serves the site, its config and the SPA fallback for HTML navigations', async () => {
    assert.match((await http(hub, 'GET', '/')).text, /<title>site/);
    assert.equal(
      (await http(hub, 'GET', '/app.js')).headers.get('content-type'),
      'text/javascript; charset=utf-8',
    );
    assert.deepEqual((await http(hub, 'GET', '/config.json')).json, { mode: 'local' });
    const deep = await http(hub, 'GET', '/my/reservations', undefined, { accept: 'text/html' });
    assert.match(deep.text, /<title>site/);
    assert.equal(
      (await http(hub, 'GET', '/../../etc/passwd', undefined, { accept: 'application/json' })).status,
      404,
    );
  });
});

describe('local user pool', () => {
  it('has the groups of template.yaml’s user pool', () => {
    assert.deepEqual(readUserPoolGroups(loadTemplate(join(REPO_ROOT, 'template.yaml'))).sort(), [
      'operators',
      'shoppers',
    ]);
  });

  // The shipped trigger's core, with the real SDK client pointed at the pool stand-in.
  const trigger = () =>
    createPostConfirmationHandler({
      directory: new CognitoUserDirectory(
        new CognitoIdentityProviderClient({
          ...AWS,
          endpoint: `${hub.url}${STAND_IN_PATHS.cognitoidp}`,
        }),
      ),
      logger: createLogger('test', { sink: () => undefined }),
    });

  it('signs a shopper up: the post-confirmation trigger adds them to shoppers, the token says so', async () => {
    const before = hub.parts.invokeFunction;
    const handler = trigger();
    hub.parts.invokeFunction = async (functionId, event) => {
      assert.equal(functionId, 'PostConfirmationFunction');
      return handler(event as PostConfirmationTriggerEvent);
    };
    try {
      const signed = await http(hub, 'POST', '/local/cognito/sign-up', { username: 'newcomer' });
      assert.equal(signed.status, 200);
      assert.deepEqual(signed.json.groups, ['shoppers']);
      const claims = JSON.parse(Buffer.from(signed.json.access_token.split('.')[1], 'base64url').toString());
      assert.deepEqual(claims['cognito:groups'], ['shoppers']);
      assert.deepEqual(hub.parts.cognitoIdp.groupsOf('newcomer'), ['shoppers']);
      assert.equal((await http(hub, 'POST', '/local/cognito/sign-up', { user: 'x' })).status, 400);
    } finally {
      hub.parts.invokeFunction = before;
    }
  });

  it('answers a failing trigger as Cognito does, and the pool’s errors as the real one', async () => {
    const before = hub.parts.invokeFunction;
    hub.parts.invokeFunction = async () => {
      throw new Error('trigger down');
    };
    try {
      const failed = await http(hub, 'POST', '/local/cognito/sign-up', { username: 'unlucky' });
      assert.equal(failed.status, 502);
    } finally {
      hub.parts.invokeFunction = before;
    }
    const handler = trigger();
    const event = (userName: string, userPoolId: string) =>
      ({
        version: '1',
        region: 'us-east-1',
        userPoolId,
        userName,
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        callerContext: { awsSdkVersion: 'x', clientId: 'local-site' },
        request: { userAttributes: {} },
        response: {},
      }) as unknown as PostConfirmationTriggerEvent;
    const pool = hub.parts.cognitoIdp.userPoolId;
    await assert.rejects(handler(event('nobody', pool)), (e: Error) => e.message.includes('user'));
    await assert.rejects(handler(event('newcomer', 'us-east-1_other')), /does not exist/);
  });
});
