import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { flattenClaims, fromHttpApiResult, toHttpApiEvent } from '../../src/local/api-gateway-event.ts';
import { loadTemplate } from '../../src/local/cfn-template.ts';
import { HttpApiRouter, readHttpApiRoutes } from '../../src/local/http-api-routes.ts';

const template = loadTemplate(join(import.meta.dirname, 'fixtures/template.yaml'));

describe('HTTP API routes from the template', () => {
  const routes = readHttpApiRoutes(template);
  const router = new HttpApiRouter(routes);

  it('reads every HttpApi event with its auth', () => {
    const byKey = Object.fromEntries(routes.map((r) => [r.routeKey, r.protected]));
    assert.deepEqual(byKey, {
      'GET /health': false,
      'GET /venues/{venueId}/events': false,
      'POST /venues/{venueId}/events': true,
      'GET /me/reservations': true,
      'DELETE /reservations/{reservationId}': true,
      'ANY /files/{path+}': false,
    });
  });

  it('matches path templates and decodes parameters', () => {
    const match = router.match('GET', '/venues/flagship%2D001/events');
    assert.equal(match?.route.routeKey, 'GET /venues/{venueId}/events');
    assert.deepEqual(match?.pathParameters, { venueId: 'flagship-001' });
    assert.equal(router.match('POST', '/venues/v/events')?.route.protected, true);
  });

  it('answers nothing for an unknown path or method', () => {
    assert.equal(router.match('PUT', '/health'), undefined);
    assert.equal(router.match('GET', '/venues/v/events/extra'), undefined);
    assert.equal(router.match('GET', '/me'), undefined);
  });

  it('matches greedy parameters and ANY', () => {
    const match = router.match('PATCH', '/files/a/b/c.txt');
    assert.deepEqual(match?.pathParameters, { path: 'a/b/c.txt' });
    assert.equal(router.match('GET', '/files'), undefined);
  });

  it('refuses a template without the HTTP API', () => {
    assert.throws(() => readHttpApiRoutes({ Resources: {} }), /HttpApi/);
  });
});

describe('payload format 2.0 events', () => {
  const router = new HttpApiRouter(readHttpApiRoutes(template));
  const request = (over: Partial<Parameters<typeof toHttpApiEvent>[0]> = {}) => ({
    method: 'POST',
    url: '/venues/flagship-001/events?kind=event&tag=a&tag=b',
    rawHeaders: [
      'Content-Type',
      'application/json',
      'X-Multi',
      '1',
      'x-multi',
      '2',
      'Cookie',
      'a=1; b=2',
      'Host',
      'localhost:3000',
    ],
    body: Buffer.from('{"title":"x"}'),
    sourceIp: '127.0.0.1',
    ...over,
  });
  /** The event of a GET /health request with `over` (an open route: no authorizer). */
  const healthEvent = (over: Partial<Parameters<typeof toHttpApiEvent>[0]>) => {
    const match = router.match('GET', '/health');
    assert.ok(match);
    return toHttpApiEvent(request({ method: 'GET', url: '/health', ...over }), match, undefined);
  };

  it('builds the event API Gateway hands to the Lambda', () => {
    const match = router.match('POST', '/venues/flagship-001/events');
    assert.ok(match);
    const claims = {
      sub: 'u-1',
      'cognito:groups': ['operators', 'shoppers'],
      exp: 1700000000,
      token_use: 'access',
    };
    const event = toHttpApiEvent(
      request(),
      match,
      { claims, scopes: ['openid'] },
      new Date('2026-11-26T01:02:03Z'),
    );
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, 'POST /venues/{venueId}/events');
    assert.equal(event.rawPath, '/venues/flagship-001/events');
    assert.equal(event.rawQueryString, 'kind=event&tag=a&tag=b');
    assert.deepEqual(event.queryStringParameters, { kind: 'event', tag: 'a,b' });
    assert.deepEqual(event.pathParameters, { venueId: 'flagship-001' });
    assert.equal(event.headers['content-type'], 'application/json');
    assert.equal(event.headers['x-multi'], '1,2');
    assert.equal(event.headers.cookie, undefined);
    assert.deepEqual(event.cookies, ['a=1', 'b=2']);
    assert.equal(event.body, '{"title":"x"}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.requestContext.http.method, 'POST');
    assert.equal(event.requestContext.stage, '$default');
    assert.equal(event.requestContext.time, '26/Nov/2026:01:02:03 +0000');
    assert.equal(event.requestContext.timeEpoch, Date.parse('2026-11-26T01:02:03Z'));
    assert.match(event.requestContext.requestId, /^[A-Za-z0-9+/=]{8,}$/);
    assert.deepEqual(event.requestContext.authorizer.jwt, {
      claims: {
        sub: 'u-1',
        'cognito:groups': '[operators shoppers]',
        exp: '1700000000',
        token_use: 'access',
      },
      scopes: ['openid'],
    });
  });

  it('carries any parameter or header name as an own property, as API Gateway’s JSON does', () => {
    const event = healthEvent({
      url: '/health?constructor=1&__proto__=2&toString=3',
      rawHeaders: ['Constructor', 'a', '__proto__', 'b'],
    });
    const expected = JSON.parse('{"constructor":"1","__proto__":"2","toString":"3"}');
    assert.deepEqual(event.queryStringParameters, expected);
    assert.ok(Object.hasOwn(event.queryStringParameters ?? {}, '__proto__'));
    assert.equal(event.headers.constructor, 'a');
    assert.ok(Object.hasOwn(event.headers, '__proto__'));
  });

  it('base64-encodes binary bodies and leaves out what is absent', () => {
    const binary = healthEvent({ rawHeaders: ['content-type', 'image/png'], body: Buffer.from([0, 255]) });
    assert.equal(binary.isBase64Encoded, true);
    assert.equal(binary.body, Buffer.from([0, 255]).toString('base64'));
    assert.equal(binary.queryStringParameters, undefined);
    assert.equal(binary.pathParameters, undefined);
    assert.equal((binary.requestContext as { authorizer?: unknown }).authorizer, undefined);
    const empty = healthEvent({ rawHeaders: [], body: Buffer.alloc(0) });
    assert.equal(empty.body, undefined);
    assert.equal(empty.isBase64Encoded, false);
  });

  it('flattens claims as the JWT authorizer does', () => {
    assert.deepEqual(flattenClaims({ a: ['x'], b: 2, c: true, d: { e: 1 } }), {
      a: '[x]',
      b: '2',
      c: 'true',
      d: '{"e":1}',
    });
  });
});

describe('Lambda results to HTTP responses', () => {
  it('maps status, headers, cookies and base64 bodies', () => {
    const response = fromHttpApiResult({
      statusCode: 201,
      headers: { 'Content-Type': 'image/png', 'X-Id': 'r' },
      cookies: ['s=1; HttpOnly', 't=2'],
      body: Buffer.from([1, 2, 3]).toString('base64'),
      isBase64Encoded: true,
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers['content-type'], 'image/png');
    assert.equal(response.headers['x-id'], 'r');
    assert.deepEqual(response.headers['set-cookie'], ['s=1; HttpOnly', 't=2']);
    assert.deepEqual([...response.body], [1, 2, 3]);
  });

  it('treats a result without statusCode as a 200 JSON body', () => {
    const response = fromHttpApiResult({ ok: true } as never);
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(response.body.toString()), { ok: true });
    assert.equal(fromHttpApiResult('plain').body.toString(), 'plain');
  });

  it('keeps a 204 without a body', () => {
    const response = fromHttpApiResult({ statusCode: 204 });
    assert.equal(response.status, 204);
    assert.equal(response.body.length, 0);
  });
});
