import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { ValidationFailed } from '../../src/domain/errors.ts';
import { LocalIssuer, parseTokenRequest, subjectFor } from '../../src/local/cognito-issuer.ts';

const ISSUER = 'http://127.0.0.1:3999/local/cognito';
const issuer = await LocalIssuer.create(ISSUER, 'local-site');
const request = (over: Partial<Parameters<LocalIssuer['mint']>[0]> = {}) => ({
  username: 'alice',
  groups: ['shoppers'],
  expiresIn: 3600,
  tokenUse: 'access' as const,
  clientId: 'local-site',
  ...over,
});

describe('local Cognito issuer', () => {
  it('mints Cognito-shaped access tokens', async () => {
    const now = new Date('2026-11-26T00:00:00Z');
    const minted = await issuer.mint(request(), now);
    assert.equal(minted.token_type, 'Bearer');
    assert.equal(minted.expires_in, 3600);
    const claims = decodeJwt(minted.access_token);
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.sub, subjectFor('alice'));
    assert.equal(claims.client_id, 'local-site');
    assert.equal(claims.token_use, 'access');
    assert.equal(claims.username, 'alice');
    assert.deepEqual(claims['cognito:groups'], ['shoppers']);
    assert.equal(claims.iat, now.getTime() / 1000);
    assert.equal(claims.auth_time, now.getTime() / 1000);
    assert.equal(claims.exp, now.getTime() / 1000 + 3600);
    assert.equal(typeof claims.jti, 'string');
    assert.equal(typeof claims.scope, 'string');
    assert.equal(claims.aud, undefined);
    const header = decodeProtectedHeader(minted.access_token);
    assert.equal(header.alg, 'RS256');
    assert.equal(header.kid, issuer.jwks().keys[0]?.kid);
  });

  it('gives the same username the same uuid sub, and others another', () => {
    assert.equal(subjectFor('alice'), subjectFor('alice'));
    assert.notEqual(subjectFor('alice'), subjectFor('bob'));
    assert.match(
      subjectFor('alice'),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('publishes only the public key', () => {
    const [key] = issuer.jwks().keys;
    assert.equal(key?.kty, 'RSA');
    assert.equal(key?.alg, 'RS256');
    assert.equal((key as { d?: string }).d, undefined);
  });

  it('authorizes like the API Gateway JWT authorizer', async () => {
    const good = (await issuer.mint(request())).access_token;
    const verified = await issuer.authorize(`Bearer ${good}`);
    assert.equal(verified?.claims.sub, subjectFor('alice'));
    assert.deepEqual(verified?.scopes, ['openid', 'profile', 'email']);
    // ID tokens carry aud = client id: the authorizer lets them through (the Lambda refuses them).
    const id = (await issuer.mint(request({ tokenUse: 'id' }))).access_token;
    assert.equal(decodeJwt(id).aud, 'local-site');
    assert.ok(await issuer.authorize(`Bearer ${id}`));
  });

  it('refuses expired, foreign-client, foreign-key, alg-none and malformed tokens', async () => {
    const expired = (await issuer.mint(request({ expiresIn: -60 }))).access_token;
    const otherClient = (await issuer.mint(request({ clientId: 'someone-else' }))).access_token;
    const other = await LocalIssuer.create(ISSUER, 'local-site');
    const foreignKey = (await other.mint(request())).access_token;
    const payload = decodeJwt(foreignKey);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
    const hs256 = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', kid: issuer.jwks().keys[0]?.kid as string })
      .sign(new TextEncoder().encode(JSON.stringify(issuer.jwks().keys[0])));
    for (const header of [
      undefined,
      '',
      'Bearer',
      `Basic ${expired}`,
      `Bearer ${expired}`,
      `Bearer ${otherClient}`,
      `Bearer ${foreignKey}`,
      `Bearer ${none}`,
      `Bearer ${hs256}`,
      'Bearer not.a.token',
    ]) {
      assert.equal(await issuer.authorize(header), undefined, String(header).slice(0, 30));
    }
  });

  it('refuses a token from another issuer URL', async () => {
    const elsewhere = await LocalIssuer.create('http://127.0.0.1:1/local/cognito', 'local-site');
    const token = (await elsewhere.mint(request())).access_token;
    assert.equal(
      await elsewhere.authorize(`Bearer ${token}`).then((v) => v?.claims.iss),
      'http://127.0.0.1:1/local/cognito',
    );
    assert.equal(await issuer.authorize(`Bearer ${token}`), undefined);
  });
});

describe('token request bodies', () => {
  it('fills defaults', () => {
    assert.deepEqual(parseTokenRequest({ username: 'bob' }, 'local-site'), {
      username: 'bob',
      groups: [],
      expiresIn: 3600,
      tokenUse: 'access',
      clientId: 'local-site',
    });
  });

  const bad: Array<[string, unknown, string]> = [
    ['not an object', [], ''],
    ['no username', { groups: [] }, '/username'],
    ['empty username', { username: '' }, '/username'],
    ['groups not a list', { username: 'a', groups: 'operators' }, '/groups'],
    ['group not a string', { username: 'a', groups: [1] }, '/groups'],
    ['fractional expiry', { username: 'a', expiresIn: 1.5 }, '/expiresIn'],
    ['expiry too long', { username: 'a', expiresIn: 10 ** 7 }, '/expiresIn'],
    ['unknown tokenUse', { username: 'a', tokenUse: 'refresh' }, '/tokenUse'],
    ['bad clientId', { username: 'a', clientId: 'a b' }, '/clientId'],
    ['unknown field', { username: 'a', admin: true }, '/admin'],
  ];
  for (const [description, body, path] of bad) {
    it(`refuses ${description}`, () => {
      assert.throws(
        () => parseTokenRequest(body, 'local-site'),
        (error: unknown) => error instanceof ValidationFailed && error.details.some((d) => d.path === path),
      );
    });
  }
});
