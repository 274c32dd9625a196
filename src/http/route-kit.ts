/**
 * The shapes of a route (who may call it, how it answers) and the small helpers the route
 * table shares: status replies, time normalization, the Idempotency-Key header.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationFailed } from '../domain/errors.ts';
import type { Caller, Page, PageRequest, Reservation } from '../domain/model.ts';
import type { Actor } from '../services/context.ts';
import { header, parsePage, parseQuery } from './request.ts';
import { idempotencyKey as idempotencyKeySchema } from './schemas.ts';
import { reservationOut } from './serialize.ts';
import type { Services } from './services.ts';
import { check } from './validate.ts';

/** public: no token; shopper: any valid token; operator: the `operators` group. */
export type Access = 'public' | 'shopper' | 'operator';

export interface RouteContext {
  event: APIGatewayProxyEventV2;
  params: Record<string, string>;
  /** the verified caller; always set on shopper and operator routes */
  caller: Caller | undefined;
  actor: Actor;
  services: Services;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** headers beyond the API's own (content type, `no-store`, request and correlation ids) */
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  access: Access;
  /** owner-or-operator routes: another shopper's object answers 404 */
  owned?: boolean;
  handle(ctx: RouteContext): Promise<Reply>;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });

/**
 * A reply that browsers and shared caches may keep for `seconds`: only for answers that are
 * the same for every caller and change by deployment alone (every other answer is `no-store`).
 */
export const cacheable = (reply: Reply, seconds: number): Reply => ({
  ...reply,
  headers: { ...reply.headers, 'cache-control': `public, max-age=${seconds}` },
});
export const created = (body: unknown): Reply => ({ status: 201, body });

/** Times arrive as ISO 8601 UTC in several precisions; they are stored in one form. */
export function normalizeTimes<T extends { startsAt?: string; endsAt?: string; from?: string; to?: string }>(
  value: T,
): T {
  const out = { ...value };
  for (const key of ['startsAt', 'endsAt', 'from', 'to'] as const) {
    const v = out[key];
    if (v !== undefined) out[key] = new Date(v).toISOString();
  }
  return out;
}

export function idempotencyKey(ctx: RouteContext): string | undefined {
  const key = header(ctx.event, 'idempotency-key');
  if (key === undefined) return undefined;
  const problems = check(idempotencyKeySchema, key, 'Idempotency-Key');
  if (problems.length > 0) throw new ValidationFailed(problems);
  return key;
}

export function query(ctx: RouteContext): Record<string, string | undefined> {
  return ctx.event.queryStringParameters ?? {};
}

/**
 * A list without filters: the query takes `limit` and `cursor` only (anything else is a 400),
 * and the page's items are answered in their public shape.
 */
export async function pagedList<T>(
  ctx: RouteContext,
  list: (page: PageRequest) => Promise<Page<T>>,
  out: (item: T) => unknown,
): Promise<Reply> {
  parseQuery(ctx.event, {}, { paged: true });
  const page = await list(parsePage(query(ctx)));
  return ok({ ...page, items: page.items.map(out) });
}

export const bookingReply = (r: { reservation: Reservation; replayed: boolean }): Reply => ({
  status: r.replayed ? 200 : 201,
  body: { reservation: reservationOut(r.reservation) },
});
