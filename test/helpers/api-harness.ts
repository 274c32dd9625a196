/**
 * Builds the venue-api over in-memory fakes (or any stores), with a test RSA key standing in
 * for Cognito, and calls it with API Gateway HTTP API payload-2.0 events shaped like the ones
 * API Gateway sends (routeKey, path parameters, JWT claims).
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { RulesDocument } from '../../src/domain/rules.ts';
import { createVenueApi } from '../../src/http/app.ts';
import { createJwtVerifier } from '../../src/http/auth.ts';
import { ROUTES, routeKey } from '../../src/http/routes.ts';
import { createLogger } from '../../src/observability/log.ts';
import type { Stores } from '../../src/services/context.ts';
import { demoRules } from '../fakes/demo-rules.ts';
import { createMemoryStores, FakeClock, FakePublisher, FakeRulesProvider } from '../fakes/index.ts';
import { assertDocumentedResponse } from './openapi.ts';

export const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test';
export const CLIENT_ID = 'test-app-client';

const keys = await generateKeyPair('RS256', { extractable: true });
export const PUBLIC_JWK: JWK = {
  ...(await exportJWK(keys.publicKey)),
  kid: 'test-key',
  alg: 'RS256',
  use: 'sig',
};
export const PRIVATE_KEY = keys.privateKey;
export const PUBLIC_KEY = keys.publicKey;

export interface TokenOptions {
  sub?: string | undefined;
  groups?: string[];
  claims?: Record<string, unknown>;
  expiresInSeconds?: number;
  kid?: string;
}

/** A Cognito-shaped access token signed with the test key. */
export async function mintToken(options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    token_use: 'access',
    client_id: CLIENT_ID,
    scope: 'openid',
    'cognito:groups': options.groups ?? ['shoppers'],
    ...options.claims,
  };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'test-key' })
    .setIssuer(ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 3600));
  if (options.sub !== undefined) jwt.setSubject(options.sub);
  return jwt.sign(PRIVATE_KEY);
}

export const USERS = {
  alice: { sub: 'user-alice', groups: ['shoppers'] },
  bob: { sub: 'user-bob', groups: ['shoppers'] },
  olivia: { sub: 'user-olivia', groups: ['operators'] },
} as const;

export type UserName = keyof typeof USERS;

export interface CallOptions {
  as?: UserName;
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary JSON bodies
  body: any;
  headers: Record<string, string>;
}

/** An HTTP API payload 2.0 event for `METHOD /path?query`, as API Gateway would build it. */
export function apiEvent(method: string, target: string, options: CallOptions & { token?: string } = {}) {
  const url = new URL(target, 'http://localhost');
  const route = ROUTES.find((r) => {
    if (r.method !== method) return false;
    const pattern = new RegExp(`^${r.path.replace(/\{\w+\}/g, '([^/]+)')}$`);
    return pattern.test(url.pathname);
  });
  const pathParameters: Record<string, string> = {};
  if (route) {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
    const values = new RegExp(`^${route.path.replace(/\{\w+\}/g, '([^/]+)')}$`).exec(url.pathname) ?? [];
    names.forEach((n, i) => {
      pathParameters[n] = decodeURIComponent(values[i + 1] ?? '');
    });
  }
  const query = Object.fromEntries(url.searchParams.entries());
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  return {
    version: '2.0',
    routeKey: route ? routeKey(route) : '$default',
    rawPath: url.pathname,
    rawQueryString: url.searchParams.toString(),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      // hex only: words like "kid" or "jose" never appear in an id by chance
      requestId: `req-${randomUUID()}`,
      routeKey: route ? routeKey(route) : '$default',
      stage: '$default',
      time: '',
      timeEpoch: Date.now(),
    },
    ...(body !== undefined ? { body, isBase64Encoded: false } : { isBase64Encoded: false }),
  } as unknown as APIGatewayProxyEventV2;
}

export interface HarnessOptions {
  stores?: Stores;
  rules?: RulesDocument;
  now?: string;
  logLines?: string[];
}

export async function createHarness(options: HarnessOptions = {}) {
  const memory = createMemoryStores();
  const stores = options.stores ?? memory;
  const clock = new FakeClock(new Date(options.now ?? '2026-12-01T15:00:00.000Z'));
  const rules = new FakeRulesProvider(options.rules ?? demoRules());
  const publisher = new FakePublisher();
  const lines = options.logLines ?? [];
  const logger = createLogger('venue-api', { level: 'debug', sink: (l) => lines.push(l) });
  const verifier = createJwtVerifier({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    keys: createLocalJWKSet({ keys: [PUBLIC_JWK] }),
  });
  const api = createVenueApi({
    stores,
    rules,
    publisher,
    verifier,
    clock,
    logger,
    metricsSink: (l) => lines.push(l),
  });
  const tokens = new Map<UserName, string>();
  async function call(method: string, target: string, opts: CallOptions = {}): Promise<Reply> {
    let token = opts.token;
    if (token === undefined && opts.as) {
      if (!tokens.has(opts.as))
        tokens.set(opts.as, await mintToken({ ...USERS[opts.as], groups: [...USERS[opts.as].groups] }));
      token = tokens.get(opts.as);
    }
    const event = apiEvent(method, target, { ...opts, ...(token ? { token } : {}) });
    const result = (await api(event)) as APIGatewayProxyStructuredResultV2;
    const reply = {
      status: result.statusCode ?? 0,
      body: result.body ? JSON.parse(result.body) : undefined,
      headers: (result.headers ?? {}) as Record<string, string>,
    };
    // every response of every route test must match openapi.yaml
    if (event.routeKey !== '$default') assertDocumentedResponse(event.routeKey, reply.status, reply.body);
    return reply;
  }
  return { api, call, stores, memory, clock, rules, publisher, lines };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

/** Creates a published event through the API (as the operator) and returns it. */
export async function createEvent(h: Harness, overrides: Record<string, unknown> = {}) {
  const res = await h.call('POST', '/venues/flagship-001/events', {
    as: 'olivia',
    body: {
      kind: 'event',
      title: 'Sneaker launch',
      capacity: 10,
      startsAt: '2026-12-02T15:00:00.000Z',
      endsAt: '2026-12-02T17:00:00.000Z',
      ...overrides,
    },
  });
  if (res.status !== 201) throw new Error(`createEvent: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.event;
}
