/**
 * `npm run invoke -- <FunctionLogicalId> <event.json>`: a Docker-free `sam local invoke`.
 * Resolves the function's bundle from its `Handler` in template.yaml, builds it, and runs it
 * once with the event, with the local stand-ins around it:
 *
 * - by default a throwaway hub in this process (DynamoDB Local in memory, tables from
 *   templates/data.yaml, the EventBridge/SNS/AppConfig stand-ins, no worker, no schedules, no
 *   demo data);
 * - with HUB_URL=http://127.0.0.1:3000, against that running hub (its tables and stand-ins).
 *
 * INVOKE_USER=alice (and INVOKE_GROUPS=operators) mints a local access token for that user
 * and puts it into an HTTP API event (Authorization header and authorizer claims).
 * The result goes to stdout as JSON; the function's logs go to stderr. Exit code 1 if the
 * function throws.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, hubSettings } from '../src/config/env.ts';
import { flattenClaims } from '../src/local/api-gateway-event.ts';
import { buildBundles, bundleForFunction, bundlePath, DIST, FUNCTION_BUNDLES } from '../src/local/bundles.ts';
import { loadTemplate } from '../src/local/cfn-template.ts';
import { type RunningHub, startHub } from '../src/local/hub.ts';
import { functionSettings } from '../src/local/hub-env.ts';
import { invokeHandler, loadHandler } from '../src/local/lambda-runtime.ts';
import { ROOT_TEMPLATE } from '../src/local/venue-rules.ts';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) fail(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Puts a freshly minted token into an HTTP API event, as API Gateway would pass it on. */
function withToken(event: Record<string, unknown>, token: string): Record<string, unknown> {
  const [, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  const headers = { ...((event.headers as Record<string, string>) ?? {}), authorization: `Bearer ${token}` };
  const requestContext = (event.requestContext ?? {}) as Record<string, unknown>;
  return {
    ...event,
    headers,
    requestContext: { ...requestContext, authorizer: { jwt: { claims: flattenClaims(claims), scopes: [] } } },
  };
}

async function main(): Promise<void> {
  const [functionId, eventFile] = process.argv.slice(2);
  if (!functionId || !eventFile) fail('usage: npm run invoke -- <FunctionLogicalId> events/<file>.json');
  let settings: ReturnType<typeof hubSettings>;
  try {
    settings = hubSettings();
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
  const template = loadTemplate(ROOT_TEMPLATE);
  const resource = template.Resources[functionId];
  if (resource?.Type !== 'AWS::Serverless::Function')
    fail(`template.yaml has no AWS::Serverless::Function ${functionId}`);
  const handlerSpec = String(resource.Properties?.Handler ?? 'index.handler');
  const bundle = bundleForFunction(functionId, handlerSpec);
  if (!bundle) fail(`no bundle builds ${functionId} (Handler ${handlerSpec})`);
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(readFileSync(resolve(eventFile), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    fail(`cannot read the event ${eventFile}: ${error instanceof Error ? error.message : String(error)}`);
  }

  const buildDir = settings.buildDir ? resolve(settings.buildDir) : DIST;
  await buildBundles(settings.hubUrl ? [bundle] : [...new Set([...FUNCTION_BUNDLES, bundle])], buildDir);
  let hub: RunningHub | undefined;
  if (settings.hubUrl) {
    const env = await (await fetch(`${settings.hubUrl}/local/env`)).json();
    Object.assign(process.env, env as Record<string, string>);
  } else {
    hub = await startHub({
      buildDir,
      port: 0,
      store: 'memory',
      dataDir: '',
      build: false,
      worker: false,
      // one invocation, nothing in the background
      schedules: false,
      demoData: false,
    });
  }
  if (typeof event.triggerSource === 'string' && typeof event.userName === 'string') {
    // A Cognito trigger's sample event names a pool and a user of its own: as with tokens in
    // HTTP events, the local pool stands in (the user is created there, not yet in a group).
    const base = settings.hubUrl ?? hub?.url;
    const created = await post(`${base}/local/cognito/users`, { username: event.userName });
    event = { ...event, userPoolId: created.userPoolId };
  }
  if (settings.invokeUser) {
    const tokenUrl = `${settings.hubUrl ?? hub?.url}/local/cognito/token`;
    const minted = await post(tokenUrl, { username: settings.invokeUser, groups: settings.invokeGroups });
    event = withToken(event, String(minted.access_token));
  }

  // The function's own logs go to stderr, so stdout carries only the result (as with sam).
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  let code = 0;
  let output: unknown;
  try {
    const handler = await loadHandler(bundlePath(bundle, buildDir), handlerSpec.split('.')[1] ?? 'handler');
    output = await invokeHandler(
      handler,
      event,
      functionId,
      functionSettings(template)(functionId).timeoutSeconds,
    );
  } catch (error) {
    code = 1;
    output = {
      errorType: error instanceof Error ? error.name : 'Error',
      errorMessage: error instanceof Error ? error.message : String(error),
    };
  }
  await hub?.parts.bus.idle();
  const published = hub?.parts.sns.outbox() ?? [];
  process.stdout.write = stdoutWrite;
  process.stdout.write(`${JSON.stringify(output ?? null, null, 2)}\n`);
  if (published.length > 0)
    process.stderr.write(`SNS messages in the local outbox:\n${JSON.stringify(published, null, 2)}\n`);
  await hub?.stop();
  process.exit(code);
}

await main();
