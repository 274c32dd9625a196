/**
 * A hub server around fake functions and the fixture template (test/local/fixtures): the
 * venue-api fake records the events it gets; the fan-out fake publishes one message per topic
 * through the real SNS client, and fails `detail.failTimes` times first.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { handler as validateRulesContent } from '../../../src/handlers/rules-validator.ts';
import { loadTemplate } from '../../../src/local/cfn-template.ts';
import { LocalIssuer } from '../../../src/local/cognito-issuer.ts';
import { assembleHubParts } from '../../../src/local/hub-parts.ts';
import { createHubListener, STAND_IN_PATHS } from '../../../src/local/hub-server.ts';
import { LocalRulesStore } from '../../../src/local/rules-store.ts';
import type { BusEvent } from '../../../src/local/stand-ins/eventbridge.ts';
import { validateRules } from '../../../src/local/venue-rules.ts';
import { createLogger } from '../../../src/observability/log.ts';

export const AWS = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const template = loadTemplate(join(import.meta.dirname, '../fixtures/template.yaml'));
const schema = {
  type: 'object',
  required: ['venues', 'features'],
  properties: {
    venues: { type: 'object' },
    features: { type: 'object', required: ['queue'], properties: { queue: { type: 'boolean' } } },
  },
};
export const rulesDoc = { venues: {}, features: { queue: true, pickup: true, campaigns: true } };

export interface HubFixture {
  url: string;
  parts: ReturnType<typeof assembleHubParts>;
  apiEvents: unknown[];
  fanout: { failures: number };
}

/** Starts the fixture hub for one test file (before/after hooks registered here). */
export function useHubFixture(): HubFixture {
  const fixture = { url: '', apiEvents: [], fanout: { failures: 0 } } as unknown as HubFixture;
  let server: Server;
  before(async () => {
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    fixture.url = url;
    const issuer = await LocalIssuer.create(`${url}/local/cognito`, 'local-site');
    const siteDir = mkdtempSync(join(tmpdir(), 'hub-site-'));
    writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>site</title>');
    writeFileSync(join(siteDir, 'app.js'), 'console.log(1)');
    const sns = new SNSClient({ ...AWS, endpoint: `${url}${STAND_IN_PATHS.sns}` });
    fixture.parts = assembleHubParts({
      template,
      env: {
        EVENT_BUS_NAME: 'venue-hub-local-bus',
        APPCONFIG_APPLICATION: 'venue-hub',
        APPCONFIG_ENVIRONMENT: 'local',
        APPCONFIG_PROFILE: 'venue-rules',
      },
      issuer,
      rules: new LocalRulesStore(rulesDoc as never, (doc) => validateRules(doc, schema)),
      invoke: async (functionId, event) => {
        // the real validator, as the hub runs its bundle
        if (functionId === 'RulesValidatorFunction') return validateRulesContent(event as never);
        if (functionId === 'VenueApiFunction') {
          fixture.apiEvents.push(event);
          return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
        }
        const busEvent = event as BusEvent;
        if (busEvent.detail.failTimes && fixture.fanout.failures < Number(busEvent.detail.failTimes)) {
          fixture.fanout.failures += 1;
          throw new Error('fan-out failed');
        }
        for (const [topicId, channel] of [
          ['ShopperNotificationsTopic', 'email'],
          ['OperatorAlertsTopic', 'operator'],
        ] as const) {
          await sns.send(
            new PublishCommand({
              TopicArn: fixture.parts.sns.arnOf(topicId),
              Message: JSON.stringify({ eventType: busEvent['detail-type'], ...busEvent.detail }),
              MessageAttributes: {
                eventType: { DataType: 'String', StringValue: busEvent['detail-type'] },
                venueId: { DataType: 'String', StringValue: String(busEvent.detail.venueId) },
                channel: { DataType: 'String', StringValue: channel },
              },
            }),
          );
        }
        return undefined;
      },
      siteDir,
      siteConfig: () => ({ mode: 'local' }),
      logger: createLogger('test', { sink: () => undefined }),
      busOptions: { baseDelayMs: 5, maxAttempts: 3 },
    });
    server.on('request', createHubListener(fixture.parts));
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return fixture;
}

/** A request to the fixture hub; the JSON body is read loosely. */
export async function http(
  fixture: HubFixture,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${fixture.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in assertions
  return { status: response.status, text, json: json as Record<string, any>, headers: response.headers };
}
