/**
 * The local hub: the whole platform on one machine, without AWS or Docker (DESIGN.md §6).
 * Starts, in order: the listener (so a taken port fails at once), the bundles, DynamoDB Local
 * with the tables of templates/data.yaml, the stand-ins wired through the bundles' endpoint
 * variables, the function bundles in-process, the template's schedules (the outbox sweeper's),
 * the worker bundle as a child process, and the demo data. `stop()` undoes all of it, Java and
 * worker included.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLogger, type Logger } from '../observability/log.ts';
import {
  BUNDLE_NAMES,
  type BundleName,
  buildBundles,
  bundlePath,
  DIST,
  FUNCTION_BUNDLES,
  missingBundles,
  prepareSite,
} from './bundles.ts';
import { loadTemplate } from './cfn-template.ts';
import { LocalIssuer } from './cognito-issuer.ts';
import { seedDemoData } from './demo-data.ts';
import { DEMO_USERS } from './demo-users.ts';
import {
  createTables,
  type DynamoDbLocal,
  LOCAL_AWS,
  REPO_ROOT,
  startDynamoDbLocal,
} from './dynamodb-local.ts';
import { errorResponse } from './http-util.ts';
import {
  bundleEnvironment,
  functionSettings,
  LOCAL_ACCOUNT,
  LOCAL_PARAMETERS,
  LOCAL_REGION,
} from './hub-env.ts';
import { assembleHubParts } from './hub-parts.ts';
import { createHubListener, type HubServerParts } from './hub-server.ts';
import { invokeHandler, loadHandler } from './lambda-runtime.ts';
import { LocalScheduler, readScheduleRules } from './local-schedules.ts';
import { readTopics } from './local-sns.ts';
import { LocalRulesStore } from './rules-store.ts';
import { loadVenueRulesFromTemplate, ROOT_TEMPLATE, validateRules } from './venue-rules.ts';
import { endLeftoverLease, superviseWorker } from './worker-process.ts';

export interface HubOptions {
  port: number;
  store: 'memory' | 'disk';
  dataDir: string;
  /** rebuild the bundles first (default true) */
  build?: boolean;
  /** where the bundles and the site are built (default dist/) */
  buildDir?: string;
  /** run the worker (default true) */
  worker?: boolean;
  /** run the template's schedule rules (default true; `npm run invoke` runs none) */
  schedules?: boolean;
  /** every schedule at this period instead of its own rate (HUB_SCHEDULE_SECONDS) */
  scheduleSeconds?: number;
  /** create the demo data on first start (default true) */
  demoData?: boolean;
  siteDir?: string;
  logger?: Logger;
}

export interface RunningHub {
  url: string;
  port: number;
  dynamodbEndpoint: string;
  env: Record<string, string>;
  parts: HubServerParts;
  stop(): Promise<void>;
}

export class PortInUse extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is already in use on 127.0.0.1`);
    this.name = 'PortInUse';
  }
}

async function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUse(port) : error),
    );
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolveListen(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Starts everything; rejects with PortInUse before any heavy work if the port is taken. */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const logger = options.logger ?? createLogger('local-hub');
  const template = loadTemplate(ROOT_TEMPLATE);
  // a schedule the hub cannot run stops it here, before anything has started
  const schedules = options.schedules === false ? [] : readScheduleRules(template, LOCAL_PARAMETERS);
  let listener: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (listener) return listener(req, res);
    const starting = errorResponse(503, 'SERVICE_UNAVAILABLE', 'The local hub is still starting.');
    res.writeHead(starting.status, starting.headers).end(starting.body);
  });
  const port = await listen(server, options.port);
  const url = `http://127.0.0.1:${port}`;
  // Undone in reverse: worker, then pending bus deliveries (they still need the stand-ins),
  // then the listener, then DynamoDB Local.
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= closeServer(server);
    return closed;
  };
  const cleanups: Array<() => Promise<void>> = [close];
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      for (const cleanup of [...cleanups].reverse()) await cleanup().catch(() => undefined);
    })();
    return stopped;
  };
  try {
    const buildDir = options.buildDir ?? DIST;
    // All of them by default (what ships); without the worker, only what the hub runs.
    const needed: BundleName[] = options.worker === false ? FUNCTION_BUNDLES : BUNDLE_NAMES;
    if (options.build !== false || missingBundles(buildDir, needed).length > 0)
      await buildBundles(needed, buildDir);
    const missing = missingBundles(buildDir, needed);
    if (missing.length > 0) throw new Error(`the build produced no bundle for: ${missing.join(', ')}`);

    const dynamo: DynamoDbLocal = await startDynamoDbLocal(
      options.store === 'disk' ? { dataDir: resolve(REPO_ROOT, options.dataDir) } : {},
    );
    cleanups.push(() => dynamo.stop(), close);
    const tables = await createTables(dynamo.endpoint, LOCAL_PARAMETERS);

    const topics = readTopics(template, LOCAL_REGION, LOCAL_ACCOUNT);
    const env = bundleEnvironment({
      template,
      url,
      dynamodbEndpoint: dynamo.endpoint,
      tables,
      topics,
      healthFile: join(tmpdir(), `venue-hub-worker-${port}`),
    });
    Object.assign(process.env, env);

    const { document, schema } = loadVenueRulesFromTemplate();
    const rules = new LocalRulesStore(document, (doc) => validateRules(doc, schema));
    const issuer = await LocalIssuer.create(env.JWT_ISSUER as string, env.JWT_CLIENT_ID as string);
    const handlers = {
      VenueApiFunction: await loadHandler(bundlePath('venue-api', buildDir)),
      NotificationFanoutFunction: await loadHandler(bundlePath('notification-fanout', buildDir)),
      // Cognito's sign-up trigger, run by POST /local/cognito/sign-up against the pool stand-in
      PostConfirmationFunction: await loadHandler(bundlePath('post-confirmation', buildDir)),
      // AppConfig's Lambda validator of the venue rules, run by PUT /local/appconfig
      RulesValidatorFunction: await loadHandler(bundlePath('rules-validator', buildDir)),
      // the outbox sweep, run by its schedule rule
      OutboxSweeperFunction: await loadHandler(bundlePath('outbox-sweeper', buildDir)),
    };
    const settings = functionSettings(template);
    const invoke = (functionId: string, event: unknown) => {
      const handler = handlers[functionId as keyof typeof handlers];
      if (!handler) throw new Error(`the hub runs no function ${functionId}`);
      return invokeHandler(handler, event, functionId, settings(functionId).timeoutSeconds);
    };
    const parts = assembleHubParts({
      template,
      env,
      issuer,
      rules,
      invoke,
      siteDir: options.siteDir ?? (await prepareSite(buildDir)),
      siteConfig: () => siteConfig(url, env),
      logger,
    });
    const { bus } = parts;
    // retries still waiting end with the hub; invocations in progress get 3 s to finish
    cleanups.push(() => bus.close(3000));
    let seeded = options.demoData === false;
    listener = createHubListener({ ...parts, ready: () => seeded });

    if (schedules.length > 0) {
      // as EventBridge runs them, whatever the store; stopped before the bus closes
      const scheduler = new LocalScheduler(schedules, bus, {
        account: LOCAL_ACCOUNT,
        region: LOCAL_REGION,
        ...(options.scheduleSeconds !== undefined ? { everyMs: options.scheduleSeconds * 1000 } : {}),
        logger,
      });
      scheduler.start();
      cleanups.push(async () => scheduler.stop());
    }
    if (options.worker !== false) {
      const doc = DynamoDBDocumentClient.from(
        new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo.endpoint }),
      );
      const worker = superviseWorker(bundlePath('worker', buildDir), env, logger, {
        // the lease an earlier worker of this hub left (a crash, or kept tables): ADR 0507
        beforeStart: async () => {
          if (await endLeftoverLease(doc, tables))
            logger.info('ended the worker lease an earlier worker left');
        },
      });
      cleanups.push(async () => {
        await worker.stop();
        doc.destroy();
      });
    }
    if (!seeded) {
      await seedDemoData(url, issuer, logger);
      seeded = true;
    }
    return { url, port, dynamodbEndpoint: dynamo.endpoint, env, parts, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What the site reads at `/config.json` in local mode. */
function siteConfig(url: string, env: Record<string, string>): Record<string, unknown> {
  return {
    mode: 'local',
    apiBaseUrl: '',
    venueId: 'flagship-001',
    timezone: 'America/New_York',
    auth: {
      mode: 'local',
      tokenUrl: '/local/cognito/token',
      issuer: env.JWT_ISSUER,
      clientId: env.JWT_CLIENT_ID,
    },
    demoUsers: DEMO_USERS,
    hubUrl: url,
  };
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
}
