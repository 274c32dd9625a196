import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PREFERENCES } from '../../site/src/api.ts';
import { formLanguage } from '../../site/src/views/preferences.ts';

describe('preferences form', () => {
  it('starts at the language the site is shown in while nothing has been saved', () => {
    assert.equal(formLanguage(structuredClone(DEFAULT_PREFERENCES), 'es'), 'es');
    // the same defaults in another key order (as JSON may bring them)
    const { marketingOptIn, language, ...rest } = DEFAULT_PREFERENCES;
    assert.equal(formLanguage({ marketingOptIn, language, ...rest }, 'es'), 'es');
  });

  it('starts at the saved language once something was saved', () => {
    assert.equal(formLanguage({ ...DEFAULT_PREFERENCES, phone: '+15555550100' }, 'es'), 'en');
    assert.equal(formLanguage({ ...DEFAULT_PREFERENCES, language: 'es' }, 'en'), 'es');
  });
});
