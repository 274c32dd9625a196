/**
 * The venue-api Lambda (API Gateway HTTP API, payload 2.0): the composition root. Clients,
 * adapters and the token verifier (with its JWKS cache) are built once per container at module
 * scope from src/config/env.ts; every invocation only translates the event through
 * `createVenueApi` (src/http/app.ts).
 */
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { AppConfigRulesProvider } from '../adapters/appconfig/rules-provider.ts';
import { createDocumentClient, createDynamoStores } from '../adapters/dynamodb/index.ts';
import { EventBridgePublisher } from '../adapters/eventbridge/event-publisher.ts';
import {
  appConfigSettings,
  awsRegion,
  eventBusName,
  jwtSettings,
  serviceEndpoints,
  tableNames,
} from '../config/env.ts';
import { createVenueApi } from '../http/app.ts';
import { createJwtVerifier } from '../http/auth.ts';
import { createLogger } from '../observability/log.ts';

const endpoints = serviceEndpoints();
const region = awsRegion();
const logger = createLogger('venue-api');
const jwt = jwtSettings();

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
  publisher: new EventBridgePublisher(
    new EventBridgeClient({ region, ...(endpoints.eventbridge ? { endpoint: endpoints.eventbridge } : {}) }),
    eventBusName(),
  ),
  verifier: createJwtVerifier({ issuer: jwt.issuer, clientId: jwt.clientId, jwksUrl: jwt.jwksUrl }),
  clock: { now: () => new Date() },
  logger,
});

/** Lambda entry point. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  return api(event);
}
