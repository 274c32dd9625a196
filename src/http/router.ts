/**
 * Finds the route of a request: by API Gateway's `routeKey` (`GET /events/{eventId}`), or, when
 * the event carries `$default` (a catch-all integration), by matching method and raw path.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ROUTES, type Route, routeKey } from './routes.ts';

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

const BY_KEY = new Map(ROUTES.map((r) => [routeKey(r), r]));
const COMPILED: Compiled[] = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}/?$`), names };
});

export interface Match {
  route: Route;
  params: Record<string, string>;
}

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** The route and path parameters of a request, or undefined for an unknown route. */
export function matchRoute(event: APIGatewayProxyEventV2): Match | undefined {
  const method = event.requestContext?.http?.method ?? '';
  const byKey = BY_KEY.get(event.routeKey);
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '';
  for (const c of COMPILED) {
    if (byKey ? c.route !== byKey : c.route.method !== method) continue;
    const m = c.pattern.exec(path);
    if (!m) {
      if (!byKey) continue;
      // trust the route key; parameters then come from API Gateway
      return { route: byKey, params: { ...(event.pathParameters ?? {}) } as Record<string, string> };
    }
    const params: Record<string, string> = {};
    for (const [i, name] of c.names.entries()) {
      const value = event.pathParameters?.[name] ?? decode(m[i + 1] ?? '');
      if (value === undefined) return undefined;
      params[name] = value;
    }
    return { route: c.route, params };
  }
  return undefined;
}
