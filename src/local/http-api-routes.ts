/**
 * The HTTP API's routes as template.yaml declares them: every `HttpApi` event of the function
 * behind the API, with its path template and whether it is public (`Auth: {Authorizer: NONE}`)
 * or guarded by the API's default JWT authorizer. The hub routes requests with this table, so
 * a route exists locally exactly when it exists in AWS.
 */
import { type CfnTemplate, resourcesOfType } from './cfn-template.ts';

export interface HttpApiRoute {
  /** `GET /venues/{venueId}/events`, as API Gateway puts it in `routeKey` */
  routeKey: string;
  method: string;
  path: string;
  /** logical id of the function the route invokes */
  functionId: string;
  /** false for `Auth: {Authorizer: NONE}` */
  protected: boolean;
  /** authorization scopes the route requires (rarely used) */
  scopes: string[];
}

export interface RouteMatch {
  route: HttpApiRoute;
  pathParameters: Record<string, string>;
}

function refName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'Ref' in value) return String((value as { Ref: unknown }).Ref);
  return undefined;
}

/** Reads the routes of the `HttpApi` resource (AWS::Serverless::HttpApi) from the template. */
export function readHttpApiRoutes(template: CfnTemplate, apiId = 'HttpApi'): HttpApiRoute[] {
  const api = template.Resources[apiId];
  if (api?.Type !== 'AWS::Serverless::HttpApi') {
    throw new Error(`template.yaml has no AWS::Serverless::HttpApi named ${apiId}`);
  }
  const auth = (api.Properties?.Auth ?? {}) as { DefaultAuthorizer?: string };
  const hasDefaultAuthorizer =
    typeof auth.DefaultAuthorizer === 'string' && auth.DefaultAuthorizer !== 'NONE';
  const routes: HttpApiRoute[] = [];
  for (const [functionId, resource] of resourcesOfType(template, 'AWS::Serverless::Function')) {
    const events = (resource.Properties?.Events ?? {}) as Record<
      string,
      { Type?: string; Properties?: unknown }
    >;
    for (const event of Object.values(events)) {
      if (event.Type !== 'HttpApi') continue;
      const p = (event.Properties ?? {}) as Record<string, unknown>;
      const target = refName(p.ApiId) ?? apiId;
      if (target !== apiId || typeof p.Path !== 'string' || typeof p.Method !== 'string') continue;
      const routeAuth = (p.Auth ?? {}) as { Authorizer?: string; AuthorizationScopes?: string[] };
      const authorizer = routeAuth.Authorizer ?? (hasDefaultAuthorizer ? auth.DefaultAuthorizer : 'NONE');
      const method = p.Method.toUpperCase() === 'ANY' ? 'ANY' : p.Method.toUpperCase();
      routes.push({
        routeKey: `${method} ${p.Path}`,
        method,
        path: p.Path,
        functionId,
        protected: authorizer !== 'NONE',
        scopes: routeAuth.AuthorizationScopes ?? [],
      });
    }
  }
  if (routes.length === 0) throw new Error(`template.yaml declares no HttpApi events for ${apiId}`);
  return routes;
}

/** Per segment: literal text, a `{name}` parameter, or a greedy `{name+}` rest. */
function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const wanted = segmentsOf(template);
  const actual = segmentsOf(path);
  const params: Record<string, string> = {};
  for (let i = 0; i < wanted.length; i += 1) {
    const segment = wanted[i] as string;
    const greedy = /^\{(.+)\+\}$/.exec(segment);
    if (greedy) {
      if (i >= actual.length) return undefined;
      params[greedy[1] as string] = actual.slice(i).map(decode).join('/');
      return params;
    }
    const value = actual[i];
    if (value === undefined) return undefined;
    const param = /^\{(.+)\}$/.exec(segment);
    if (param) params[param[1] as string] = decode(value);
    else if (segment !== value) return undefined;
  }
  return wanted.length === actual.length ? params : undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** More literal segments first, then fewer greedy ones: API Gateway's "most specific wins". */
function specificity(route: HttpApiRoute): number[] {
  const segments = segmentsOf(route.path);
  const literals = segments.filter((s) => !s.startsWith('{')).length;
  const greedy = segments.some((s) => s.endsWith('+}')) ? 0 : 1;
  return [greedy, literals, segments.length, route.method === 'ANY' ? 0 : 1];
}

function compareSpecificity(a: HttpApiRoute, b: HttpApiRoute): number {
  const sa = specificity(a);
  const sb = specificity(b);
  for (let i = 0; i < sa.length; i += 1) {
    const diff = (sb[i] as number) - (sa[i] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** A router over the template's routes. */
export class HttpApiRouter {
  private readonly routes: HttpApiRoute[];

  constructor(routes: HttpApiRoute[]) {
    this.routes = [...routes].sort(compareSpecificity);
  }

  list(): HttpApiRoute[] {
    return [...this.routes];
  }

  /** The route serving `method path`, or undefined (API Gateway answers 404 then). */
  match(method: string, path: string): RouteMatch | undefined {
    const upper = method.toUpperCase();
    for (const route of this.routes) {
      if (route.method !== upper && route.method !== 'ANY') continue;
      const pathParameters = matchPath(route.path, path);
      if (pathParameters) return { route, pathParameters };
    }
    return undefined;
  }
}
