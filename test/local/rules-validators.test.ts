/**
 * How the hub answers the refusal of a rules profile's Lambda validator (ADR 0506): whatever a
 * validator throws refuses the document with 400 details, never accepts it and never fails
 * `PUT /local/appconfig` with a 500.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rulesValidatorsOf } from '../../src/local/hub-parts.ts';
import { LocalRulesStore } from '../../src/local/rules-store.ts';
import { loadVenueRulesFromTemplate, validateRules } from '../../src/local/venue-rules.ts';

const { document, schema } = loadVenueRulesFromTemplate();
const rules = new LocalRulesStore(document, (doc) => validateRules(doc, schema));
const env = { APPCONFIG_APPLICATION: 'venue-hub', APPCONFIG_PROFILE: 'venue-rules' };
const refusing = (thrown: unknown) =>
  rulesValidatorsOf(['RulesValidatorFunction'], async () => Promise.reject(thrown), env, rules);

describe('the hub running the rules validators', () => {
  it('answers the bundled refusal with its problems as JSON pointers', async () => {
    const run = refusing(
      Object.assign(new Error('The venue rules cannot be deployed'), {
        problems: [{ path: 'venues.x.lanes[0].open', message: 'must be a boolean' }],
      }),
    );
    assert.deepEqual(await run(document), [{ path: '/venues/x/lanes/0/open', message: 'must be a boolean' }]);
  });

  it('refuses the document when a validator fails with no usable problems', async () => {
    for (const thrown of [
      Object.assign(new Error('refused, no details'), { problems: [] }),
      Object.assign(new Error('odd problems'), { problems: [{ where: 'x' }, null, 'text'] }),
      null,
      undefined,
      'a string thrown',
    ]) {
      const details = await refusing(thrown)(document);
      assert.equal(details.length, 1, String(thrown));
      assert.equal(details[0]!.path, '/');
      assert.match(details[0]!.message, /^RulesValidatorFunction refused it/);
    }
  });

  it('accepts the document when every validator returns', async () => {
    const run = rulesValidatorsOf(['RulesValidatorFunction'], async () => undefined, env, rules);
    assert.deepEqual(await run(document), []);
  });
});
