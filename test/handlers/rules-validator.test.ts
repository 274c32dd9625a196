/**
 * The venue rules' AppConfig validator: it accepts what the bundles can use and refuses, with
 * a message AppConfig shows and the problems the local hub answers, what they would ignore.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  type AppConfigValidationEvent,
  contentProblems,
  createRulesValidator,
  RulesRefused,
} from '../../src/handlers/rules-validator.ts';
import { REPO_ROOT } from '../../src/local/dynamodb-local.ts';
import { loadVenueRulesFromTemplate } from '../../src/local/venue-rules.ts';
import { createLogger } from '../../src/observability/log.ts';

const { document } = loadVenueRulesFromTemplate();
const [venueId, venue] = Object.entries(document.venues)[0]!;

function event(content: unknown, raw = false): AppConfigValidationEvent {
  return {
    applicationId: 'app1',
    configurationProfileId: 'prof1',
    configurationVersion: '7',
    content: raw ? String(content) : Buffer.from(JSON.stringify(content)).toString('base64'),
    uri: 'hosted',
  };
}

function validator() {
  const lines: Record<string, unknown>[] = [];
  const validate = createRulesValidator(
    createLogger('rules-validator', { sink: (line) => lines.push(JSON.parse(line)) }),
  );
  return { validate, lines };
}

describe('rules-validator (AppConfig Lambda validator)', () => {
  it('accepts the rules template.yaml deploys', async () => {
    const { validate, lines } = validator();
    await validate(event(document));
    assert.equal(lines.at(-1)?.message, 'venue rules accepted');
    assert.equal(lines.at(-1)?.configurationVersion, '7');
  });

  it('refuses a time zone that does not exist, which the JSON Schema lets through', async () => {
    const { validate, lines } = validator();
    const mars = { ...document, venues: { [venueId]: { ...venue, timezone: 'Mars/Olympus' } } };
    const refused = await validate(event(mars)).then(
      () => assert.fail('accepted'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof RulesRefused);
    assert.deepEqual(refused.problems, [
      { path: `venues.${venueId}.timezone`, message: 'must be an IANA time zone' },
    ]);
    // what AppConfig shows the operator who started the deployment
    assert.equal(
      refused.message,
      `The venue rules cannot be deployed: venues.${venueId}.timezone must be an IANA time zone`,
    );
    assert.equal(lines.at(-1)?.message, 'venue rules refused');
  });

  it('refuses content that is not JSON, or no content at all', () => {
    assert.deepEqual(contentProblems(Buffer.from('{"venues":').toString('base64')), [
      { path: '', message: 'is not valid JSON' },
    ]);
    assert.deepEqual(contentProblems(undefined), [{ path: '', message: 'carries no base64 content' }]);
    assert.deepEqual(contentProblems(Buffer.from('[]').toString('base64')), [
      { path: '', message: 'must be a JSON object' },
    ]);
  });

  it('names every problem of a document at once', async () => {
    const { validate } = validator();
    const broken = { venues: { [venueId]: { ...venue, timezone: 'Nowhere' } }, features: { queue: 'yes' } };
    await assert.rejects(validate(event(broken)), (error: RulesRefused) => {
      const paths = error.problems.map((p) => p.path);
      assert.ok(paths.includes(`venues.${venueId}.timezone`), paths.join());
      assert.ok(paths.includes('features.queue'), paths.join());
      return true;
    });
  });

  it('accepts the sample event of events/appconfig (sam local invoke, npm run invoke)', async () => {
    const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'events/appconfig/validate-rules.json'), 'utf8'));
    assert.deepEqual(contentProblems(sample.content), []);
    await validator().validate(sample);
  });
});
