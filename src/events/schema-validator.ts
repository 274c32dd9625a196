/**
 * A small JSON Schema (draft 2020-12) validator for the subset of keywords the event schemas
 * use, so that the notification-fanout bundle checks events against the very schema files in
 * the repo without carrying ajv (bundle size and cold start). A schema using a keyword outside
 * the subset is refused when compiled, so a schema change cannot silently weaken the check;
 * a test proves it agrees with ajv on valid and invalid samples.
 */

export type JsonSchema = Record<string, unknown>;

export interface SchemaError {
  /** JSON pointer of the offending value ('' for the root) */
  path: string;
  message: string;
}

export type Validate = (value: unknown) => SchemaError[];

const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'examples', 'default']);
const ASSERTIONS = new Set([
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'if',
  'then',
  'else',
  'allOf',
  'anyOf',
  'oneOf',
]);

const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(z|([+-])(\d{2})(?::?(\d{2}))?)$/i;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const last = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month] ?? 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= last;
}

/** RFC 3339 time with a required offset; a leap second only at 23:59 UTC. */
function isTime(text: string): boolean {
  const m = TIME.exec(text);
  if (!m) return false;
  const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const sign = m[5] === '-' ? -1 : 1;
  const offsetHours = Number(m[6] ?? 0);
  const offsetMinutes = Number(m[7] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return false;
  if (hour <= 23 && minute <= 59 && second < 60) return true;
  const utcMinute = minute - offsetMinutes * sign;
  const utcHour = hour - offsetHours * sign - (utcMinute < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61;
}

function isDateTime(text: string): boolean {
  const parts = text.split(/t|\s/i);
  return parts.length === 2 && isDate(parts[0] ?? '') && isTime(parts[1] ?? '');
}

const FORMATS: Record<string, (text: string) => boolean> = {
  uuid: (text) => UUID.test(text),
  'date-time': isDateTime,
  date: isDate,
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  return typeOf(value) === type;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeOf(value) === 'object';
}

/** Structural equality of JSON values (enum, const). */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && equal(a[k], b[k]));
  }
  return false;
}

const pointer = (base: string, key: string) => `${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Compiles a schema; throws when it uses a keyword this validator does not implement. */
export function compileSchema(schema: JsonSchema): Validate {
  checkKeywords(schema, '#');
  return (value) => check(schema, value, '');
}

function checkKeywords(schema: unknown, at: string): void {
  if (typeof schema === 'boolean') return;
  if (!isRecord(schema)) throw new Error(`${at} is not a schema`);
  for (const [key, sub] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (!ASSERTIONS.has(key)) throw new Error(`${at}: keyword "${key}" is not supported`);
    if (key === 'format' && !(String(sub) in FORMATS))
      throw new Error(`${at}: format "${sub}" is not supported`);
    if (key === 'properties' && isRecord(sub))
      for (const [name, s] of Object.entries(sub)) checkKeywords(s, `${at}/properties/${name}`);
    if (['if', 'then', 'else', 'additionalProperties'].includes(key) && typeof sub !== 'boolean')
      checkKeywords(sub, `${at}/${key}`);
    if (['allOf', 'anyOf', 'oneOf'].includes(key) && Array.isArray(sub))
      sub.forEach((s, i) => {
        checkKeywords(s, `${at}/${key}/${i}`);
      });
  }
}

function check(schema: unknown, value: unknown, path: string): SchemaError[] {
  if (schema === true) return [];
  if (schema === false) return [{ path, message: 'no value is allowed here' }];
  const s = schema as JsonSchema;
  const errors: SchemaError[] = [];
  const fail = (message: string, at = path) => errors.push({ path: at, message });

  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(value, t))) {
      fail(`must be ${types.join(' or ')}`);
      return errors;
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((option) => equal(option, value)))
    fail(`must be one of ${s.enum.map((o) => JSON.stringify(o)).join(', ')}`);
  if ('const' in s && !equal(s.const, value)) fail(`must be ${JSON.stringify(s.const)}`);
  if (typeof value === 'string') checkString(s, value, fail);
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) fail(`must be >= ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) fail(`must be <= ${s.maximum}`);
  }
  if (isRecord(value)) errors.push(...checkObject(s, value, path));
  errors.push(...checkCombinators(s, value, path));
  return errors;
}

function checkString(s: JsonSchema, value: string, fail: (message: string) => void): void {
  const length = [...value].length;
  if (typeof s.minLength === 'number' && length < s.minLength)
    fail(`must have at least ${s.minLength} characters`);
  if (typeof s.maxLength === 'number' && length > s.maxLength)
    fail(`must have at most ${s.maxLength} characters`);
  if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
    fail(`must match ${s.pattern}`);
  if (typeof s.format === 'string' && !FORMATS[s.format]?.(value)) fail(`must be a valid ${s.format}`);
}

function checkObject(s: JsonSchema, value: Record<string, unknown>, path: string): SchemaError[] {
  const errors: SchemaError[] = [];
  const properties = isRecord(s.properties) ? s.properties : {};
  if (Array.isArray(s.required))
    for (const name of s.required as string[])
      if (!Object.hasOwn(value, name)) errors.push({ path: pointer(path, name), message: 'is required' });
  for (const [name, item] of Object.entries(value)) {
    if (Object.hasOwn(properties, name)) errors.push(...check(properties[name], item, pointer(path, name)));
    else if (s.additionalProperties !== undefined)
      errors.push(...check(s.additionalProperties, item, pointer(path, name)));
  }
  return errors;
}

function checkCombinators(s: JsonSchema, value: unknown, path: string): SchemaError[] {
  const errors: SchemaError[] = [];
  if (s.if !== undefined) {
    const branch = check(s.if, value, path).length === 0 ? s.then : s.else;
    if (branch !== undefined) errors.push(...check(branch, value, path));
  }
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) errors.push(...check(sub, value, path));
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => check(sub, value, path).length === 0))
    errors.push({ path, message: 'must match one of the allowed shapes' });
  if (Array.isArray(s.oneOf) && s.oneOf.filter((sub) => check(sub, value, path).length === 0).length !== 1)
    errors.push({ path, message: 'must match exactly one of the allowed shapes' });
  return errors;
}
