import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BadRequestException,
  GetLatestConfigurationCommand,
  type GetLatestConfigurationResponse,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import {
  type AppConfigDataSender,
  AppConfigRulesProvider,
} from '../../../src/adapters/appconfig/rules-provider.ts';
import { rulesDocumentProblems } from '../../../src/adapters/appconfig/rules-shape.ts';
import { ServiceUnavailable } from '../../../src/domain/errors.ts';
import { createLogger } from '../../../src/observability/log.ts';
import { sampleRules } from '../../helpers/sample-rules.ts';

type Poll = GetLatestConfigurationResponse | Error;

/** An AppConfigData stand-in that answers polls from a script and records every call. */
function fakeAppConfig(polls: Poll[]) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  let sessions = 0;
  let issued = 0;
  const spent = new Set<string>();
  const client = {
    async send(command: unknown) {
      if (command instanceof StartConfigurationSessionCommand) {
        calls.push({ name: 'start', input: { ...command.input } });
        sessions += 1;
        return { InitialConfigurationToken: `initial-${sessions}` };
      }
      if (command instanceof GetLatestConfigurationCommand) {
        const token = command.input.ConfigurationToken ?? '';
        calls.push({ name: 'get', input: { ...command.input } });
        assert.ok(!spent.has(token), `token ${token} reused`);
        spent.add(token);
        const next = polls.shift();
        if (next === undefined) throw new Error('unexpected poll');
        if (next instanceof Error) throw next;
        issued += 1;
        return { NextPollConfigurationToken: `next-${issued}`, ...next };
      }
      throw new Error('unexpected command');
    },
  };
  return { client: client as unknown as AppConfigDataSender, calls };
}

const settings = { application: 'app', environment: 'env', profile: 'rules', pollSeconds: 15 };
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const empty = { Configuration: new Uint8Array() };

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (seconds: number) => (t += seconds * 1000) };
}

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('test', { sink: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('AppConfigRulesProvider', () => {
  it('starts one session lazily and returns the document with its version label', async () => {
    const rules = sampleRules();
    const { client, calls } = fakeAppConfig([{ Configuration: encode(rules), VersionLabel: 'v7' }]);
    const provider = new AppConfigRulesProvider(client, settings);
    assert.equal(calls.length, 0);
    const snapshot = await provider.current();
    assert.deepEqual(snapshot.document, rules);
    assert.equal(snapshot.version, 'v7');
    assert.deepEqual(calls[0], {
      name: 'start',
      input: {
        ApplicationIdentifier: 'app',
        EnvironmentIdentifier: 'env',
        ConfigurationProfileIdentifier: 'rules',
        RequiredMinimumPollIntervalInSeconds: 15,
      },
    });
    assert.deepEqual(calls[1], { name: 'get', input: { ConfigurationToken: 'initial-1' } });
  });

  it('uses a short content hash as version when there is no label', async () => {
    const { client } = fakeAppConfig([{ Configuration: encode(sampleRules()) }]);
    const { version } = await new AppConfigRulesProvider(client, settings).current();
    assert.match(version, /^[0-9a-f]{12}$/);
  });

  it('polls no more often than pollSeconds, with the next token, and an empty body keeps the copy', async () => {
    const time = clock();
    const changed = sampleRules();
    changed.features.queue = false;
    const { client, calls } = fakeAppConfig([
      { Configuration: encode(sampleRules()), VersionLabel: 'v1' },
      empty,
      { Configuration: encode(changed), VersionLabel: 'v2' },
    ]);
    const provider = new AppConfigRulesProvider(client, settings, undefined, time.now);
    await provider.current();
    time.advance(14);
    await provider.current();
    assert.equal(calls.filter((c) => c.name === 'get').length, 1);
    time.advance(1);
    assert.equal((await provider.current()).version, 'v1');
    assert.deepEqual(calls.at(-1), { name: 'get', input: { ConfigurationToken: 'next-1' } });
    time.advance(15);
    const latest = await provider.current();
    assert.equal(latest.version, 'v2');
    assert.equal(latest.document.features.queue, false);
    assert.equal(calls.filter((c) => c.name === 'start').length, 1);
  });

  it('treats a missing or null body as unchanged', async () => {
    const time = clock();
    const { client } = fakeAppConfig([
      { Configuration: encode(sampleRules()), VersionLabel: 'v1' },
      { Configuration: null as unknown as Uint8Array },
      {},
    ]);
    const provider = new AppConfigRulesProvider(client, settings, undefined, time.now);
    await provider.current();
    for (let i = 0; i < 2; i += 1) {
      time.advance(15);
      assert.equal((await provider.current()).version, 'v1');
    }
  });

  it('honours a longer poll interval announced by AppConfig', async () => {
    const time = clock();
    const { client, calls } = fakeAppConfig([
      { Configuration: encode(sampleRules()), NextPollIntervalInSeconds: 60 },
      empty,
    ]);
    const provider = new AppConfigRulesProvider(client, settings, undefined, time.now);
    await provider.current();
    time.advance(30);
    await provider.current();
    assert.equal(calls.filter((c) => c.name === 'get').length, 1);
    time.advance(30);
    await provider.current();
    assert.equal(calls.filter((c) => c.name === 'get').length, 2);
  });

  it('leaves out the minimum interval below 15 s (local hub) and polls at pollSeconds', async () => {
    const time = clock();
    const { client, calls } = fakeAppConfig([
      { Configuration: encode(sampleRules()), NextPollIntervalInSeconds: 60 },
      empty,
    ]);
    const provider = new AppConfigRulesProvider(client, { ...settings, pollSeconds: 1 }, undefined, time.now);
    await provider.current();
    assert.equal(calls[0]?.input.RequiredMinimumPollIntervalInSeconds, undefined);
    time.advance(1);
    await provider.current();
    assert.equal(calls.filter((c) => c.name === 'get').length, 2);
  });

  it('keeps the last good copy when a poll fails, and restarts the session (expired token)', async () => {
    const time = clock();
    const { logger, lines } = capture();
    const expired = new BadRequestException({ message: 'Token expired', $metadata: {} });
    const { client, calls } = fakeAppConfig([
      { Configuration: encode(sampleRules()), VersionLabel: 'v1' },
      expired,
      { Configuration: encode(sampleRules()), VersionLabel: 'v2' },
    ]);
    const provider = new AppConfigRulesProvider(client, settings, logger, time.now);
    await provider.current();
    time.advance(15);
    assert.equal((await provider.current()).version, 'v1');
    assert.ok(lines.some((l) => l.level === 'warn' && l.errorName === 'BadRequestException'));
    time.advance(5);
    await provider.current();
    assert.equal(calls.filter((c) => c.name === 'get').length, 2, 'no retry before the interval');
    time.advance(10);
    assert.equal((await provider.current()).version, 'v2');
    assert.deepEqual(
      calls.map((c) => c.name),
      ['start', 'get', 'get', 'start', 'get'],
    );
    assert.deepEqual(calls.at(-1)?.input, { ConfigurationToken: 'initial-2' });
  });

  it('keeps the last good copy when a new document is malformed, and logs it', async () => {
    const time = clock();
    const { logger, lines } = capture();
    const broken = sampleRules() as unknown as { venues: Record<string, Record<string, unknown>> };
    delete broken.venues['flagship-001']?.timezone;
    const { client } = fakeAppConfig([
      { Configuration: encode(sampleRules()), VersionLabel: 'v1' },
      { Configuration: encode(broken), VersionLabel: 'v2' },
      { Configuration: new TextEncoder().encode('{not json'), VersionLabel: 'v3' },
    ]);
    const provider = new AppConfigRulesProvider(client, settings, logger, time.now);
    await provider.current();
    time.advance(15);
    assert.equal((await provider.current()).version, 'v1');
    time.advance(15);
    assert.equal((await provider.current()).version, 'v1');
    const rejected = lines.filter((l) => l.message === 'venue rules rejected; keeping the last good copy');
    assert.deepEqual(
      rejected.map((l) => l.version),
      ['v2', 'v3'],
    );
    assert.deepEqual(rejected[0]?.problems, ['venues.flagship-001.timezone must be an IANA time zone']);
  });

  it('checks an announced lane return is a time', () => {
    const doc = sampleRules();
    const lane = doc.venues['flagship-001']!.lanes[0]!;
    Object.assign(lane, { open: false, reopensAt: '2026-12-05T17:30:00Z' });
    assert.deepEqual(rulesDocumentProblems(doc), []);
    Object.assign(lane, { reopensAt: 'after lunch' });
    assert.deepEqual(rulesDocumentProblems(doc), [
      'venues.flagship-001.lanes[0].reopensAt must be an ISO time',
    ]);
  });

  it('checks the operators’ alert language is one the fan-out speaks', () => {
    const doc = sampleRules();
    const alerts = doc.venues['flagship-001']!.alerts;
    alerts.language = 'es';
    assert.deepEqual(rulesDocumentProblems(doc), []);
    Object.assign(alerts, { language: 'fr' });
    assert.deepEqual(rulesDocumentProblems(doc), ['venues.flagship-001.alerts.language must be en or es']);
  });

  it('throws ServiceUnavailable when the very first load fails, and recovers on a later call', async () => {
    const time = clock();
    const { client } = fakeAppConfig([
      new Error('network down'),
      { Configuration: encode(sampleRules()), VersionLabel: 'v1' },
    ]);
    const provider = new AppConfigRulesProvider(client, settings, undefined, time.now);
    await assert.rejects(provider.current(), ServiceUnavailable);
    time.advance(15);
    assert.equal((await provider.current()).version, 'v1');
  });

  it('retries a failed first load at most once a second, failing fast in between', async () => {
    const time = clock();
    const { client, calls } = fakeAppConfig([
      new Error('network down'),
      { Configuration: encode(sampleRules()), VersionLabel: 'v1' },
    ]);
    const provider = new AppConfigRulesProvider(client, settings, undefined, time.now);
    await assert.rejects(provider.current(), ServiceUnavailable);
    await assert.rejects(provider.current(), ServiceUnavailable);
    assert.equal(calls.filter((c) => c.name === 'get').length, 1);
    time.advance(1);
    assert.equal((await provider.current()).version, 'v1');
  });

  it('throws ServiceUnavailable when the first document is malformed or empty', async () => {
    for (const poll of [{ Configuration: encode({ venues: {} }) }, empty]) {
      const { client } = fakeAppConfig([poll]);
      await assert.rejects(new AppConfigRulesProvider(client, settings).current(), ServiceUnavailable);
    }
  });

  it('lets no caller act on the old copy while the poll that replaces it runs', async () => {
    const { client, calls } = fakeAppConfig([
      { Configuration: encode(sampleRules()), VersionLabel: 'v1' },
      { Configuration: encode(sampleRules()), VersionLabel: 'v2' },
    ]);
    // The second poll answers only when released, as a slow network would.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: AppConfigDataSender = {
      send: (async (command: unknown) => {
        if (command instanceof GetLatestConfigurationCommand && calls.length > 1) await gate;
        return client.send(command as never);
      }) as AppConfigDataSender['send'],
    };
    const time = clock();
    const provider = new AppConfigRulesProvider(slow, settings, undefined, time.now);
    assert.equal((await provider.current()).version, 'v1');
    time.advance(15);
    const first = provider.current();
    const second = provider.current();
    release();
    assert.deepEqual(
      (await Promise.all([first, second])).map((r) => r.version),
      ['v2', 'v2'],
    );
    assert.equal(calls.filter((c) => c.name === 'get').length, 2);
  });

  it('shares one poll between concurrent callers', async () => {
    const { client, calls } = fakeAppConfig([{ Configuration: encode(sampleRules()), VersionLabel: 'v1' }]);
    const provider = new AppConfigRulesProvider(client, settings);
    const results = await Promise.all([provider.current(), provider.current(), provider.current()]);
    assert.ok(results.every((r) => r.version === 'v1'));
    assert.equal(calls.filter((c) => c.name === 'get').length, 1);
  });
});
