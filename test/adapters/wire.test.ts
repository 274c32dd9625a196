/**
 * The adapters through the real SDK clients, against a local HTTP server: proves what goes on
 * the wire (the shape the local hub's stand-ins must accept) and that the SDK's parsed
 * responses are read correctly.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { AppConfigRulesProvider } from '../../src/adapters/appconfig/rules-provider.ts';
import { EventBridgePublisher } from '../../src/adapters/eventbridge/event-publisher.ts';
import { SnsNotifier } from '../../src/adapters/sns/notifier.ts';
import { ServiceUnavailable } from '../../src/domain/errors.ts';
import { LOCAL_AWS } from '../../src/local/dynamodb-local.ts';
import { sampleRules } from '../helpers/sample-rules.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Route = (req: Seen, res: ServerResponse) => void;

let endpoint = '';
const seen: Seen[] = [];
let route: Route = (_req, res) => res.writeHead(500).end();
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const entry = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    seen.push(entry);
    route(entry, res);
  });
});

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function use(r: Route) {
  seen.length = 0;
  route = r;
}

describe('adapters on the wire', () => {
  it('SnsNotifier sends a Query-protocol Publish with the four string attributes', async () => {
    use((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>',
        ),
    );
    const client = new SNSClient({ ...LOCAL_AWS, endpoint });
    const notifier = new SnsNotifier(client, {
      shopper: 'arn:aws:sns:us-east-1:000000000000:shopper',
      operator: 'op',
    });
    const body = { eventType: 'PickupCompleted', ticketId: 't-1', text: 'Gracias ¡listo!' };
    await notifier.publish({
      topic: 'shopper',
      eventType: 'PickupCompleted',
      venueId: 'flagship-001',
      channel: 'email',
      correlationId: 'req-1',
      body,
    });
    const form = new URLSearchParams(seen[0]?.body);
    assert.equal(form.get('Action'), 'Publish');
    assert.equal(form.get('TopicArn'), 'arn:aws:sns:us-east-1:000000000000:shopper');
    assert.deepEqual(JSON.parse(form.get('Message') ?? ''), body);
    const attributes: Record<string, [string | null, string | null]> = {};
    for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i += 1) {
      attributes[form.get(`MessageAttributes.entry.${i}.Name`) ?? ''] = [
        form.get(`MessageAttributes.entry.${i}.Value.DataType`),
        form.get(`MessageAttributes.entry.${i}.Value.StringValue`),
      ];
    }
    assert.deepEqual(attributes, {
      eventType: ['String', 'PickupCompleted'],
      venueId: ['String', 'flagship-001'],
      channel: ['String', 'email'],
      correlationId: ['String', 'req-1'],
    });
    client.destroy();
  });

  it('SnsNotifier turns an SNS error response into ServiceUnavailable', async () => {
    use((_req, res) =>
      res
        .writeHead(404, { 'content-type': 'text/xml' })
        .end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>',
        ),
    );
    const client = new SNSClient({ ...LOCAL_AWS, endpoint, maxAttempts: 1 });
    const notifier = new SnsNotifier(client, { shopper: 's', operator: 'o' });
    await assert.rejects(
      notifier.publish({
        topic: 'operator',
        eventType: 'X',
        venueId: 'v',
        channel: 'operator',
        correlationId: 'c',
        body: {},
      }),
      ServiceUnavailable,
    );
    client.destroy();
  });

  it('EventBridgePublisher sends AWSEvents.PutEvents and fails on FailedEntryCount', async () => {
    let failed = 0;
    use((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
        .end(JSON.stringify({ FailedEntryCount: failed, Entries: [{ EventId: 'e-1' }] })),
    );
    const client = new EventBridgeClient({ ...LOCAL_AWS, endpoint });
    const publisher = new EventBridgePublisher(client, 'venue-bus');
    const detail = {
      id: '0b6f9a52-7c1d-4e8a-b3f4-5d2c1e0a9b87',
      occurredAt: '2026-12-01T15:00:00.000Z',
      venueId: 'flagship-001',
      userId: 'u',
      correlationId: 'c',
    };
    await publisher.publish([{ detailType: 'PickupCompleted', detail }]);
    assert.equal(seen[0]?.headers['x-amz-target'], 'AWSEvents.PutEvents');
    assert.deepEqual(JSON.parse(seen[0]?.body ?? ''), {
      Entries: [
        {
          EventBusName: 'venue-bus',
          Source: 'venue.hub',
          DetailType: 'PickupCompleted',
          Detail: JSON.stringify(detail),
        },
      ],
    });
    failed = 1;
    await assert.rejects(publisher.publish([{ detailType: 'PickupCompleted', detail }]), ServiceUnavailable);
    client.destroy();
  });

  it('AppConfigRulesProvider starts a session and reads the configuration with its headers', async () => {
    const rules = sampleRules();
    use((req, res) => {
      if (req.method === 'POST' && req.url === '/configurationsessions') {
        res
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ InitialConfigurationToken: 'tok-1' }));
        return;
      }
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'next-poll-configuration-token': 'tok-2',
          'next-poll-interval-in-seconds': '15',
          'version-label': 'v3',
        })
        .end(JSON.stringify(rules));
    });
    const client = new AppConfigDataClient({ ...LOCAL_AWS, endpoint });
    const provider = new AppConfigRulesProvider(client, {
      application: 'venue-hub',
      environment: 'dev',
      profile: 'venue-rules',
      pollSeconds: 15,
    });
    const snapshot = await provider.current();
    assert.equal(snapshot.version, 'v3');
    assert.deepEqual(snapshot.document, rules);
    assert.deepEqual(JSON.parse(seen[0]?.body ?? ''), {
      ApplicationIdentifier: 'venue-hub',
      EnvironmentIdentifier: 'dev',
      ConfigurationProfileIdentifier: 'venue-rules',
      RequiredMinimumPollIntervalInSeconds: 15,
    });
    assert.equal(seen[1]?.method, 'GET');
    assert.equal(seen[1]?.url, '/configuration?configuration_token=tok-1');
    client.destroy();
  });
});
