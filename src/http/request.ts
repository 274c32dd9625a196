/**
 * Request parsing shared by every route: the body (16 KiB cap, JSON only), the query string
 * (known parameters only), page requests (`limit` 1–100, opaque `cursor`) and headers.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PayloadTooLarge, ValidationFailed } from '../domain/errors.ts';
import type { PageRequest } from '../domain/model.ts';
import { parseWith, type Schema, str } from './validate.ts';

export const MAX_BODY_BYTES = 16 * 1024;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
const CURSOR = /^[A-Za-z0-9_-]+$/;
const MAX_CURSOR_LENGTH = 2048;

/** A header, case-insensitively (API Gateway lowercases them; tests and tools may not). */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** The JSON body, or `undefined` when there is none. Over 16 KiB → 413; not JSON → 400. */
export function readBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) throw new PayloadTooLarge();
  const type = header(event, 'content-type');
  if (type !== undefined && !/^application\/(?:[\w.+-]+\+)?json\s*(;.*)?$/i.test(type.trim())) {
    throw ValidationFailed.at('content-type', 'the body must be application/json');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw ValidationFailed.at('(body)', 'the body is not valid JSON');
  }
}

/** Validates the body against the route's schema (an absent body counts as `{}`; JSON `null` is no object). */
export function parseBody<T>(event: APIGatewayProxyEventV2, schema: Schema): T {
  const body = readBody(event);
  return parseWith<T>(schema, body === undefined ? {} : body);
}

const LIMIT = /^\d{1,3}$/;

/** `limit` and `cursor` from the query string, validated. */
export function parsePage(query: Record<string, string | undefined>): PageRequest {
  const rawLimit = query.limit;
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== undefined) {
    limit = LIMIT.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) {
      throw ValidationFailed.at('limit', `must be an integer from 1 to ${MAX_LIMIT}`);
    }
  }
  const cursor = query.cursor;
  if (cursor === undefined) return { limit };
  if (cursor.length > MAX_CURSOR_LENGTH || !CURSOR.test(cursor)) {
    throw ValidationFailed.at('cursor', 'cursor is not valid');
  }
  return { limit, cursor };
}

/**
 * The query parameters, each checked against its schema; unknown ones are refused so that a
 * misspelt filter is not silently ignored. `limit` and `cursor` are allowed where `paged`.
 */
export function parseQuery<T>(
  event: APIGatewayProxyEventV2,
  properties: Record<string, Schema>,
  options: { required?: string[]; paged?: boolean } = {},
): T {
  const query: Record<string, string | undefined> = { ...(event.queryStringParameters ?? {}) };
  const all: Record<string, Schema> = { ...properties };
  if (options.paged) {
    all.limit = str(8, { minLength: 0 });
    all.cursor = str(MAX_CURSOR_LENGTH, { minLength: 0 });
  }
  return parseWith<T>({ type: 'object', properties: all, required: options.required ?? [] }, query);
}
