/**
 * Offset cursors for the in-memory fakes: opaque base64url JSON, like the real stores' cursors
 * (which carry DynamoDB's LastEvaluatedKey). A cursor that does not decode is a 400.
 */
import { ValidationFailed } from '../../src/domain/errors.ts';
import type { Page, PageRequest } from '../../src/domain/model.ts';

export function decodeOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof value.o === 'number' && Number.isInteger(value.o) && value.o >= 0) return value.o;
  } catch {
    // falls through to the validation error below
  }
  throw ValidationFailed.at('cursor', 'cursor is not valid');
}

/** Cuts one page out of an already filtered and ordered list. */
export function pageOf<T>(all: T[], page: PageRequest): Page<T> {
  const offset = decodeOffset(page.cursor);
  const items = all.slice(offset, offset + page.limit);
  const next = offset + page.limit;
  return next < all.length
    ? { items, nextCursor: Buffer.from(JSON.stringify({ o: next })).toString('base64url') }
    : { items };
}

/**
 * The order of a time-sorted index (`{time}#{id}` sort keys): by time, then by id among equal
 * times; newest first when the real store reads the index backwards.
 */
export function byTimeThenId<T>(time: (item: T) => string, id: (item: T) => string, newestFirst = false) {
  const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (a: T, b: T): number => {
    const order = compare(time(a), time(b)) || compare(id(a), id(b));
    return newestFirst ? -order : order;
  };
}

/** Structured clone so callers never share mutable state with the fake's tables. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
