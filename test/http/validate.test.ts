/** Property-based tests of the validator and the request parsing (limit, cursor, body). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { DomainError, ValidationFailed } from '../../src/domain/errors.ts';
import { MAX_BODY_BYTES, parseBody, parsePage, readBody } from '../../src/http/request.ts';
import { bookEventBody, joinQueueBody, preferencesBody, slotDayBody } from '../../src/http/schemas.ts';
import { check, codePoints, obj, str } from '../../src/http/validate.ts';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof DomainError, `threw a non-domain error: ${String(error)}`);
    return error.code;
  }
};

describe('validator', () => {
  it('refuses text of white space alone, as openapi.yaml does (pattern \\S)', () => {
    const text = obj({ text: str(100) });
    for (const blank of [' ', '   ', '\t\n', '\u00a0', '\u3000 '])
      assert.deepEqual(
        check(text, { text: blank }),
        [{ path: 'text', message: 'must not be blank' }],
        JSON.stringify(blank),
      );
    assert.deepEqual(check(text, { text: ' a ' }), []);
  });

  it('counts string lengths in characters (code points), as openapi.yaml does', () => {
    const name = obj({ name: str(3) });
    assert.deepEqual(check(name, { name: '🎟️🎟' }), []); // 🎟 + VS16 + 🎟: 3 code points, 5 UTF-16 units
    assert.deepEqual(check(name, { name: '😀😀😀' }), []);
    assert.equal(check(name, { name: '😀😀😀😀' }).length, 1);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => codePoints(s) === [...s].length),
    );
    assert.equal(codePoints('\ud800x'), 2, 'a lone surrogate is one');
  });

  it('refuses control characters (but tab and line breaks) and lone surrogates in any text', () => {
    const text = obj({ text: str(100) });
    for (const bad of [
      'a\u0000b',
      'bell\u0007',
      'esc\u001b[31m',
      'del\u007f',
      'c1\u0085',
      '\ud800@a.bc',
      'x\udc00',
      'y\ud83d',
    ])
      assert.deepEqual(
        check(text, { text: bad }),
        [{ path: 'text', message: 'has characters that are not allowed' }],
        JSON.stringify(bad),
      );
    for (const good of ['two\nlines', 'tab\there', 'crlf\r\n', 'café 🎟️ ñ', '日本語', '\u00a0nbsp'])
      assert.deepEqual(check(text, { text: good }), [], JSON.stringify(good));
    // whole well-formed strings of any plane pass, whatever they hold besides controls
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        const control = (c: string) => {
          const n = c.codePointAt(0) ?? 0;
          return (n < 0x20 && n !== 0x09 && n !== 0x0a && n !== 0x0d) || (n >= 0x7f && n <= 0x9f);
        };
        const clean = [...s].filter((c) => !control(c)).join('');
        return clean.trim() === '' || check(text, { text: clean }).length === 0;
      }),
    );
  });

  it('accepts every valid booking body and rejects everything else, never throwing', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const problems = check(bookEventBody, value);
        const valid =
          value !== null &&
          typeof value === 'object' &&
          !Array.isArray(value) &&
          Object.keys(value).length === 1 &&
          Number.isInteger((value as { partySize?: unknown }).partySize) &&
          (value as { partySize: number }).partySize >= 1 &&
          (value as { partySize: number }).partySize <= 50;
        assert.equal(problems.length === 0, valid);
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        (n) => check(bookEventBody, { partySize: n }).length === 0,
      ),
    );
  });

  it('names the path of every unknown field (mass assignment)', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 20 })
          .filter((k) => !['serviceKind', 'partySize', 'accessibility'].includes(k)),
        fc.anything(),
        (key, v) => {
          const problems = check(joinQueueBody, { serviceKind: 'returns', partySize: 1, [key]: v });
          return problems.some((p) => p.path === key && p.message === 'is not an accepted field');
        },
      ),
    );
  });

  it('reports nested paths and array indexes', () => {
    const problems = check(preferencesBody, {
      channels: { email: 'yes', sms: false },
      interests: ['ok', 5],
      language: 'en',
      accessibility: false,
      marketingOptIn: false,
    });
    assert.deepEqual(
      problems.map((p) => p.path),
      ['channels.email', 'interests[1]'],
    );
  });

  it('checks formats: dates, times, date-times', () => {
    const base = { date: '2026-12-01', from: '10:00', to: '24:00', slotMinutes: 30, capacity: 1 };
    assert.deepEqual(check(slotDayBody, base), []);
    for (const [field, bad] of [
      ['date', '2026-13-01'],
      ['date', '2026-02-29'],
      ['from', '7:00'],
      ['to', '24:01'],
      ['slotMinutes', 30.5],
    ] as const) {
      assert.equal(check(slotDayBody, { ...base, [field]: bad })[0]?.path, field, `${field}=${bad}`);
    }
    const when = obj({ at: str(30, { format: 'date-time' }) });
    assert.deepEqual(check(when, { at: '2026-12-01T15:00:00.000Z' }), []);
    assert.deepEqual(check(when, { at: '2026-12-01T15:00Z' }), []);
    assert.equal(check(when, { at: '2026-12-01T15:00:00+01:00' }).length, 1);
    assert.equal(check(when, { at: '2026-12-41T15:00:00Z' }).length, 1);
  });
});

describe('page requests', () => {
  it('accepts limits 1–100 only and defaults to 20', () => {
    assert.deepEqual(parsePage({}), { limit: 20 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), (n) => parsePage({ limit: String(n) }).limit === n),
    );
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const n = Number(raw);
        const valid = /^\d{1,3}$/.test(raw) && n >= 1 && n <= 100;
        const code = codeOf(() => parsePage({ limit: raw }));
        return valid ? code === undefined : code === 'VALIDATION_FAILED';
      }),
    );
  });

  it('passes base64url cursors through and refuses anything else with 400', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (bytes) => {
        const cursor = Buffer.from(bytes).toString('base64url');
        return parsePage({ cursor }).cursor === cursor;
      }),
    );
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (cursor) => {
        const code = codeOf(() => parsePage({ cursor }));
        return /^[A-Za-z0-9_-]+$/.test(cursor) ? code === undefined : code === 'VALIDATION_FAILED';
      }),
    );
    assert.equal(
      codeOf(() => parsePage({ cursor: 'a'.repeat(3000) })),
      'VALIDATION_FAILED',
    );
  });
});

describe('body parsing', () => {
  const event = (body: string, extra: Partial<APIGatewayProxyEventV2> = {}) =>
    ({
      headers: { 'content-type': 'application/json' },
      body,
      isBase64Encoded: false,
      ...extra,
    }) as APIGatewayProxyEventV2;

  it('never throws anything but a domain error, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (body) => {
        codeOf(() => readBody(event(body)));
      }),
    );
  });

  it('caps the body at 16 KiB, counting bytes, base64 decoded', () => {
    const atLimit = JSON.stringify({ a: 'x'.repeat(MAX_BODY_BYTES - 8) });
    assert.equal(Buffer.byteLength(atLimit), MAX_BODY_BYTES);
    assert.equal(
      codeOf(() => readBody(event(atLimit))),
      undefined,
    );
    const multiByte = JSON.stringify({ a: 'é'.repeat(MAX_BODY_BYTES / 2) });
    assert.equal(
      codeOf(() => readBody(event(multiByte))),
      'PAYLOAD_TOO_LARGE',
    );
    const encoded = Buffer.from(JSON.stringify({ a: 'x'.repeat(MAX_BODY_BYTES) })).toString('base64');
    assert.equal(
      codeOf(() => readBody(event(encoded, { isBase64Encoded: true }))),
      'PAYLOAD_TOO_LARGE',
    );
    assert.deepEqual(readBody(event(Buffer.from('{"a":1}').toString('base64'), { isBase64Encoded: true })), {
      a: 1,
    });
  });

  it('accepts JSON content types only', () => {
    assert.deepEqual(
      readBody(event('{}', { headers: { 'Content-Type': 'application/json; charset=utf-8' } })),
      {},
    );
    assert.equal(
      codeOf(() => readBody(event('{}', { headers: { 'content-type': 'text/plain' } }))),
      'VALIDATION_FAILED',
    );
    assert.equal(readBody(event('')), undefined);
  });

  it('takes an absent body as no fields, but refuses JSON null where an object goes', () => {
    const noFields = { type: 'object', properties: {} } as const;
    assert.deepEqual(parseBody(event(''), noFields), {});
    assert.deepEqual(parseBody({ headers: {} } as APIGatewayProxyEventV2, noFields), {});
    for (const body of ['null', ' null ', '[]', '0', '""']) {
      assert.throws(
        () => parseBody(event(body), noFields),
        (e) =>
          e instanceof ValidationFailed &&
          e.details.length === 1 &&
          e.details[0]?.path === '(body)' &&
          e.details[0]?.message === 'must be a JSON object',
        body,
      );
    }
  });
});
