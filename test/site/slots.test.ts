import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slotsEnd } from '../../site/src/operator/slots.ts';

describe('operator slots form', () => {
  it('reads 00:00 as the end of the day (a time field cannot say 24:00)', () => {
    assert.equal(slotsEnd('00:00'), '24:00');
    assert.equal(slotsEnd('18:30'), '18:30');
    assert.equal(slotsEnd('18:30:00'), '18:30');
  });
});
