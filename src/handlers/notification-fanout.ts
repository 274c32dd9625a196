/**
 * notification-fanout Lambda (EventBridge target): the composition root. Clients, stores and
 * adapters are built once per container from src/config/env.ts; each invocation fans out one
 * venue.hub event (src/fanout/, docs/notifications.md).
 */
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { SNSClient } from '@aws-sdk/client-sns';
import { AppConfigRulesProvider } from '../adapters/appconfig/rules-provider.ts';
import { createDocumentClient, createDynamoStores } from '../adapters/dynamodb/index.ts';
import { SnsNotifier } from '../adapters/sns/notifier.ts';
import { appConfigSettings, awsRegion, serviceEndpoints, tableNames, topicArns } from '../config/env.ts';
import { createFanoutHandler } from '../fanout/eventbridge-handler.ts';
import { createNotificationFanout } from '../fanout/notification-fanout.ts';
import { createLogger } from '../observability/log.ts';

const logger = createLogger('notification-fanout');
const endpoints = serviceEndpoints();
const region = awsRegion();
// Short request timeouts keep a slow call from eating the invocation that a delivery lease is
// measured by (docs/decisions/0310-delivery-leases.md); the SDK retries throttling within them.
const requestHandler = { connectionTimeout: 1000, requestTimeout: 3000 };

const stores = createDynamoStores(createDocumentClient(endpoints.dynamodb), tableNames());
const appConfig = new AppConfigDataClient({
  region,
  requestHandler,
  ...(endpoints.appconfigdata ? { endpoint: endpoints.appconfigdata } : {}),
});
const sns = new SNSClient({
  region,
  requestHandler,
  maxAttempts: 3,
  ...(endpoints.sns ? { endpoint: endpoints.sns } : {}),
});

const fanOut = createNotificationFanout({
  preferences: stores.preferences,
  catalog: stores.catalog,
  slots: stores.slots,
  queue: stores.queue,
  ledger: stores.deliveries,
  notifier: new SnsNotifier(sns, topicArns()),
  rules: new AppConfigRulesProvider(appConfig, appConfigSettings(), logger),
  clock: { now: () => new Date() },
  logger,
});

/** EventBridge → notification-fanout. Throws on failure so the invocation is retried, then dead-lettered. */
export const handler = createFanoutHandler({ fanOut, logger });
