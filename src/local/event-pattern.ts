/**
 * An EventBridge-compatible event pattern matcher, used by the local bus (rule patterns read
 * from template.yaml) and, through `filter-policy.ts`, by the local SNS subscriptions.
 *
 * Semantics follow the EventBridge documentation ("Content filtering in event patterns"):
 * - a pattern is an object; every key must match (AND); a nested object descends into the
 *   event; a leaf is an array of matchers of which one must match (OR);
 * - an event value that is an array matches when any of its elements matches;
 * - matchers: exact strings, numbers, booleans and null; `prefix`, `suffix` (both also with
 *   `equals-ignore-case`); `equals-ignore-case`; `anything-but` (a value, a list, or a
 *   prefix/suffix); `numeric` (comparison pairs); `exists`; `wildcard`;
 * - `$or` at any level: a list of sub-patterns of which one must match;
 * - every matcher except `exists: false` needs the field to be present.
 */

export type EventPattern = Record<string, unknown>;

/** Thrown for a pattern EventBridge would refuse (so a broken template fails loudly). */
export class InvalidPattern extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPattern';
  }
}

const MISSING = Symbol('missing');
type Value = unknown | typeof MISSING;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `event` matches `pattern`. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isObject(pattern)) throw new InvalidPattern('an event pattern must be an object');
  return matchObject(pattern, event);
}

function matchObject(pattern: Record<string, unknown>, value: Value): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2) throw new InvalidPattern('$or needs at least two patterns');
      if (!sub.some((alternative) => isObject(alternative) && matchObject(alternative, value))) return false;
      continue;
    }
    const field = fieldOf(value, key);
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, field)) return false;
    } else if (isObject(sub)) {
      if (!matchNested(sub, field)) return false;
    } else {
      throw new InvalidPattern(`pattern field "${key}" must be an array or an object`);
    }
  }
  return true;
}

function fieldOf(value: Value, key: string): Value {
  if (isObject(value) && Object.hasOwn(value, key)) return value[key];
  return MISSING;
}

function matchNested(pattern: Record<string, unknown>, field: Value): boolean {
  // Arrays of objects: EventBridge flattens them, so a nested pattern matches any element.
  if (Array.isArray(field)) return field.some((element) => matchObject(pattern, element));
  return matchObject(pattern, field);
}

function matchLeaf(matchers: unknown[], field: Value): boolean {
  if (matchers.length === 0) throw new InvalidPattern('an empty matcher list matches nothing');
  return matchers.some((matcher) => matchOne(matcher, field));
}

function matchOne(matcher: unknown, field: Value): boolean {
  if (isObject(matcher)) {
    const entries = Object.entries(matcher);
    if (entries.length !== 1) throw new InvalidPattern('a content filter has exactly one operator');
    const [operator, operand] = entries[0] as [string, unknown];
    if (operator === 'exists') {
      if (typeof operand !== 'boolean') throw new InvalidPattern('exists takes true or false');
      const present = field !== MISSING && !isObject(field);
      return operand ? present && !(Array.isArray(field) && field.length === 0) : !present;
    }
    if (field === MISSING) return false;
    if (operator === 'anything-but') return !anyValue(field, (v) => matchesAnythingButOperand(operand, v));
    return anyValue(field, (v) => matchOperator(operator, operand, v));
  }
  if (field === MISSING) return false;
  return anyValue(field, (v) => equalsLiteral(matcher, v));
}

/** Applies `test` to a scalar, or to each element of an array value. */
function anyValue(field: unknown, test: (value: unknown) => boolean): boolean {
  return Array.isArray(field) ? field.some(test) : test(field);
}

function equalsLiteral(literal: unknown, value: unknown): boolean {
  if (literal === null) return value === null;
  if (typeof literal === 'number') return typeof value === 'number' && value === literal;
  if (typeof literal === 'string' || typeof literal === 'boolean') return value === literal;
  throw new InvalidPattern(`unsupported literal ${JSON.stringify(literal)}`);
}

function matchOperator(operator: string, operand: unknown, value: unknown): boolean {
  switch (operator) {
    case 'prefix':
      return affix(operand, value, (v, a) => v.startsWith(a));
    case 'suffix':
      return affix(operand, value, (v, a) => v.endsWith(a));
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw new InvalidPattern('equals-ignore-case takes a string');
      return typeof value === 'string' && value.toLowerCase() === operand.toLowerCase();
    case 'numeric':
      return numeric(operand, value);
    case 'wildcard':
      if (typeof operand !== 'string') throw new InvalidPattern('wildcard takes a string');
      return typeof value === 'string' && wildcardRegex(operand).test(value);
    default:
      throw new InvalidPattern(`unsupported operator "${operator}"`);
  }
}

function affix(operand: unknown, value: unknown, test: (value: string, affix: string) => boolean): boolean {
  if (typeof value !== 'string') return false;
  if (typeof operand === 'string') return test(value, operand);
  if (isObject(operand) && typeof operand['equals-ignore-case'] === 'string') {
    return test(value.toLowerCase(), (operand['equals-ignore-case'] as string).toLowerCase());
  }
  throw new InvalidPattern('prefix and suffix take a string or {"equals-ignore-case": string}');
}

/** Whether `value` is among what `anything-but` excludes. */
function matchesAnythingButOperand(operand: unknown, value: unknown): boolean {
  if (Array.isArray(operand)) return operand.some((o) => equalsLiteral(o, value));
  if (isObject(operand)) {
    const [operator, inner] = (Object.entries(operand)[0] ?? []) as [string, unknown];
    if (operator === 'prefix' || operator === 'suffix' || operator === 'equals-ignore-case') {
      if (Array.isArray(inner)) return inner.some((i) => matchOperator(operator, i, value));
      return matchOperator(operator, inner, value);
    }
    if (operator === 'wildcard') return matchOperator(operator, inner, value);
    throw new InvalidPattern(`anything-but does not take "${operator}"`);
  }
  return equalsLiteral(operand, value);
}

const COMPARATORS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numeric(operand: unknown, value: unknown): boolean {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    throw new InvalidPattern('numeric takes one or two [operator, number] pairs');
  }
  if (typeof value !== 'number') return false;
  for (let i = 0; i < operand.length; i += 2) {
    const compare = COMPARATORS[operand[i] as string];
    const bound = operand[i + 1];
    if (!compare || typeof bound !== 'number') throw new InvalidPattern('numeric: bad comparison');
    if (!compare(value, bound)) return false;
  }
  return true;
}

function wildcardRegex(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}
