import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../site/src/api.ts';
import { detailText, fieldName } from '../../site/src/field-errors.ts';
import { setLanguage } from '../../site/src/i18n.ts';
import { BookingAttempt, PollFailures } from '../../site/src/ui.ts';

describe('booking attempts', () => {
  it('keep one Idempotency-Key while the same body is sent again (double submit, retry)', () => {
    const attempt = new BookingAttempt();
    const key = attempt.keyFor({ slotId: 'A', orderRef: 'ORD-1001' });
    assert.equal(attempt.keyFor({ slotId: 'A', orderRef: 'ORD-1001' }), key);
  });

  it('take a new key once the body changed or the booking succeeded', () => {
    const attempt = new BookingAttempt();
    const first = attempt.keyFor({ slotId: 'A', orderRef: 'ORD-1001' });
    const changed = attempt.keyFor({ slotId: 'A', orderRef: 'ORD-1002' });
    assert.notEqual(changed, first);
    attempt.succeeded();
    assert.notEqual(attempt.keyFor({ slotId: 'A', orderRef: 'ORD-1002' }), changed);
  });
});

describe('poll failures', () => {
  it('are shown once while they last and cleared once a poll succeeds', () => {
    const failures = new PollFailures();
    const offline = new ApiError(0, 'NETWORK', 'network error');
    assert.equal(failures.recovered(), false);
    assert.equal(failures.failed(offline), true);
    assert.equal(failures.failed(offline), false);
    assert.equal(failures.failed(new ApiError(0, 'NETWORK', 'again')), false);
    assert.equal(failures.failed(new ApiError(503, 'FEATURE_DISABLED', 'off')), true);
    assert.equal(failures.recovered(), true);
    assert.equal(failures.recovered(), false);
    assert.equal(failures.failed(offline), true);
  });
});

describe('validation details', () => {
  it('point at a form field by its path or the path root', () => {
    const names = ['orderRef', 'partySize', 'interests'];
    assert.equal(fieldName('orderRef', names), 'orderRef');
    assert.equal(fieldName('interests[3]', names), 'interests');
    assert.equal(fieldName('channels.email', names), undefined);
    assert.equal(fieldName('(body)', names), undefined);
  });

  it("use the form's label, with the API's words only in English or for unknown fields", () => {
    const detail = { path: 'partySize', message: 'must be at most 6 at this venue' };
    setLanguage('en');
    assert.equal(detailText(detail, 'Party size'), 'Party size: must be at most 6 at this venue');
    setLanguage('es');
    assert.equal(detailText(detail, 'Número de personas'), 'Número de personas: revisa este valor.');
    assert.equal(detailText(detail, undefined), 'partySize: must be at most 6 at this venue');
    setLanguage('en');
  });
});
