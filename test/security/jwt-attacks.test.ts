/**
 * The JWT attack suite, end to end through `createVenueApi`: the verifier fetches its keys over
 * HTTP from a JWKS server on 127.0.0.1 (as the Lambda fetches Cognito's), and every forged,
 * stale or misdirected token must come back 401 UNAUTHENTICATED in the documented error shape
 * on shopper, operator and write routes alike. test/http/auth.test.ts covers the verifier on
 * its own; this suite adds the HTTP key source, the attacks that need one (`jku`, embedded
 * `jwk`, foreign keys under a known `kid`, algorithm swaps) and the refetch budget as measured
 * at the key server through the API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { createVenueApi, type VenueApi } from '../../src/http/app.ts';
import { createJwtVerifier } from '../../src/http/auth.ts';
import { createLogger } from '../../src/observability/log.ts';
import { demoRules } from '../fakes/demo-rules.ts';
import { createMemoryStores, FakeClock, FakePublisher, FakeRulesProvider } from '../fakes/index.ts';
import { apiEvent } from '../helpers/api-harness.ts';
import { type JwksServer, startJwksServer } from './jwks-server.ts';

const CLIENT_ID = 'venue-site';
const KID = 'pool-key-1';
const PROTECTED: Array<[method: string, path: string, body?: unknown]> = [
  ['GET', '/me/reservations'],
  ['GET', '/venues/flagship-001/queue'],
  ['POST', '/events/evt-1/reservations', { partySize: 1 }],
];

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface Keys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function rsaKeys(kid: string, alg = 'RS256'): Promise<Keys> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

let pool: Keys;
let attacker: Keys;
let jwks: JwksServer;
let issuer: string;

interface Mint {
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  key?: CryptoKey | Uint8Array;
  expiresIn?: number;
  issuer?: string;
  sub?: string | null;
}

/** A Cognito-shaped access token; every part can be bent for an attack. */
async function mint(options: Mint = {}): Promise<string> {
  const iat = nowSeconds();
  const claims: JWTPayload = {
    token_use: 'access',
    client_id: CLIENT_ID,
    scope: 'openid',
    'cognito:groups': ['operators'],
    ...options.claims,
  };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT', ...options.header } as { alg: string })
    .setIssuer(options.issuer ?? issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.expiresIn ?? 600));
  if (options.sub !== null) jwt.setSubject(options.sub ?? 'user-mallory');
  return jwt.sign(options.key ?? pool.privateKey);
}

function buildApi(cooldownMs = 30_000): VenueApi {
  return createVenueApi({
    stores: createMemoryStores(),
    rules: new FakeRulesProvider(demoRules()),
    publisher: new FakePublisher(),
    verifier: createJwtVerifier({ issuer, clientId: CLIENT_ID, jwksUrl: jwks.url, cooldownMs }),
    clock: new FakeClock(new Date()),
    logger: createLogger('venue-api', { level: 'error', sink: () => undefined }),
    metricsSink: () => undefined,
  });
}

async function send(api: VenueApi, method: string, path: string, token: string, body?: unknown) {
  const event = apiEvent(method, path, {
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body }),
  });
  const res = (await api(event)) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

/** The token is refused with 401 UNAUTHENTICATED on every protected route, leaking no reason. */
async function refusedEverywhere(api: VenueApi, token: string): Promise<void> {
  for (const [method, path, body] of PROTECTED) {
    const res = await send(api, method, path, token, body);
    assert.equal(res.status, 401, `${method} ${path} answered ${res.status}`);
    assert.equal(res.body.error.code, 'UNAUTHENTICATED');
    assert.equal(typeof res.body.error.requestId, 'string');
    assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'details', 'message', 'requestId']);
    assert.doesNotMatch(JSON.stringify(res.body), /jose|ERR_JW|stack|signature|JWKS|kid/i);
  }
}

before(async () => {
  pool = await rsaKeys(KID);
  attacker = await rsaKeys(KID);
  jwks = await startJwksServer((): JSONWebKeySet => ({ keys: [pool.jwk] }));
  issuer = jwks.issuer;
});
after(() => jwks.close());

describe('JWT attacks through the API (keys fetched over HTTP)', () => {
  let api: VenueApi;
  before(() => {
    api = buildApi();
  });

  it('serves a genuine operator token on every protected route (the control)', async () => {
    const token = await mint();
    for (const [method, path, body] of PROTECTED) {
      const res = await send(api, method, path, token, body);
      assert.notEqual(res.status, 401, `${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.notEqual(res.status, 403);
    }
  });

  it('refuses alg none, with and without a signature part', async () => {
    const header = { alg: 'none', typ: 'JWT' };
    const payload = {
      sub: 'user-mallory',
      iss: issuer,
      client_id: CLIENT_ID,
      token_use: 'access',
      'cognito:groups': ['operators'],
      exp: nowSeconds() + 600,
    };
    await refusedEverywhere(api, `${b64(header)}.${b64(payload)}.`);
    await refusedEverywhere(api, `${b64({ ...header, alg: 'None' })}.${b64(payload)}.`);
    const genuineSig = (await mint()).split('.')[2];
    await refusedEverywhere(api, `${b64(header)}.${b64(payload)}.${genuineSig}`);
  });

  it('refuses HS256 signed with the RSA public key (PEM and raw modulus)', async () => {
    const pem = new TextEncoder().encode(await exportSPKI(pool.publicKey));
    await refusedEverywhere(api, await mint({ header: { alg: 'HS256' }, key: pem }));
    const modulus = Buffer.from(pool.jwk.n ?? '', 'base64url');
    await refusedEverywhere(api, await mint({ header: { alg: 'HS256' }, key: modulus }));
  });

  it('refuses other RSA algorithms even when signed with the pool key', async () => {
    const pkcs8 = await exportPKCS8(pool.privateKey);
    for (const alg of ['PS256', 'RS512', 'RS384']) {
      const key = await importPKCS8(pkcs8, alg);
      await refusedEverywhere(api, await mint({ header: { alg }, key }));
    }
  });

  it('refuses a token signed by another key under the known kid', async () => {
    await refusedEverywhere(api, await mint({ key: attacker.privateKey }));
  });

  it('ignores keys the token brings along: embedded jwk, jku and x5u', async () => {
    const before = jwks.requests();
    await refusedEverywhere(api, await mint({ header: { jwk: attacker.jwk }, key: attacker.privateKey }));
    // the attacker's own JWKS server: the verifier must never ask it
    const rogue = await startJwksServer(() => ({ keys: [attacker.jwk] }));
    await refusedEverywhere(api, await mint({ header: { jku: rogue.url }, key: attacker.privateKey }));
    await refusedEverywhere(api, await mint({ header: { x5u: rogue.url }, key: attacker.privateKey }));
    assert.equal(rogue.requests(), 0, 'the verifier fetched keys from a URL the token named');
    await rogue.close();
    assert.ok(jwks.requests() - before <= 1);
  });

  it('refuses an unknown critical header, though genuinely signed', async () => {
    const header = { alg: 'RS256', kid: KID, typ: 'JWT', crit: ['x-attack'], 'x-attack': true };
    const payload = {
      sub: 'user-mallory',
      iss: issuer,
      client_id: CLIENT_ID,
      token_use: 'access',
      exp: nowSeconds() + 600,
    };
    const input = `${b64(header)}.${b64(payload)}`;
    const signature = await crypto.subtle.sign(
      'RSASSA-PKCS1-v1_5',
      pool.privateKey,
      new TextEncoder().encode(input),
    );
    await refusedEverywhere(api, `${input}.${Buffer.from(signature).toString('base64url')}`);
  });

  it('refuses expired tokens (beyond the 60 s skew) and tokens not yet valid', async () => {
    await refusedEverywhere(api, await mint({ expiresIn: -120 }));
    await refusedEverywhere(api, await mint({ claims: { nbf: nowSeconds() + 600 } }));
  });

  it('refuses a wrong issuer, even one that differs only by a path or a trailing slash', async () => {
    await refusedEverywhere(api, await mint({ issuer: 'https://cognito-idp.us-east-1.amazonaws.com/other' }));
    await refusedEverywhere(api, await mint({ issuer: `${issuer}/` }));
    await refusedEverywhere(api, await mint({ issuer: `${issuer}/pool` }));
  });

  it('refuses another client, a missing client_id, ID tokens and tokens without token_use', async () => {
    await refusedEverywhere(api, await mint({ claims: { client_id: 'another-app' } }));
    await refusedEverywhere(api, await mint({ claims: { client_id: undefined } }));
    await refusedEverywhere(
      api,
      await mint({ claims: { token_use: 'id', client_id: undefined, aud: CLIENT_ID } }),
    );
    await refusedEverywhere(api, await mint({ claims: { token_use: 'id' } }));
    await refusedEverywhere(api, await mint({ claims: { token_use: undefined } }));
  });

  it('refuses a missing or empty sub', async () => {
    await refusedEverywhere(api, await mint({ sub: null }));
    await refusedEverywhere(api, await mint({ sub: '' }));
  });

  it('refuses malformed header, payload and signature encodings', async () => {
    const [h, p, s] = (await mint()).split('.') as [string, string, string];
    const malformed = [
      `${h.slice(0, -2)}!!.${p}.${s}`,
      `${Buffer.from('{"alg":"RS256",').toString('base64url')}.${p}.${s}`,
      `${h}.${Buffer.from('not json').toString('base64url')}.${s}`,
      `${h}.${p}.${s.slice(0, -4)}****`,
      `${h}.${p}.${s}=`,
      `${h}.${p}`,
      `${h}.${p}.${s}.${s}`,
      `${h}..${s}`,
      `${b64(['RS256'])}.${p}.${s}`,
      `${h}.${b64('a string')}.${s}`,
    ];
    for (const token of malformed) await refusedEverywhere(api, token);
  });

  it('refuses a genuine token whose claims were edited (operator group added)', async () => {
    const [h, , s] = (await mint({ claims: { 'cognito:groups': ['shoppers'] } })).split('.');
    const edited = b64({
      sub: 'user-mallory',
      iss: issuer,
      client_id: CLIENT_ID,
      token_use: 'access',
      'cognito:groups': ['operators'],
      exp: nowSeconds() + 600,
    });
    await refusedEverywhere(api, `${h}.${edited}.${s}`);
  });
});

describe('unknown kid flood through the API', () => {
  it('refetches the JWKS at most once per cooldown, and keeps serving genuine tokens', async () => {
    const cooldownMs = 400;
    const api = buildApi(cooldownMs);
    const start = jwks.requests();
    assert.equal((await send(api, 'GET', '/me/reservations', await mint())).status, 200);
    assert.equal(jwks.requests() - start, 1, 'the first genuine token loads the keys once');

    const flood = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        mint({ header: { kid: `forged-${i}` }, key: attacker.privateKey }),
      ),
    );
    const first = await Promise.all(flood.map((t) => send(api, 'GET', '/me/reservations', t)));
    assert.ok(first.every((r) => r.status === 401));
    assert.ok(jwks.requests() - start <= 2, `JWKS fetched ${jwks.requests() - start} times`);

    await new Promise((resolve) => setTimeout(resolve, cooldownMs + 100));
    const afterCooldown = jwks.requests();
    const second = await Promise.all(flood.map((t) => send(api, 'GET', '/me/reservations', t)));
    assert.ok(second.every((r) => r.status === 401));
    assert.ok(jwks.requests() - afterCooldown <= 1, 'one cooldown, at most one refetch');

    assert.equal((await send(api, 'GET', '/me/reservations', await mint())).status, 200);
  });
});
