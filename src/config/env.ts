/**
 * The one place that reads `process.env` (STYLE.md 5). Named getters validate what they
 * return and fail with the variable's name, so a misconfigured function fails at init with a
 * clear message instead of on some later request. Domain code never imports this; handlers,
 * the worker and the local hub read it and pass values in.
 */
import type { TableNames } from './tables.ts';

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '')
    throw new ConfigError(`environment variable ${name} is not set`);
  return value;
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `environment variable ${name} must be an integer from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}

/** DynamoDB tables (all components). */
export function tableNames(env: Env = process.env): TableNames {
  return {
    events: required(env, 'EVENTS_TABLE'),
    reservations: required(env, 'RESERVATIONS_TABLE'),
    pickupSlots: required(env, 'PICKUP_SLOTS_TABLE'),
    queueState: required(env, 'QUEUE_STATE_TABLE'),
    preferences: required(env, 'PREFERENCES_TABLE'),
  };
}

/** The Cognito user pool's issuer and the app client whose access tokens the API accepts. */
export function jwtSettings(env: Env = process.env): { issuer: string; clientId: string; jwksUrl: string } {
  const issuer = required(env, 'JWT_ISSUER').replace(/\/$/, '');
  return {
    issuer,
    clientId: required(env, 'JWT_CLIENT_ID'),
    // Cognito serves its keys under the issuer; the local hub sets its own URL.
    jwksUrl: optional(env, 'JWKS_URL') ?? `${issuer}/.well-known/jwks.json`,
  };
}

/** AppConfig: where the venue rules are deployed, and how often to poll them. */
export function appConfigSettings(env: Env = process.env): {
  application: string;
  environment: string;
  profile: string;
  pollSeconds: number;
} {
  return {
    application: required(env, 'APPCONFIG_APPLICATION'),
    environment: required(env, 'APPCONFIG_ENVIRONMENT'),
    profile: required(env, 'APPCONFIG_PROFILE'),
    // AppConfigData refuses polls more often than every 15 s; the local hub allows 1 s.
    pollSeconds: integer(env, 'APPCONFIG_POLL_SECONDS', 15, 1, 3600),
  };
}

/** The EventBridge bus the API (and the outbox sweeper) publishes to. */
export function eventBusName(env: Env = process.env): string {
  return required(env, 'EVENT_BUS_NAME');
}

/** The two SNS topics of the fan-out. */
export function topicArns(env: Env = process.env): { shopper: string; operator: string } {
  return { shopper: required(env, 'SHOPPER_TOPIC_ARN'), operator: required(env, 'OPERATOR_TOPIC_ARN') };
}

/** Worker loop timing. */
export function workerSettings(env: Env = process.env): {
  intervalMs: number;
  healthFile: string;
  /** how long the lease of the task that runs the cycles lasts unless renewed (ADR 0507) */
  leaseSeconds: number;
} {
  const intervalMs = integer(env, 'WORKER_INTERVAL_MS', 2000, 100, 60_000);
  const leaseSeconds = integer(env, 'WORKER_LEASE_SECONDS', 30, 5, 600);
  // the holder renews it once a cycle: a lease shorter than a few cycles would change hands
  // whenever one cycle ran long
  if (leaseSeconds * 1000 < 3 * intervalMs) {
    throw new Error('WORKER_LEASE_SECONDS must be at least three times WORKER_INTERVAL_MS');
  }
  return {
    intervalMs,
    healthFile: optional(env, 'WORKER_HEALTH_FILE') ?? '/tmp/worker-health',
    leaseSeconds,
  };
}

/** The scheduled outbox sweep (src/handlers/outbox-sweeper.ts, ADR 0311). */
export function outboxSweepSettings(env: Env = process.env): {
  /** events younger than this are left to the API request that wrote them */
  graceSeconds: number;
  /** events per round of the sweep */
  batch: number;
} {
  return {
    graceSeconds: integer(env, 'OUTBOX_GRACE_SECONDS', 15, 0, 3600),
    batch: integer(env, 'OUTBOX_SWEEP_BATCH', 50, 1, 1000),
  };
}

export function awsRegion(env: Env = process.env): string {
  return optional(env, 'AWS_REGION') ?? optional(env, 'AWS_DEFAULT_REGION') ?? 'us-east-1';
}

/**
 * Endpoint overrides for the SDK clients. Unset in AWS; the local hub points them at DynamoDB
 * Local and at its own wire-compatible stand-ins for EventBridge, SNS, AppConfigData and the
 * Cognito user pool.
 */
export function serviceEndpoints(env: Env = process.env): {
  dynamodb?: string;
  eventbridge?: string;
  sns?: string;
  appconfigdata?: string;
  cognitoidp?: string;
} {
  const entries = {
    dynamodb: optional(env, 'DYNAMODB_ENDPOINT'),
    eventbridge: optional(env, 'EVENTBRIDGE_ENDPOINT'),
    sns: optional(env, 'SNS_ENDPOINT'),
    appconfigdata: optional(env, 'APPCONFIG_ENDPOINT'),
    cognitoidp: optional(env, 'COGNITO_ENDPOINT'),
  };
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
}

/**
 * The local hub (`npm start`, `npm run invoke`; docs/local-hub.md). Never read by the bundles.
 */
export function hubSettings(env: Env = process.env): {
  port: number;
  store: 'memory' | 'disk';
  dataDir: string;
  /** where the hub builds the bundles and the site (default: dist/) */
  buildDir?: string;
  /** `npm run invoke` against a running hub instead of a fresh DynamoDB Local */
  hubUrl?: string;
  /** `npm run invoke`: mint a local token for this user into the event */
  invokeUser?: string;
  invokeGroups: string[];
  /** run every schedule rule of the template at this period instead of its own rate */
  scheduleSeconds?: number;
} {
  const store = optional(env, 'HUB_STORE') ?? 'disk';
  if (store !== 'memory' && store !== 'disk') {
    throw new ConfigError(`environment variable HUB_STORE must be "memory" or "disk", got "${store}"`);
  }
  const hubUrl = optional(env, 'HUB_URL')?.replace(/\/$/, '');
  const invokeUser = optional(env, 'INVOKE_USER');
  const buildDir = optional(env, 'HUB_BUILD_DIR');
  const scheduleSeconds =
    optional(env, 'HUB_SCHEDULE_SECONDS') === undefined
      ? undefined
      : integer(env, 'HUB_SCHEDULE_SECONDS', 60, 1, 86_400);
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    store,
    dataDir: optional(env, 'HUB_DATA_DIR') ?? '.hub-data',
    ...(buildDir ? { buildDir } : {}),
    ...(hubUrl ? { hubUrl } : {}),
    ...(invokeUser ? { invokeUser } : {}),
    ...(scheduleSeconds !== undefined ? { scheduleSeconds } : {}),
    invokeGroups: (optional(env, 'INVOKE_GROUPS') ?? 'shoppers')
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean),
  };
}
