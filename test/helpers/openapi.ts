/**
 * openapi.yaml as test data: its operations (to keep them in step with the router) and a
 * response validator (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses) that every route test runs
 * on every response it gets.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is walked as plain data
export const OPENAPI: any = parse(readFileSync(resolve(ROOT, 'openapi.yaml'), 'utf8'));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** `GET /events/{eventId}`-style keys of every operation. */
export function openApiRouteKeys(): string[] {
  return Object.entries(OPENAPI.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(OPENAPI, 'openapi.json');
const compiled = new Map<string, ValidateFunction>();

function pointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** Throws when `body` does not match the documented response of that route and status. */
export function assertDocumentedResponse(routeKey: string, status: number, body: unknown): void {
  const [method = '', path = ''] = routeKey.split(' ');
  const operation = OPENAPI.paths[path]?.[method.toLowerCase()];
  const response = operation?.responses?.[String(status)];
  if (!response) throw new Error(`${routeKey} → ${status} is not documented in openapi.yaml`);
  let location = `#/${pointer('paths', path, method.toLowerCase(), 'responses', String(status))}`;
  if (response.$ref) location = response.$ref;
  const resolved = location
    .slice(2)
    .split('/')
    .reduce((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], OPENAPI);
  if (!resolved?.content) {
    if (body !== undefined) throw new Error(`${routeKey} → ${status} documents no body`);
    return;
  }
  const ref = `openapi.json${location}/content/application~1json/schema`;
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    compiled.set(ref, validate);
  }
  if (!validate(body)) {
    throw new Error(`${routeKey} → ${status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
  }
}
