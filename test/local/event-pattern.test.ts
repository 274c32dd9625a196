import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidPattern, matchesPattern } from '../../src/local/event-pattern.ts';

const event = {
  version: '0',
  id: 'e-1',
  'detail-type': 'BookingConfirmed',
  source: 'venue.hub',
  account: '123456789012',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/a', 'arn:x:b'],
  detail: {
    venueId: 'flagship-001',
    reservationType: 'pickup',
    partySize: 3,
    price: 12.5,
    vip: false,
    note: null,
    tags: ['new', 'Promo'],
    user: { tier: 'gold', address: { city: 'New York' } },
    lines: [
      { sku: 'A1', qty: 1 },
      { sku: 'B2', qty: 4 },
    ],
    email: 'Alice@Example.com',
  },
};

/** [description, pattern, expected] — cases follow the EventBridge content-filtering docs. */
const table: Array<[string, Record<string, unknown>, boolean]> = [
  ['empty pattern matches everything', {}, true],
  ['exact source', { source: ['venue.hub'] }, true],
  ['exact source, other value', { source: ['other'] }, false],
  ['any of several values', { 'detail-type': ['PickupCompleted', 'BookingConfirmed'] }, true],
  ['two fields are ANDed', { source: ['venue.hub'], 'detail-type': ['PickupCompleted'] }, false],
  ['nested field', { detail: { user: { tier: ['gold'] } } }, true],
  ['deeply nested field', { detail: { user: { address: { city: ['New York'] } } } }, true],
  ['nested field mismatch', { detail: { user: { tier: ['silver'] } } }, false],
  ['missing field', { detail: { missing: ['x'] } }, false],
  ['number exact', { detail: { partySize: [3] } }, true],
  ['number is not the string', { detail: { partySize: ['3'] } }, false],
  ['boolean exact', { detail: { vip: [false] } }, true],
  ['null matches null', { detail: { note: [null] } }, true],
  ['null does not match a missing field', { detail: { nothing: [null] } }, false],
  ['array value: any element', { detail: { tags: ['Promo'] } }, true],
  ['array value: no element', { detail: { tags: ['old'] } }, false],
  ['top-level array value', { resources: ['arn:x:b'] }, true],
  ['array of objects: any element', { detail: { lines: { sku: ['B2'] } } }, true],
  ['array of objects: none', { detail: { lines: { sku: ['C3'] } } }, false],
  ['prefix', { source: [{ prefix: 'venue.' }] }, true],
  ['prefix mismatch', { source: [{ prefix: 'aws.' }] }, false],
  ['prefix ignoring case', { detail: { email: [{ prefix: { 'equals-ignore-case': 'alice@' } }] } }, true],
  ['prefix on a number never matches', { detail: { partySize: [{ prefix: '3' }] } }, false],
  ['suffix', { detail: { email: [{ suffix: '.com' }] } }, true],
  ['suffix mismatch', { detail: { email: [{ suffix: '.org' }] } }, false],
  [
    'suffix ignoring case',
    { detail: { email: [{ suffix: { 'equals-ignore-case': 'EXAMPLE.COM' } }] } },
    true,
  ],
  ['equals-ignore-case', { detail: { email: [{ 'equals-ignore-case': 'alice@example.com' }] } }, true],
  ['anything-but a value', { detail: { reservationType: [{ 'anything-but': 'event' }] } }, true],
  ['anything-but the value', { detail: { reservationType: [{ 'anything-but': 'pickup' }] } }, false],
  ['anything-but a list', { detail: { reservationType: [{ 'anything-but': ['event', 'pickup'] }] } }, false],
  ['anything-but a number', { detail: { partySize: [{ 'anything-but': [1, 2] }] } }, true],
  ['anything-but a prefix', { source: [{ 'anything-but': { prefix: 'aws.' } }] }, true],
  ['anything-but the prefix', { source: [{ 'anything-but': { prefix: 'venue' } }] }, false],
  ['anything-but a suffix', { detail: { email: [{ 'anything-but': { suffix: '.org' } }] } }, true],
  ['anything-but needs the field', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
  ['anything-but on an array excludes any element', { detail: { tags: [{ 'anything-but': 'new' }] } }, false],
  ['numeric range', { detail: { partySize: [{ numeric: ['>', 0, '<=', 5] }] } }, true],
  ['numeric range outside', { detail: { partySize: [{ numeric: ['>', 3] }] } }, false],
  ['numeric equals with decimals', { detail: { price: [{ numeric: ['=', 12.5] }] } }, true],
  ['numeric on a string never matches', { source: [{ numeric: ['>', 0] }] }, false],
  ['exists true', { detail: { venueId: [{ exists: true }] } }, true],
  ['exists true on a missing field', { detail: { missing: [{ exists: true }] } }, false],
  ['exists false on a missing field', { detail: { missing: [{ exists: false }] } }, true],
  ['exists false on a present field', { detail: { venueId: [{ exists: false }] } }, false],
  ['exists false under a missing parent', { detail: { nope: { inner: [{ exists: false }] } } }, true],
  ['exists only matches leaves', { detail: { user: [{ exists: true }] } }, false],
  ['wildcard', { detail: { venueId: [{ wildcard: 'flag*-0*' }] } }, true],
  ['wildcard mismatch', { detail: { venueId: [{ wildcard: 'shop*' }] } }, false],
  ['value or operator in one list', { detail: { reservationType: ['event', { prefix: 'pick' }] } }, true],
  [
    '$or: one branch matches',
    { source: ['venue.hub'], $or: [{ detail: { partySize: [99] } }, { detail: { vip: [false] } }] },
    true,
  ],
  [
    '$or: no branch matches',
    { $or: [{ detail: { partySize: [99] } }, { 'detail-type': ['PickupCompleted'] }] },
    false,
  ],
  ['$or nested inside detail', { detail: { $or: [{ vip: [true] }, { user: { tier: ['gold'] } }] } }, true],
  ['a real rule of template.yaml', { source: ['venue.hub'], 'detail-type': ['BookingConfirmed'] }, true],
];

describe('EventBridge pattern matcher — conformance table', () => {
  for (const [description, pattern, expected] of table) {
    it(`${description} → ${expected}`, () => {
      assert.equal(matchesPattern(pattern, event), expected);
    });
  }
});

describe('EventBridge pattern matcher — invalid patterns', () => {
  const invalid: Array<[string, Record<string, unknown>]> = [
    ['scalar leaf', { source: 'venue.hub' }],
    ['empty matcher list', { source: [] }],
    ['unknown operator', { source: [{ regex: '.*' }] }],
    ['two operators in one filter', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['bad numeric', { detail: { partySize: [{ numeric: ['>'] }] } }],
    ['$or with one branch', { $or: [{ source: ['x'] }] }],
  ];
  for (const [description, pattern] of invalid) {
    it(`refuses ${description}`, () => {
      assert.throws(() => matchesPattern(pattern, event), InvalidPattern);
    });
  }
});
