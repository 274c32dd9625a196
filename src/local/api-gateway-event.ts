/**
 * Conversion between plain HTTP and the API Gateway HTTP API payload format 2.0: an incoming
 * request becomes the event API Gateway would hand to the Lambda (after its JWT authorizer),
 * and the Lambda's result becomes the HTTP response API Gateway would send.
 * Reference: "Working with AWS Lambda proxy integrations for HTTP APIs" (payload 2.0).
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { VerifiedToken } from './cognito-issuer.ts';
import type { RouteMatch } from './http-api-routes.ts';

export interface IncomingRequest {
  method: string;
  /** path and query as received, e.g. `/venues/v1/events?kind=event` */
  url: string;
  /** raw header pairs (name, value, name, value, …) as node:http gives them */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
}

export interface OutgoingResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

/** `26/Nov/2026:01:02:03 +0000`, the format of `requestContext.time`. */
function requestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(
    date.getUTCHours(),
  )}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** An id shaped like API Gateway's (`JKJaXmPLvHcESHA=`). */
export function newRequestId(): string {
  return randomBytes(10).toString('base64');
}

/**
 * Claims as the HTTP API JWT authorizer passes them: every value a string, lists rendered
 * `[a b]`, numbers in decimal (so `cognito:groups` arrives as `"[operators shoppers]"`).
 */
export function flattenClaims(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (Array.isArray(value)) out[name] = `[${value.map(String).join(' ')}]`;
    else if (value !== null && typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}

/** Lower-cased headers, repeated ones joined with commas, cookies split out. */
function collectHeaders(rawHeaders: string[]): { headers: Record<string, string>; cookies: string[] } {
  // a Map, not an object literal: `__proto__` or `constructor` are names a client may send,
  // and the event must carry them as the own properties API Gateway's JSON gives the Lambda
  const headers = new Map<string, string>();
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    const before = headers.get(name);
    headers.set(name, before === undefined ? value : `${before},${value}`);
  }
  return { headers: Object.fromEntries(headers), cookies };
}

/** Query parameters, repeated ones joined with commas (as payload 2.0 does). */
function queryParameters(rawQuery: string): Record<string, string> | undefined {
  if (rawQuery === '') return undefined;
  const params = new Map<string, string>(); // as for headers: any name is an own property
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    const before = params.get(name);
    params.set(name, before === undefined ? value : `${before},${value}`);
  }
  return Object.fromEntries(params);
}

/** The payload-2.0 event for a request matched to a route (and authorized, if protected). */
export function toHttpApiEvent(
  request: IncomingRequest,
  match: RouteMatch,
  token: VerifiedToken | undefined,
  now = new Date(),
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const queryAt = request.url.indexOf('?');
  const rawPath = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
  const rawQueryString = queryAt < 0 ? '' : request.url.slice(queryAt + 1);
  const { headers, cookies } = collectHeaders(request.rawHeaders);
  const contentType = headers['content-type'] ?? '';
  const hasBody = request.body.length > 0;
  const isBase64Encoded = hasBody && contentType !== '' && !TEXT_TYPES.test(contentType);
  const query = queryParameters(rawQueryString);
  const host = headers.host ?? 'localhost';
  const event = {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(Object.keys(match.pathParameters).length > 0 ? { pathParameters: match.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      ...(token
        ? {
            authorizer: {
              principalId: '',
              integrationLatency: 0,
              jwt: { claims: flattenClaims(token.claims), scopes: token.scopes },
            },
          }
        : {}),
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: request.method.toUpperCase(),
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: newRequestId(),
      routeKey: match.route.routeKey,
      stage: '$default',
      time: requestTime(now),
      timeEpoch: now.getTime(),
    },
    ...(hasBody
      ? { body: isBase64Encoded ? request.body.toString('base64') : request.body.toString('utf8') }
      : {}),
    isBase64Encoded,
  };
  return event as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/**
 * The HTTP response for a Lambda result. A result without `statusCode` is, as API Gateway
 * assumes for payload 2.0, a JSON body with status 200.
 */
export function fromHttpApiResult(result: APIGatewayProxyResultV2 | undefined): OutgoingResponse {
  if (result === undefined || result === null) {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('') };
  }
  if (typeof result === 'string' || typeof result !== 'object' || !('statusCode' in result)) {
    const text = typeof result === 'string' ? result : JSON.stringify(result);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(text) };
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  const raw = result.body ?? '';
  const body = result.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (!headers['content-type'] && body.length > 0) headers['content-type'] = 'application/json';
  return { status: result.statusCode ?? 200, headers, body };
}
