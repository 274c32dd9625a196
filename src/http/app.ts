/**
 * The testable core of the venue-api Lambda: `createVenueApi(deps)` returns the function that
 * turns an API Gateway HTTP API (payload 2.0) event into a response. It finds the route,
 * authenticates and authorizes the caller, runs the route, maps any error through the one
 * error map, and writes one structured log line and EMF metrics per request.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { DomainError, Forbidden, NotFound, Unauthenticated } from '../domain/errors.ts';
import type { Caller } from '../domain/model.ts';
import type { Clock, EventPublisher, RulesProvider } from '../domain/ports.ts';
import { emitMetrics, type Logger, type LogSink } from '../observability/log.ts';
import type { Stores } from '../services/context.ts';
import { bearerToken, type TokenVerifier } from './auth.ts';
import { describeError, jsonResponse } from './error-response.ts';
import { header } from './request.ts';
import { matchRoute } from './router.ts';
import { type Route, routeKey } from './routes.ts';
import { ID } from './schemas.ts';
import { createServices } from './services.ts';

export interface VenueApiDeps {
  stores: Stores;
  rules: RulesProvider;
  publisher: EventPublisher;
  verifier: TokenVerifier;
  clock: Clock;
  logger: Logger;
  /** where EMF metric records go (stdout by default) */
  metricsSink?: LogSink;
  newId?: () => string;
}

export type VenueApi = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;

const METRICS_NAMESPACE = 'VenueHub';
const CORRELATION = /^[A-Za-z0-9._:-]{1,128}$/;

async function authenticate(route: Route, event: APIGatewayProxyEventV2, verifier: TokenVerifier) {
  if (route.access === 'public') {
    // a public route serves anyone; a valid token only widens what operators see (drafts)
    try {
      const token = bearerToken(header(event, 'authorization'));
      return token === undefined ? undefined : await verifier.verify(token);
    } catch {
      return undefined;
    }
  }
  const token = bearerToken(header(event, 'authorization'));
  if (token === undefined) throw new Unauthenticated();
  const caller = await verifier.verify(token);
  if (route.access === 'operator' && !caller.isOperator) throw new Forbidden();
  return caller;
}

export function createVenueApi(deps: VenueApiDeps): VenueApi {
  const services = createServices(deps);
  const metrics = (dimensions: Record<string, string>, values: Parameters<typeof emitMetrics>[2]) =>
    emitMetrics(METRICS_NAMESPACE, { Service: 'venue-api', ...dimensions }, values, deps.metricsSink);

  return async (event) => {
    const started = performance.now();
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const sentCorrelation = header(event, 'x-correlation-id');
    const correlationId = sentCorrelation && CORRELATION.test(sentCorrelation) ? sentCorrelation : requestId;
    const match = matchRoute(event);
    const routeName = match ? routeKey(match.route) : 'unmatched';
    let status: number;
    let body: unknown;
    let code: string | undefined;
    // only a route's own success may add headers (e.g. caching); an error never keeps them
    let routeHeaders: Record<string, string> = {};
    let caller: Caller | undefined;
    try {
      if (!match) throw new NotFound('Route');
      if (Object.values(match.params).some((v) => !ID.test(v))) throw new NotFound('Resource');
      caller = await authenticate(match.route, event, deps.verifier);
      const reply = await match.route.handle({
        event,
        params: match.params,
        caller,
        actor: { caller: caller ?? { userId: '', groups: [], isOperator: false }, correlationId },
        services,
      });
      status = reply.status;
      body = reply.body;
      routeHeaders = reply.headers ?? {};
    } catch (error) {
      const described = describeError(error, requestId);
      status = described.status;
      body = described.body;
      code = described.body.error.code;
      // a failure on our side is logged with what caused it: the client only ever sees the code,
      // and an adapter's INTERNAL or SERVICE_UNAVAILABLE keeps the SDK's error in `cause` alone
      const cause = error instanceof DomainError ? error.cause : error;
      if (!(error instanceof DomainError) || (status >= 500 && cause !== undefined)) {
        deps.logger.error(error instanceof DomainError ? 'failed request' : 'unhandled error', {
          requestId,
          correlationId,
          route: routeName,
          code,
          errorName: cause instanceof Error ? cause.name : typeof cause,
          errorMessage: cause instanceof Error ? cause.message : undefined,
        });
      }
    }
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    deps.logger.info('request', {
      requestId,
      correlationId,
      route: routeName,
      status,
      latencyMs,
      ...(code ? { code } : {}),
      ...(caller?.isOperator ? { operator: true } : {}),
    });
    metrics({ Route: routeName }, { Latency: { value: latencyMs, unit: 'Milliseconds' } });
    if (code) metrics({ Code: code }, { Rejections: { value: 1, unit: 'Count' } });
    if (status === 201 && (routeName.endsWith('/reservations') || routeName.endsWith('/bookings'))) {
      metrics({}, { Bookings: { value: 1, unit: 'Count' } });
    }
    const headers = { ...routeHeaders, 'x-request-id': requestId, 'x-correlation-id': correlationId };
    return status === 204 ? { statusCode: 204, headers } : jsonResponse(status, body, headers);
  };
}
