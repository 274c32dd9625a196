import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorMessage, initLanguage, LANGUAGES, setLanguage, t } from '../../site/src/i18n.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('site strings', () => {
  it('has every English message in Spanish, non-empty, with the same placeholders', () => {
    for (const [key, english] of Object.entries(LANGUAGES.en)) {
      const spanish = LANGUAGES.es[key as keyof typeof LANGUAGES.en];
      assert.ok(spanish && spanish.trim().length > 0, `es.${key} is empty`);
      assert.deepEqual(placeholders(spanish), placeholders(english), `placeholders of ${key}`);
    }
  });

  it('has a message for every error code of the contract', () => {
    const codes = [
      'VALIDATION_FAILED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CAPACITY_EXCEEDED',
      'ALREADY_BOOKED',
      'NOT_BOOKABLE',
      'INVALID_STATE',
      'QUEUE_CLOSED',
      'QUEUE_FULL',
      'ALREADY_QUEUED',
      'CAPACITY_BELOW_BOOKED',
      'IDEMPOTENCY_MISMATCH',
      'PAYLOAD_TOO_LARGE',
      'RATE_LIMITED',
      'FEATURE_DISABLED',
    ];
    setLanguage('en');
    for (const code of codes) assert.notEqual(errorMessage(code), t('errorGeneric'), code);
    assert.equal(errorMessage('SOMETHING_NEW'), t('errorGeneric'));
  });

  it('fills placeholders and switches language', () => {
    setLanguage('en');
    assert.equal(t('placesLeft', { n: 3, capacity: 10 }), '3 of 10 places left');
    setLanguage('es');
    assert.equal(t('placesLeft', { n: 3, capacity: 10 }), 'Quedan 3 de 10 plazas');
    setLanguage('en');
  });

  it('picks the stored choice, else the browser language, else English', () => {
    assert.equal(initLanguage('es', ['en-US']), 'es');
    assert.equal(initLanguage(null, ['fr-FR', 'es-MX']), 'es');
    assert.equal(initLanguage(null, ['de-DE']), 'en');
    setLanguage('en');
  });
});
