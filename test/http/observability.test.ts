/** One structured log line per request (ids, route, status, latency; no personal data) and EMF metrics. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, FeatureDisabled } from '../../src/domain/errors.ts';
import { createEvent, createHarness } from '../helpers/api-harness.ts';

describe('request logs and metrics', () => {
  it('logs request id, correlation id, route, status and latency, without personal data', async () => {
    const lines: string[] = [];
    const h = await createHarness({ logLines: lines });
    const event = await createEvent(h);
    lines.length = 0;
    const res = await h.call('POST', `/events/${event.eventId}/reservations`, {
      as: 'alice',
      body: { partySize: 1 },
      headers: { 'x-correlation-id': 'corr-42' },
    });
    assert.equal(res.headers['x-correlation-id'], 'corr-42');
    const records = lines.map((l) => JSON.parse(l));
    const log = records.find((r) => r.message === 'request');
    assert.equal(log.correlationId, 'corr-42');
    assert.equal(log.route, 'POST /events/{eventId}/reservations');
    assert.equal(log.status, 201);
    assert.equal(typeof log.latencyMs, 'number');
    assert.match(log.requestId, /^req-/);
    assert.doesNotMatch(lines.join('\n'), /user-alice|Bearer|eyJ/);
    const metricNames = records
      .filter((r) => r._aws)
      .flatMap((r) => r._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name));
    assert.deepEqual(metricNames.sort(), ['Bookings', 'Latency']);
  });

  it('counts rejections by code and falls back to the request id for correlation', async () => {
    const lines: string[] = [];
    const h = await createHarness({ logLines: lines });
    const res = await h.call('GET', '/events/missing', {
      headers: { 'x-correlation-id': 'bad id with spaces' },
    });
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-correlation-id'], res.body.error.requestId);
    const rejection = lines.map((l) => JSON.parse(l)).find((r) => r.Code);
    assert.equal(rejection.Code, 'NOT_FOUND');
    assert.equal(rejection.Rejections, 1);
  });

  it('answers unknown routes 404 and hides unexpected failures behind 500 INTERNAL', async () => {
    const lines: string[] = [];
    const h = await createHarness({ logLines: lines });
    const unknown = await h.call('GET', '/nowhere');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'NOT_FOUND');
    h.memory.catalog.get = async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.1:8000 table venue-hub-prod-events');
    };
    const res = await h.call('GET', '/events/e1');
    assert.equal(res.status, 500);
    assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'details', 'message', 'requestId']);
    assert.equal(res.body.error.code, 'INTERNAL');
    assert.doesNotMatch(JSON.stringify(res.body), /ECONNREFUSED|venue-hub|stack/);
    assert.ok(lines.some((l) => JSON.parse(l).message === 'unhandled error'));
  });

  it('logs what caused an adapter’s INTERNAL, which the client never sees; a refusal is not an error', async () => {
    const lines: string[] = [];
    const h = await createHarness({ logLines: lines });
    const sdkError = Object.assign(
      new Error('The provided starting key does not match the range key predicate'),
      {
        name: 'ValidationException',
      },
    );
    h.memory.catalog.get = async () => {
      throw new DomainError('INTERNAL', 'The data store failed.', { cause: sdkError });
    };
    const res = await h.call('GET', '/events/e1');
    assert.equal(res.status, 500);
    assert.doesNotMatch(JSON.stringify(res.body), /ValidationException|range key/);
    const failure = lines.map((l) => JSON.parse(l)).find((r) => r.level === 'error');
    assert.equal(failure?.message, 'failed request');
    assert.equal(failure?.requestId, res.body.error.requestId);
    assert.equal(failure?.code, 'INTERNAL');
    assert.equal(failure?.errorName, 'ValidationException');
    assert.match(failure?.errorMessage ?? '', /range key predicate/);

    lines.length = 0;
    h.memory.catalog.get = async () => {
      throw new FeatureDisabled('campaigns');
    };
    assert.equal((await h.call('GET', '/events/e1')).status, 503);
    assert.ok(!lines.some((l) => JSON.parse(l).level === 'error'));
  });
});
