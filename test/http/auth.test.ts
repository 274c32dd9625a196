/** JWT attack suite against the Lambda's own verifier (each refused token → 401 UNAUTHENTICATED). */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, exportSPKI, SignJWT } from 'jose';
import { Unauthenticated } from '../../src/domain/errors.ts';
import { bearerToken, createJwtVerifier } from '../../src/http/auth.ts';
import {
  apiEvent,
  CLIENT_ID,
  createHarness,
  ISSUER,
  mintToken,
  PRIVATE_KEY,
  PUBLIC_JWK,
  PUBLIC_KEY,
} from '../helpers/api-harness.ts';

const verifier = createJwtVerifier({
  issuer: ISSUER,
  clientId: CLIENT_ID,
  keys: createLocalJWKSet({ keys: [PUBLIC_JWK] }),
});
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

async function refused(token: string): Promise<void> {
  await assert.rejects(verifier.verify(token), (e) => e instanceof Unauthenticated);
}

describe('access-token verification', () => {
  it('accepts a valid access token and reads sub and groups', async () => {
    const caller = await verifier.verify(await mintToken({ sub: 'u1', groups: ['operators', 'shoppers'] }));
    assert.deepEqual(caller, { userId: 'u1', groups: ['operators', 'shoppers'], isOperator: true });
    const shopper = await verifier.verify(
      await mintToken({ sub: 'u2', claims: { 'cognito:groups': undefined } }),
    );
    assert.deepEqual(shopper.groups, []);
    assert.equal(shopper.isOperator, false);
  });

  it('reads groups from an array only: a string, nested or non-string claim makes no operator', async () => {
    for (const groups of [
      'operators',
      '[operators]',
      'operators,shoppers',
      [['operators']],
      [{ name: 'operators' }],
      [' operators'],
      ['Operators'],
    ]) {
      const caller = await verifier.verify(
        await mintToken({ sub: 'u3', claims: { 'cognito:groups': groups } }),
      );
      assert.equal(caller.isOperator, false, JSON.stringify(groups));
    }
  });

  it('refuses alg none', async () => {
    const payload = { sub: 'u', iss: ISSUER, client_id: CLIENT_ID, token_use: 'access', exp: now() + 600 };
    await refused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`);
  });

  it('refuses HS256 signed with the RSA public key', async () => {
    const pem = new TextEncoder().encode(await exportSPKI(PUBLIC_KEY));
    const token = await new SignJWT({ token_use: 'access', client_id: CLIENT_ID })
      .setProtectedHeader({ alg: 'HS256', kid: 'test-key' })
      .setSubject('u')
      .setIssuer(ISSUER)
      .setExpirationTime(now() + 600)
      .sign(pem);
    await refused(token);
  });

  it('refuses expired tokens beyond the skew, and accepts within 60 s of it', async () => {
    await refused(await mintToken({ sub: 'u', expiresInSeconds: -120 }));
    await verifier.verify(await mintToken({ sub: 'u', expiresInSeconds: -30 }));
  });

  it('refuses nbf in the future', async () => {
    await refused(await mintToken({ sub: 'u', claims: { nbf: now() + 600 } }));
  });

  it('refuses iat in the future beyond the skew, missing, or older than a day; accepts it within the skew', async () => {
    const signed = (iat: number | undefined) => {
      const jwt = new SignJWT({ token_use: 'access', client_id: CLIENT_ID })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setSubject('u')
        .setIssuer(ISSUER)
        .setExpirationTime(now() + 2 * 86_400);
      if (iat !== undefined) jwt.setIssuedAt(iat);
      return jwt.sign(PRIVATE_KEY);
    };
    await refused(await signed(now() + 86_400));
    await refused(await signed(now() + 120));
    await refused(await signed(undefined));
    await refused(await signed(now() - 86_400 - 120));
    await verifier.verify(await signed(now() + 30));
    await verifier.verify(await signed(now() - 3_600));
  });

  it('refuses a wrong issuer, client, token use, a missing sub or exp', async () => {
    const wrongIssuer = await new SignJWT({ token_use: 'access', client_id: CLIENT_ID })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setSubject('u')
      .setIssuer(`${ISSUER}x`)
      .setExpirationTime(now() + 600)
      .sign(PRIVATE_KEY);
    await refused(wrongIssuer);
    await refused(await mintToken({ sub: 'u', claims: { client_id: 'other-client' } }));
    await refused(await mintToken({ sub: 'u', claims: { token_use: 'id', aud: CLIENT_ID } }));
    await refused(await mintToken({ sub: undefined }));
    const noExp = await new SignJWT({ token_use: 'access', client_id: CLIENT_ID })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setSubject('u')
      .setIssuer(ISSUER)
      .sign(PRIVATE_KEY);
    await refused(noExp);
  });

  it('refuses malformed header, payload and signature encodings and a tampered payload', async () => {
    const [h, p, s] = (await mintToken({ sub: 'u' })).split('.');
    await refused(`!!.${p}.${s}`);
    await refused(`${h}.%%%.${s}`);
    await refused(`${h}.${p}.***`);
    await refused(
      `${h}.${b64({ sub: 'admin', iss: ISSUER, client_id: CLIENT_ID, token_use: 'access', exp: now() + 60 })}.${s}`,
    );
    await refused('not-a-jwt');
    await refused('a'.repeat(10_000));
  });

  it('parses only Bearer authorization headers', () => {
    assert.equal(bearerToken(undefined), undefined);
    assert.equal(bearerToken('Bearer abc.def.ghi'), 'abc.def.ghi');
    assert.equal(bearerToken('bearer abc.def.ghi'), 'abc.def.ghi');
    assert.throws(() => bearerToken('Basic dXNlcjpwYXNz'), Unauthenticated);
    assert.throws(() => bearerToken('Bearer'), Unauthenticated);
    assert.throws(() => bearerToken('Bearer a b'), Unauthenticated);
  });
});

describe('unknown kid flood against a remote JWKS', () => {
  let fetches = 0;
  const server = createServer((_req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [PUBLIC_JWK] }));
  });
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  after(() => server.close());

  it('refetches the keys at most once per cooldown', async () => {
    const remote = createJwtVerifier({
      issuer: ISSUER,
      clientId: CLIENT_ID,
      jwksUrl: url,
      cooldownMs: 60_000,
    });
    await remote.verify(await mintToken({ sub: 'u' }));
    assert.equal(fetches, 1);
    const flood = await Promise.all(
      Array.from({ length: 50 }, (_, i) => mintToken({ sub: 'u', kid: `unknown-${i}` })),
    );
    for (const token of flood) await assert.rejects(remote.verify(token), Unauthenticated);
    assert.ok(fetches <= 2, `fetched the JWKS ${fetches} times`);
    await remote.verify(await mintToken({ sub: 'u' }));
  });
});

describe('the API refuses bad tokens with 401 in the error shape', () => {
  it('on protected routes, even when API Gateway claims are present', async () => {
    const h = await createHarness();
    const event = apiEvent('GET', '/me/reservations');
    (event.requestContext as unknown as Record<string, unknown>).authorizer = {
      jwt: { claims: { sub: 'user-alice', 'cognito:groups': '[operators]' }, scopes: [] },
    };
    const res = (await h.api(event)) as { statusCode: number; body: string };
    assert.equal(res.statusCode, 401);
    assert.equal(JSON.parse(res.body).error.code, 'UNAUTHENTICATED');
    const expired = await h.call('GET', '/me/reservations', {
      token: await mintToken({ sub: 'u', expiresInSeconds: -600 }),
    });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, 'UNAUTHENTICATED');
    assert.ok(expired.body.error.requestId);
    assert.doesNotMatch(JSON.stringify(expired.body), /ERR_|JWT|jose|stack/i);
    const basic = await h.call('GET', '/me/reservations', { headers: { authorization: 'Basic abc' } });
    assert.equal(basic.status, 401);
  });

  it('serves public routes anonymously even with a bad token', async () => {
    const h = await createHarness();
    const res = await h.call('GET', '/health', { token: 'garbage.token.here' });
    assert.equal(res.status, 200);
    const basic = await h.call('GET', '/venues/flagship-001/events', {
      headers: { authorization: 'Basic abc' },
    });
    assert.equal(basic.status, 200);
  });
});
