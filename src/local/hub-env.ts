/**
 * The environment the hub gives the bundles: the variables of the contracts (tables, JWT,
 * AppConfig, bus, topics) pointed at the local stand-ins, plus any literal variables the
 * template sets on the functions (Globals and per function), so local and deployed functions
 * see the same configuration keys.
 */
import type { TableNames } from '../config/tables.ts';
import { type CfnTemplate, resolveNames, resourcesOfType } from './cfn-template.ts';
import { STAND_IN_PATHS } from './hub-server.ts';
import type { LocalTopic } from './local-sns.ts';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '123456789012';
export const LOCAL_PARAMETERS = { AppName: 'venue-hub', Stage: 'local' };

/** The app client id of local tokens (JWT_CLIENT_ID). */
export const LOCAL_CLIENT_ID = 'local-site';
/** the local user pool (the post-confirmation trigger's events carry it) */
export const LOCAL_USER_POOL_ID = `${LOCAL_REGION}_localhub`;

const PSEUDO = { 'AWS::Region': LOCAL_REGION, 'AWS::AccountId': LOCAL_ACCOUNT, 'AWS::Partition': 'aws' };

function literalVariables(value: unknown): Record<string, string> {
  const variables = ((value as { Variables?: unknown } | undefined)?.Variables ?? {}) as Record<
    string,
    unknown
  >;
  const resolved = resolveNames(variables, { ...LOCAL_PARAMETERS, ...PSEUDO }) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(resolved)
      .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      .map(([k, v]) => [k, String(v)]),
  );
}

/** The name of the custom bus (its `Name` in the template, resolved), else a local default. */
export function busName(template: CfnTemplate): string {
  const name = resolveNames(template.Resources.EventBus?.Properties?.Name, {
    ...LOCAL_PARAMETERS,
    ...PSEUDO,
  });
  return typeof name === 'string' ? name : `${LOCAL_PARAMETERS.AppName}-${LOCAL_PARAMETERS.Stage}-bus`;
}

export interface BundleEnvironmentInput {
  template: CfnTemplate;
  url: string;
  dynamodbEndpoint: string;
  tables: TableNames;
  topics: LocalTopic[];
  healthFile: string;
}

export function bundleEnvironment(input: BundleEnvironmentInput): Record<string, string> {
  const { template, url, tables, topics } = input;
  const fromTemplate: Record<string, string> = {
    ...literalVariables(template.Globals?.Function?.Environment),
    // every function's (the outbox sweeper's OUTBOX_GRACE_SECONDS among them): the hub runs
    // them all in one process, and no two set the same variable differently
    ...resourcesOfType(template, 'AWS::Serverless::Function').reduce(
      (all, [, fn]) => Object.assign(all, literalVariables(fn.Properties?.Environment)),
      {} as Record<string, string>,
    ),
  };
  const arn = (id: string) =>
    topics.find((t) => t.logicalId === id)?.arn ?? `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${id}`;
  return {
    ...fromTemplate,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    EVENTS_TABLE: tables.events,
    RESERVATIONS_TABLE: tables.reservations,
    PICKUP_SLOTS_TABLE: tables.pickupSlots,
    QUEUE_STATE_TABLE: tables.queueState,
    PREFERENCES_TABLE: tables.preferences,
    DYNAMODB_ENDPOINT: input.dynamodbEndpoint,
    EVENTBRIDGE_ENDPOINT: `${url}${STAND_IN_PATHS.eventbridge}`,
    SNS_ENDPOINT: `${url}${STAND_IN_PATHS.sns}`,
    APPCONFIG_ENDPOINT: `${url}${STAND_IN_PATHS.appconfigdata}`,
    COGNITO_ENDPOINT: `${url}${STAND_IN_PATHS.cognitoidp}`,
    JWT_ISSUER: `${url}/local/cognito`,
    JWKS_URL: `${url}/local/cognito/.well-known/jwks.json`,
    JWT_CLIENT_ID: LOCAL_CLIENT_ID,
    APPCONFIG_APPLICATION: 'venue-hub',
    APPCONFIG_ENVIRONMENT: 'local',
    APPCONFIG_PROFILE: 'venue-rules',
    APPCONFIG_POLL_SECONDS: '1',
    EVENT_BUS_NAME: busName(template),
    SHOPPER_TOPIC_ARN: arn('ShopperNotificationsTopic'),
    OPERATOR_TOPIC_ARN: arn('OperatorAlertsTopic'),
    WORKER_INTERVAL_MS: '1000',
    // a hub restarted on its kept tables after a crash waits at most this for the old worker's lease
    WORKER_LEASE_SECONDS: '5',
    WORKER_HEALTH_FILE: input.healthFile,
    // The SDK's notice, once per process on Node 20, that its releases after January 2027 need
    // Node 22: Lambda (nodejs22.x) and the worker image (node:22) never see it, and the
    // lockfile pins today's SDK, so locally it is noise.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Per function: its timeout (Globals, then the function), as the Lambda runtime enforces it. */
export function functionSettings(template: CfnTemplate): (functionId: string) => { timeoutSeconds: number } {
  const globalTimeout = Number(template.Globals?.Function?.Timeout ?? 3);
  return (functionId) => {
    const own = template.Resources[functionId]?.Properties?.Timeout;
    const timeout = Number(own ?? globalTimeout);
    return { timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : 3 };
  };
}
