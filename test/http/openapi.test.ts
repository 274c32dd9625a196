/** openapi.yaml stays in step with the router (and template.yaml once it exists). */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROUTES, routeKey } from '../../src/http/routes.ts';
import { loadTemplate } from '../../src/local/cfn-template.ts';
import { assertDocumentedResponse, OPENAPI, openApiRouteKeys } from '../helpers/openapi.ts';

const TEMPLATE = resolve(import.meta.dirname, '../../template.yaml');

describe('openapi.yaml', () => {
  it('documents exactly the routes the router knows', () => {
    assert.deepEqual(openApiRouteKeys().sort(), ROUTES.map(routeKey).sort());
  });

  it('marks exactly the public routes as needing no token', () => {
    for (const route of ROUTES) {
      const [method = '', path = ''] = routeKey(route).split(' ');
      const op = OPENAPI.paths[path][method.toLowerCase()];
      const open = Array.isArray(op.security) && op.security.length === 0;
      assert.equal(open, route.access === 'public', routeKey(route));
      if (route.access !== 'public') assert.ok(op.responses['401'], `${routeKey(route)} documents 401`);
      if (route.access === 'operator') assert.ok(op.responses['403'], `${routeKey(route)} documents 403`);
    }
  });

  it('rejects responses that do not match (the validator is not a no-op)', () => {
    assert.throws(() => assertDocumentedResponse('GET /health', 200, { status: 'ok' }));
    assert.throws(() =>
      assertDocumentedResponse('GET /health', 200, { status: 'ok', configVersion: '1', extra: 1 }),
    );
    assert.throws(() => assertDocumentedResponse('GET /me/preferences', 418, {}));
    assert.throws(() =>
      assertDocumentedResponse('GET /events/{eventId}', 404, {
        error: { code: 'NOPE', message: '', requestId: '', details: [] },
      }),
    );
    assertDocumentedResponse('GET /health', 200, { status: 'ok', configVersion: '1' });
  });

  it('matches the HttpApi events of VenueApiFunction in template.yaml', {
    skip: !existsSync(TEMPLATE),
  }, () => {
    const template = loadTemplate(TEMPLATE);
    const fn = template.Resources.VenueApiFunction;
    assert.ok(fn, 'VenueApiFunction exists');
    const events = Object.values(
      (fn.Properties?.Events ?? {}) as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    ).filter((e) => e.Type === 'HttpApi');
    const keys = events.map(
      (e) => `${String(e.Properties.Method).toUpperCase()} ${String(e.Properties.Path)}`,
    );
    assert.deepEqual(keys.sort(), ROUTES.map(routeKey).sort());
    for (const e of events) {
      const key = `${String(e.Properties.Method).toUpperCase()} ${String(e.Properties.Path)}`;
      const route = ROUTES.find((r) => routeKey(r) === key);
      const auth = (e.Properties.Auth as { Authorizer?: string } | undefined)?.Authorizer;
      assert.equal(auth === 'NONE', route?.access === 'public', key);
    }
  });
});
