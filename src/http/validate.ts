/**
 * A small schema validator of our own: the request shapes are few and simple, and ajv in the
 * Lambda bundle would cost size and cold start (ADR 0201). It rejects unknown fields, wrong
 * types and out-of-range values, and reports every problem as `{path, message}`.
 */
import { type ErrorDetail, ValidationFailed } from '../domain/errors.ts';

export type Schema =
  | {
      type: 'string';
      minLength?: number;
      maxLength: number;
      pattern?: RegExp;
      enum?: readonly string[];
      format?: 'date-time' | 'date' | 'time' | 'email';
      /** `null` is accepted too: it clears an optional field (route 17) */
      nullable?: true;
    }
  | { type: 'integer'; minimum: number; maximum: number }
  | { type: 'boolean' }
  | { type: 'array'; items: Schema; maxItems: number }
  | { type: 'object'; properties: Record<string, Schema>; required?: readonly string[] };

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

function formatProblem(format: string, value: string): string | undefined {
  switch (format) {
    case 'date-time':
      return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) && validDate(value.slice(0, 10))
        ? undefined
        : 'must be an ISO 8601 UTC time like 2026-12-01T15:00:00.000Z';
    case 'date':
      return validDate(value) ? undefined : 'must be a date YYYY-MM-DD';
    case 'time':
      return TIME.test(value) ? undefined : 'must be a time HH:MM';
    default:
      return EMAIL.test(value) ? undefined : 'must be an email address';
  }
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** C0 controls but tab, line feed and carriage return; DEL; C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one (code units). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Characters of a string as JSON Schema counts them: code points (a lone surrogate is one). */
export function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++; // a string iterates by code point
  return n;
}

/** All problems of `value` against `schema` (empty when valid). */
export function check(schema: Schema, value: unknown, path = ''): ErrorDetail[] {
  const at = path === '' ? '(body)' : path;
  switch (schema.type) {
    case 'string': {
      if (value === null && schema.nullable) return [];
      if (typeof value !== 'string')
        return [{ path: at, message: schema.nullable ? 'must be a string or null' : 'must be a string' }];
      if (schema.enum && !schema.enum.includes(value)) {
        return [{ path: at, message: `must be one of ${schema.enum.join(', ')}` }];
      }
      // text is Unicode a person could type: no control characters but tab and line breaks,
      // and no lone surrogate (half a character that no UTF-8 store or screen can show)
      if (CONTROL.test(value) || LONE_SURROGATE.test(value))
        return [{ path: at, message: 'has characters that are not allowed' }];
      // lengths in characters (code points), as JSON Schema and openapi.yaml count them
      const length = codePoints(value);
      if (length < (schema.minLength ?? 1)) return [{ path: at, message: 'must not be empty' }];
      // a title or description of spaces alone says nothing and shows as a blank line
      if (!/\S/.test(value)) return [{ path: at, message: 'must not be blank' }];
      if (length > schema.maxLength)
        return [{ path: at, message: `must be at most ${schema.maxLength} characters` }];
      if (schema.pattern && !schema.pattern.test(value))
        return [{ path: at, message: 'has characters that are not allowed' }];
      const problem = schema.format && formatProblem(schema.format, value);
      return problem ? [{ path: at, message: problem }] : [];
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        return [{ path: at, message: 'must be an integer' }];
      if (value < schema.minimum || value > schema.maximum) {
        return [{ path: at, message: `must be from ${schema.minimum} to ${schema.maximum}` }];
      }
      return [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [{ path: at, message: 'must be true or false' }];
    case 'array':
      if (!Array.isArray(value)) return [{ path: at, message: 'must be an array' }];
      if (value.length > schema.maxItems)
        return [{ path: at, message: `must have at most ${schema.maxItems} items` }];
      return value.flatMap((item, i) => check(schema.items, item, join(path, i)));
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return [{ path: at, message: 'must be a JSON object' }];
      }
      const record = value as Record<string, unknown>;
      const problems: ErrorDetail[] = [];
      for (const key of Object.keys(record)) {
        const field = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
        if (!field) problems.push({ path: join(path, key), message: 'is not an accepted field' });
        else problems.push(...check(field, record[key], join(path, key)));
      }
      for (const key of schema.required ?? []) {
        if (record[key] === undefined) problems.push({ path: join(path, key), message: 'is required' });
      }
      return problems;
    }
  }
}

/** Returns the value typed as T when it matches the schema; otherwise throws VALIDATION_FAILED. */
export function parseWith<T>(schema: Schema, value: unknown): T {
  const problems = check(schema, value);
  if (problems.length > 0) throw new ValidationFailed(problems.slice(0, 20));
  return value as T;
}

// Builders keep the route schemas short and readable.
export const str = (
  maxLength: number,
  extra: Omit<Extract<Schema, { type: 'string' }>, 'type' | 'maxLength'> = {},
): Schema => ({
  type: 'string',
  maxLength,
  ...extra,
});
export const int = (minimum: number, maximum: number): Schema => ({ type: 'integer', minimum, maximum });
export const bool = (): Schema => ({ type: 'boolean' });
export const arr = (items: Schema, maxItems: number): Schema => ({ type: 'array', items, maxItems });
export const obj = (properties: Record<string, Schema>, required: readonly string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
});
