/**
 * `npm start`: the local hub (docs/local-hub.md). PORT (default 3000), HUB_STORE=memory for
 * nothing on disk, HUB_DATA_DIR (default .hub-data), HUB_SCHEDULE_SECONDS to run the
 * template's schedules (the outbox sweep) more often than their rate. Ctrl-C or SIGTERM stops
 * everything.
 */
import { resolve } from 'node:path';
import { ConfigError, hubSettings } from '../src/config/env.ts';
import { DEMO_USERS } from '../src/local/demo-users.ts';
import { PortInUse, type RunningHub, startHub } from '../src/local/hub.ts';

function banner(hub: RunningHub, store: string): string {
  const tokenCurl = (username: string, groups: readonly string[]) =>
    `curl -s -X POST ${hub.url}/local/cognito/token -H 'content-type: application/json' -d '${JSON.stringify({ username, groups })}'`;
  return [
    '',
    `Venue hub ready at ${hub.url}  (site: ${hub.url}/, store: ${store}, DynamoDB Local: ${hub.dynamodbEndpoint})`,
    '',
    'Demo users (any password-free token from the local issuer):',
    ...DEMO_USERS.map((u) => `  ${u.username.padEnd(8)} groups: ${u.groups.join(', ')}`),
    '',
    'Try it:',
    `  curl -s ${hub.url}/venues/flagship-001/events`,
    `  TOKEN=$(${tokenCurl('alice', ['shoppers'])} | node -pe 'JSON.parse(require("fs").readFileSync(0,"utf8")).access_token')`,
    `  curl -s -H "authorization: Bearer $TOKEN" ${hub.url}/me/reservations`,
    '',
    `Local views: ${hub.url}/local/outbox  ${hub.url}/local/appconfig  ${hub.url}/local/dlq`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  let settings: ReturnType<typeof hubSettings>;
  try {
    settings = hubSettings();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  let stopping = false;
  const starting = startHub({
    port: settings.port,
    store: settings.store,
    dataDir: settings.dataDir,
    ...(settings.buildDir ? { buildDir: resolve(settings.buildDir) } : {}),
    ...(settings.scheduleSeconds !== undefined ? { scheduleSeconds: settings.scheduleSeconds } : {}),
  });
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping the hub…\n');
    // A signal during start-up waits for it, so nothing it spawned (Java, worker) outlives us.
    const running = await starting.catch(() => undefined);
    await running?.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // In AWS a stray rejection in a handler ends one Lambda sandbox; here it would end every
  // function at once, so it is reported and the hub carries on.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(
      `[hub] unhandled rejection in a function: ${reason instanceof Error ? reason.stack : String(reason)}\n`,
    );
  });
  // A wrapper that dies without passing the signal on (a shell between npm and node) would
  // leave the hub orphaned: when the parent changes, stop as if signalled.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown();
  }, 1000).unref();
  let hub: RunningHub;
  try {
    hub = await starting;
  } catch (error) {
    if (error instanceof PortInUse) {
      process.stderr.write(
        `Port ${error.port} is already in use on 127.0.0.1. Stop whatever runs there, or start on another port: PORT=3001 npm start\n`,
      );
    } else {
      process.stderr.write(
        `The hub could not start: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
    process.exit(1);
  }
  if (stopping) return;
  process.stdout.write(banner(hub, settings.store === 'memory' ? 'memory' : settings.dataDir));
}

await main();
