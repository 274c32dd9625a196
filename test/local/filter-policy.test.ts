import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributeValues, passesFilterPolicy } from '../../src/local/filter-policy.ts';

const attributes = {
  eventType: { DataType: 'String', StringValue: 'BookingConfirmed' },
  venueId: { DataType: 'String', StringValue: 'flagship-001' },
  channel: { DataType: 'String', StringValue: 'email' },
  partySize: { DataType: 'Number', StringValue: '4' },
  tags: { DataType: 'String.Array', StringValue: '["vip","new"]' },
  blob: { DataType: 'Binary' },
};
const message = { body: JSON.stringify({ eventType: 'BookingConfirmed', reservationId: 'r-1' }), attributes };

describe('SNS filter policies', () => {
  it('turns attributes into typed values and ignores binary ones', () => {
    assert.deepEqual(attributeValues(attributes), {
      eventType: 'BookingConfirmed',
      venueId: 'flagship-001',
      channel: 'email',
      partySize: 4,
      tags: ['vip', 'new'],
    });
  });

  const table: Array<[string, Record<string, unknown> | undefined, boolean]> = [
    ['no policy passes everything', undefined, true],
    ['exact attribute', { eventType: ['BookingConfirmed'] }, true],
    ['exact attribute, other value', { eventType: ['PickupCompleted'] }, false],
    ['all keys must match', { eventType: ['BookingConfirmed'], channel: ['sms'] }, false],
    ['any of values', { channel: ['sms', 'email'] }, true],
    ['missing attribute', { region: ['us'] }, false],
    ['prefix', { venueId: [{ prefix: 'flagship-' }] }, true],
    ['anything-but', { channel: [{ 'anything-but': ['operator'] }] }, true],
    ['numeric', { partySize: [{ numeric: ['>=', 4] }] }, true],
    ['numeric on a string attribute', { channel: [{ numeric: ['>', 0] }] }, false],
    ['String.Array: any element', { tags: ['new'] }, true],
    ['exists false', { ghost: [{ exists: false }] }, true],
    ['$or', { $or: [{ channel: ['sms'] }, { eventType: ['BookingConfirmed'] }] }, true],
  ];
  for (const [description, policy, expected] of table) {
    it(`${description} → ${expected}`, () => {
      assert.equal(passesFilterPolicy(policy, 'MessageAttributes', message), expected);
    });
  }

  it('matches the JSON body for FilterPolicyScope MessageBody', () => {
    assert.equal(passesFilterPolicy({ eventType: ['BookingConfirmed'] }, 'MessageBody', message), true);
    assert.equal(passesFilterPolicy({ reservationId: ['r-2'] }, 'MessageBody', message), false);
    assert.equal(
      passesFilterPolicy({ a: ['b'] }, 'MessageBody', { body: 'not json', attributes: {} }),
      false,
    );
  });
});
