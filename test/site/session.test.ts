import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchRoute, parseHash, type Route } from '../../site/src/app.ts';
import { parseConfig } from '../../site/src/config.ts';
import { sessionFromToken } from '../../site/src/session.ts';
import { safeNext } from '../../site/src/views/sign-in.ts';

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k' })}.${part(claims)}.signature`;
}

describe('session, config and routing', () => {
  it('reads the claims the UI needs from a Cognito access token', () => {
    const session = sessionFromToken(
      jwt({
        sub: 'u-1',
        username: 'ana',
        'cognito:groups': ['operators'],
        exp: 2_000_000_000,
        name: 'Ñandú',
      }),
    );
    assert.deepEqual(session, {
      accessToken: session.accessToken,
      userId: 'u-1',
      username: 'ana',
      groups: ['operators'],
      expiresAt: 2_000_000_000_000,
    });
    assert.deepEqual(sessionFromToken(jwt({ sub: 'u-2', exp: 1 })).groups, []);
    assert.throws(() => sessionFromToken('garbage'));
  });

  it('parses both config.json variants and refuses a broken one', () => {
    const local = parseConfig({ apiBaseUrl: '', auth: { mode: 'local' } });
    assert.equal(local.auth.mode, 'local');
    assert.equal(local.venueId, 'flagship-001');
    assert.equal(local.timezone, 'America/New_York');
    const hub = parseConfig({
      apiBaseUrl: '',
      auth: { mode: 'local', tokenUrl: '/local/cognito/token' },
      demoUsers: [{ username: 'zoe', groups: ['operators'] }, { nope: 1 }],
    });
    assert.deepEqual(hub.auth, { mode: 'local', demoUsers: [{ username: 'zoe', groups: ['operators'] }] });
    const cognito = parseConfig({
      apiBaseUrl: 'https://api.example/',
      auth: {
        mode: 'cognito',
        domain: 'https://x.auth.amazoncognito.com',
        clientId: 'c',
        redirectUri: 'https://s/',
      },
    });
    assert.equal(cognito.apiBaseUrl, 'https://api.example');
    assert.deepEqual(cognito.auth, {
      mode: 'cognito',
      domain: 'x.auth.amazoncognito.com',
      clientId: 'c',
      redirectUri: 'https://s/',
    });
    // the pipeline's flat shape, from the stack outputs
    const flat = parseConfig(
      {
        apiUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/',
        region: 'us-east-1',
        userPoolId: 'us-east-1_x',
        clientId: 'site-client',
        cognitoDomain: 'https://venue-prod.auth.us-east-1.amazoncognito.com',
      },
      'https://d111.cloudfront.net',
    );
    assert.equal(flat.apiBaseUrl, 'https://abc.execute-api.us-east-1.amazonaws.com');
    assert.deepEqual(flat.auth, {
      mode: 'cognito',
      domain: 'venue-prod.auth.us-east-1.amazoncognito.com',
      clientId: 'site-client',
      redirectUri: 'https://d111.cloudfront.net/',
    });
    assert.throws(() => parseConfig({ auth: { mode: 'cognito', clientId: 'c' } }), /auth.domain/);
    assert.throws(() => parseConfig({ auth: { mode: 'saml' } }), /auth.mode/);
  });

  it('matches hash routes with parameters and splits the query', () => {
    const view = () => undefined;
    const routes: Route[] = [
      { pattern: '/', view, access: 'public' },
      { pattern: '/operator/catalog/new', view, access: 'operator' },
      { pattern: '/operator/catalog/:eventId', view, access: 'operator' },
    ];
    assert.equal(matchRoute(routes, '/operator/catalog/new')?.route.pattern, '/operator/catalog/new');
    assert.deepEqual(matchRoute(routes, '/operator/catalog/ev%201')?.params, { eventId: 'ev 1' });
    assert.equal(matchRoute(routes, '/nope'), undefined);
    const { path, query } = parseHash('#/pickup?date=2026-12-01');
    assert.equal(path, '/pickup');
    assert.equal(query.get('date'), '2026-12-01');
    assert.equal(parseHash('').path, '/');
  });

  it('only returns to in-app destinations after sign-in', () => {
    assert.equal(safeNext('#/reservations'), '#/reservations');
    assert.equal(safeNext('https://evil.example/'), '#/');
    assert.equal(safeNext('#/sign-in?next=x'), '#/');
    assert.equal(safeNext(null), '#/');
  });
});
