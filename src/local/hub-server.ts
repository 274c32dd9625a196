/**
 * The hub's HTTP front: one listener on 127.0.0.1 that serves, in this order, the local
 * stand-ins under `/local/*` (Cognito, EventBridge, SNS, AppConfigData, the outbox, the rules),
 * the HTTP API routes of template.yaml (as API Gateway with its JWT authorizer would), the
 * site's `/config.json`, and the static site with an SPA fallback. Everything else is a 404
 * in the error shape.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ErrorDetail, ValidationFailed } from '../domain/errors.ts';
import type { Logger } from '../observability/log.ts';
import {
  fromHttpApiResult,
  type IncomingRequest,
  type OutgoingResponse,
  toHttpApiEvent,
} from './api-gateway-event.ts';
import { type LocalIssuer, parseTokenRequest, USERNAME } from './cognito-issuer.ts';
import type { HttpApiRouter } from './http-api-routes.ts';
import {
  BodyTooLarge,
  domainErrorResponse,
  errorResponse,
  isDomainError,
  jsonResponse,
  parseJsonBody,
  readBody,
} from './http-util.ts';
import { LOCAL_REGION } from './hub-env.ts';
import type { LocalBus } from './local-bus.ts';
import type { LocalSns } from './local-sns.ts';
import type { LocalRulesStore } from './rules-store.ts';
import type { AppConfigDataStandIn } from './stand-ins/appconfigdata.ts';
import type { CognitoIdpStandIn } from './stand-ins/cognito-idp.ts';
import { type EventBridgeStandInOptions, handleEventBridge } from './stand-ins/eventbridge.ts';
import { handleSns } from './stand-ins/sns.ts';
import type { StaticSite } from './static-site.ts';

/** Stand-in endpoints, relative to the hub's URL (the bundles' *_ENDPOINT variables). */
export const STAND_IN_PATHS = {
  eventbridge: '/local/aws/eventbridge',
  sns: '/local/aws/sns',
  appconfigdata: '/local/aws/appconfigdata',
  cognitoidp: '/local/aws/cognito-idp',
} as const;

export interface HubServerParts {
  issuer: LocalIssuer;
  router: HttpApiRouter;
  /** runs the venue-api handler; undefined until the bundles are loaded */
  invokeApi?: (event: unknown) => Promise<unknown>;
  eventBridge: EventBridgeStandInOptions;
  bus: LocalBus;
  sns: LocalSns;
  rules: LocalRulesStore;
  /** runs the rules profile's Lambda validators on a document: what they refuse (none: accepted) */
  runRulesValidators: (document: unknown) => Promise<ErrorDetail[]>;
  appConfigData: AppConfigDataStandIn;
  cognitoIdp: CognitoIdpStandIn;
  /** runs a function of the template by its logical id (the post-confirmation trigger) */
  invokeFunction: (functionId: string, event: unknown) => Promise<unknown>;
  site: StaticSite;
  /** `/config.json` for the site */
  siteConfig: () => Record<string, unknown>;
  /** environment the bundles run with (for `npm run invoke` against this hub) */
  bundleEnv: () => Record<string, string>;
  logger: Logger;
  /**
   * False while the hub is still starting (the demo data is being seeded through the API):
   * GET /health then answers 503, so that whatever waits for the hub waits for the data too.
   */
  ready?: () => boolean;
}

const API_GATEWAY_UNAUTHORIZED = { message: 'Unauthorized' };

function apiGatewayMessage(status: number, message: string): OutgoingResponse {
  return jsonResponse(status, { message });
}

function send(res: ServerResponse, response: OutgoingResponse, headOnly: boolean): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.setHeader('content-length', String(response.body.length));
  res.end(headOnly ? undefined : response.body);
}

/** The request listener of the hub's server. */
export function createHubListener(
  parts: HubServerParts,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(parts, req)
      .then((response) => send(res, response, req.method === 'HEAD'))
      .catch((error: unknown) => {
        parts.logger.error('hub request failed', {
          method: req.method,
          url: req.url,
          error: error instanceof Error ? error.message : String(error),
        });
        if (!res.headersSent) send(res, errorResponse(500, 'INTERNAL', 'The local hub failed.'), false);
        else res.destroy();
      });
  };
}

async function handle(parts: HubServerParts, req: IncomingMessage): Promise<OutgoingResponse> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '/';
  const path = url.split('?')[0] ?? '/';
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLarge) return apiGatewayMessage(413, 'Request Entity Too Large');
    throw error;
  }
  if (path === '/local' || path.startsWith('/local/'))
    return handleLocal(parts, method, url, path, req, body);

  if (path === '/health' && parts.ready?.() === false) {
    return errorResponse(503, 'SERVICE_UNAVAILABLE', 'The local hub is still starting (seeding demo data).');
  }
  const match = parts.router.match(method, path);
  if (match) {
    const request: IncomingRequest = {
      method,
      url,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    };
    return handleApi(parts, request, match);
  }
  if (path === '/config.json' && (method === 'GET' || method === 'HEAD')) {
    return jsonResponse(200, parts.siteConfig(), { 'cache-control': 'no-store' });
  }
  if (method === 'GET' || method === 'HEAD') {
    const file = parts.site.resolve(path, req.headers.accept ?? '');
    if (file) return file;
  }
  return errorResponse(404, 'NOT_FOUND', `No route for ${method} ${path}.`);
}

async function handleApi(
  parts: HubServerParts,
  request: IncomingRequest,
  match: NonNullable<ReturnType<HubServerParts['router']['match']>>,
): Promise<OutgoingResponse> {
  let token: Awaited<ReturnType<LocalIssuer['authorize']>>;
  if (match.route.protected) {
    const authorization = headerValue(request.rawHeaders, 'authorization');
    token = await parts.issuer.authorize(authorization);
    if (!token) return jsonResponse(401, API_GATEWAY_UNAUTHORIZED, { 'www-authenticate': 'Bearer' });
    const missingScope = match.route.scopes.find((s) => !token?.scopes.includes(s));
    if (missingScope) return apiGatewayMessage(403, 'Forbidden');
  }
  if (!parts.invokeApi) return errorResponse(503, 'SERVICE_UNAVAILABLE', 'The local hub is still starting.');
  const event = toHttpApiEvent(request, match, token);
  try {
    return fromHttpApiResult((await parts.invokeApi(event)) as Parameters<typeof fromHttpApiResult>[0]);
  } catch (error) {
    // API Gateway's answer when the integration fails.
    parts.logger.error('venue-api invocation failed', {
      routeKey: match.route.routeKey,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return apiGatewayMessage(500, 'Internal Server Error');
  }
}

function headerValue(rawHeaders: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === name) return rawHeaders[i + 1];
  }
  return undefined;
}

async function handleLocal(
  parts: HubServerParts,
  method: string,
  url: string,
  path: string,
  req: IncomingMessage,
  body: Buffer,
): Promise<OutgoingResponse> {
  const key = `${method} ${path}`;
  if (path.startsWith(STAND_IN_PATHS.appconfigdata)) {
    const query = new URLSearchParams(url.split('?')[1] ?? '');
    return parts.appConfigData.handle(method, path.slice(STAND_IN_PATHS.appconfigdata.length), query, body);
  }
  switch (key) {
    case `POST ${STAND_IN_PATHS.eventbridge}`:
    case `POST ${STAND_IN_PATHS.eventbridge}/`:
      return handleEventBridge(req.headers['x-amz-target'] as string | undefined, body, parts.eventBridge);
    case `POST ${STAND_IN_PATHS.sns}`:
    case `POST ${STAND_IN_PATHS.sns}/`:
      return handleSns(body, parts.sns);
    case `POST ${STAND_IN_PATHS.cognitoidp}`:
    case `POST ${STAND_IN_PATHS.cognitoidp}/`:
      return parts.cognitoIdp.handle(req.headers['x-amz-target'] as string | undefined, body);
    case 'POST /local/cognito/token':
      return mintToken(parts, body);
    case 'POST /local/cognito/sign-up':
      return signUp(parts, body);
    case 'POST /local/cognito/users':
      return addUser(parts, body);
    case 'GET /local/cognito/.well-known/jwks.json':
      return jsonResponse(200, parts.issuer.jwks());
    case 'GET /local/outbox':
      return jsonResponse(200, { messages: parts.sns.outbox() });
    case 'DELETE /local/outbox':
      parts.sns.clear();
      return { status: 204, headers: {}, body: Buffer.alloc(0) };
    case 'GET /local/dlq':
      return jsonResponse(200, { messages: parts.bus.dlq() });
    case 'GET /local/appconfig':
      return jsonResponse(200, parts.rules.document(), { 'x-config-version': parts.rules.current().version });
    case 'PUT /local/appconfig':
      return deployRules(parts, body);
    case 'GET /local/env':
      return jsonResponse(200, parts.bundleEnv());
    default:
      return errorResponse(404, 'NOT_FOUND', `No local route for ${method} ${path}.`);
  }
}

async function mintToken(parts: HubServerParts, body: Buffer): Promise<OutgoingResponse> {
  const parsed = parseJsonBody(body);
  if (!parsed.ok) return parsed.response;
  try {
    const request = parseTokenRequest(parsed.value, parts.issuer.clientId);
    return jsonResponse(200, await parts.issuer.mint(request), { 'cache-control': 'no-store' });
  } catch (error) {
    if (isDomainError(error)) return domainErrorResponse(error);
    throw error;
  }
}

/** The `{"username": …}` of a body, or the 400 answer. */
function usernameOf(body: Buffer): string | OutgoingResponse {
  const parsed = parseJsonBody(body);
  if (!parsed.ok) return parsed.response;
  const input = (typeof parsed.value === 'object' && parsed.value !== null ? parsed.value : {}) as Record<
    string,
    unknown
  >;
  const extra = Object.keys(input).filter((key) => key !== 'username');
  if (typeof input.username !== 'string' || !USERNAME.test(input.username) || extra.length > 0) {
    return errorResponse(
      400,
      'VALIDATION_FAILED',
      'The body must be {"username": …} (1–128 letters, digits or ._@+-).',
    );
  }
  return input.username;
}

/** A user in the local pool, not confirmed yet (what `npm run invoke` of the trigger needs). */
function addUser(parts: HubServerParts, body: Buffer): OutgoingResponse {
  const username = usernameOf(body);
  if (typeof username !== 'string') return username;
  parts.cognitoIdp.signUp(username);
  return jsonResponse(200, { username, userPoolId: parts.cognitoIdp.userPoolId });
}

/**
 * A shopper's self sign-up as Cognito runs it: the user is confirmed, the post-confirmation
 * trigger (the shipped bundle) runs with Cognito's event and adds them to their group through
 * the pool stand-in, and they sign in: the token carries the groups the pool now has.
 */
async function signUp(parts: HubServerParts, body: Buffer): Promise<OutgoingResponse> {
  const username = usernameOf(body);
  if (typeof username !== 'string') return username;
  parts.cognitoIdp.signUp(username);
  const event = {
    version: '1',
    region: LOCAL_REGION,
    userPoolId: parts.cognitoIdp.userPoolId,
    userName: username,
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    callerContext: { awsSdkVersion: 'local-hub', clientId: parts.issuer.clientId },
    request: { userAttributes: { sub: randomUUID(), 'cognito:user_status': 'CONFIRMED' } },
    response: {},
  };
  try {
    await parts.invokeFunction('PostConfirmationFunction', event);
  } catch (error) {
    parts.logger.error('post-confirmation trigger failed', {
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    // what Cognito tells the user when the trigger fails
    return errorResponse(
      502,
      'SERVICE_UNAVAILABLE',
      'The sign-up could not be completed (PostConfirmation failed).',
    );
  }
  const groups = parts.cognitoIdp.groupsOf(username) ?? [];
  const token = await parts.issuer.mint(parseTokenRequest({ username, groups }, parts.issuer.clientId));
  return jsonResponse(200, { username, groups, ...token }, { 'cache-control': 'no-store' });
}

async function deployRules(parts: HubServerParts, body: Buffer): Promise<OutgoingResponse> {
  const parsed = parseJsonBody(body);
  if (!parsed.ok) return parsed.response;
  try {
    // AppConfig's order: the profile's JSON Schema, then its Lambda validators (the bundled
    // rules-validator); a refused document changes nothing.
    parts.rules.check(parsed.value);
    const refused = await parts.runRulesValidators(parsed.value);
    if (refused.length > 0)
      throw new ValidationFailed(refused, 'The venue rules were refused by their validator.');
    const deployed = parts.rules.deploy(parsed.value);
    parts.logger.info('venue rules deployed', { version: deployed.version });
    return jsonResponse(200, { version: deployed.version, document: parts.rules.document() });
  } catch (error) {
    if (isDomainError(error)) return domainErrorResponse(error);
    throw error;
  }
}
