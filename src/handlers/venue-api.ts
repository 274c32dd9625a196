/**
 * The venue-api Lambda (API Gateway HTTP API, payload 2.0): the composition root. Clients,
 * adapters and the token verifier (with its JWKS cache) are built once per container from
 * src/config/env.ts; every invocation only translates the event through `createVenueApi`
 * (src/http/app.ts). Two pieces are built on first use instead of at init, to keep the cold
 * start short (ADR 0910): the EventBridge client (its module is evaluated only by the routes
 * that publish) and the JWT verifier (its JWKS fetcher loads Node's fetch stack, which public
 * routes never need).
 */
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { AppConfigRulesProvider } from '../adapters/appconfig/rules-provider.ts';
import { createDocumentClient, createDynamoStores } from '../adapters/dynamodb/index.ts';
import {
  appConfigSettings,
  awsRegion,
  eventBusName,
  jwtSettings,
  serviceEndpoints,
  tableNames,
} from '../config/env.ts';
import { createVenueApi } from '../http/app.ts';
import { createJwtVerifier, type TokenVerifier } from '../http/auth.ts';
import { createLogger } from '../observability/log.ts';
import { once } from './lazy.ts';

const endpoints = serviceEndpoints();
const region = awsRegion();
const logger = createLogger('venue-api');
const jwt = jwtSettings();
const busName = eventBusName();

const eventBridgePublisher = once(async () => {
  const { createEventBridgePublisher } = await import('./event-publisher.ts');
  return createEventBridgePublisher(region, busName, endpoints.eventbridge);
});

let jwtVerifier: TokenVerifier | undefined;
const verifier: TokenVerifier = {
  verify: (token) => {
    jwtVerifier ??= createJwtVerifier({ issuer: jwt.issuer, clientId: jwt.clientId, jwksUrl: jwt.jwksUrl });
    return jwtVerifier.verify(token);
  },
};

const api = createVenueApi({
  stores: createDynamoStores(createDocumentClient(endpoints.dynamodb), tableNames()),
  rules: new AppConfigRulesProvider(
    new AppConfigDataClient({
      region,
      ...(endpoints.appconfigdata ? { endpoint: endpoints.appconfigdata } : {}),
    }),
    appConfigSettings(),
    logger.child({ component: 'rules' }),
  ),
  publisher: {
    publish: async (events, correlationId) => (await eventBridgePublisher()).publish(events, correlationId),
  },
  verifier,
  clock: { now: () => new Date() },
  logger,
});

/** Lambda entry point. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  return api(event);
}
