/**
 * Opaque cursors and filled pages for Query-based lists.
 *
 * A cursor is base64url(JSON) of the key of the last item RETURNED, plus the query it belongs
 * to (index and partition value). Anything else handed back as a cursor — malformed, forged,
 * or taken from another list — is refused with VALIDATION_FAILED at `cursor` before it reaches
 * DynamoDB, so a bad cursor is a 400 and never a 500.
 *
 * A FilterExpression runs after `Limit`, so one Query may return fewer items than asked for;
 * `queryPage` keeps querying until the page is full or the partition ends.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationFailed } from '../../domain/errors.ts';
import type { Page, PageRequest } from '../../domain/model.ts';
import type { Db } from './db.ts';

/**
 * The bounds a query's key condition puts on the sort key (`BETWEEN atLeast AND atMost`,
 * `< below`). DynamoDB refuses a start key outside them ("does not match the range key
 * predicate"), so a cursor's key must lie inside them too.
 */
export interface SortBounds {
  /** the sort key attribute of the queried index */
  name: string;
  atLeast?: string;
  atMost?: string;
  below?: string;
}

/** The query a cursor belongs to. */
export interface CursorScope {
  /** index name, or `table` for the base table */
  index: string;
  /** the partition key's value */
  partition: string;
  /** the sort-key condition of the query, when it has one; never encoded in the cursor */
  sort?: SortBounds;
}

type Key = Record<string, string>;

const MAX_CURSOR_LENGTH = 2048;
/** DynamoDB's limit for a sort key, in UTF-8 bytes (a partition key may have 2048) */
const MAX_KEY_VALUE_BYTES = 1024;

function invalid(): ValidationFailed {
  return ValidationFailed.at('cursor', 'The cursor is not valid for this list.');
}

/** Compares as DynamoDB orders string keys: by their UTF-8 bytes, not JavaScript's UTF-16 units. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function withinBounds(value: string, bounds: SortBounds): boolean {
  if (bounds.atLeast !== undefined && compareKeys(value, bounds.atLeast) < 0) return false;
  if (bounds.atMost !== undefined && compareKeys(value, bounds.atMost) > 0) return false;
  return bounds.below === undefined || compareKeys(value, bounds.below) < 0;
}

export function encodeCursor(scope: CursorScope, key: Key): string {
  return Buffer.from(JSON.stringify({ i: scope.index, p: scope.partition, k: key })).toString('base64url');
}

/**
 * The ExclusiveStartKey a cursor stands for. `keyNames` are the key attributes of the index and
 * table, `partitionName` the one that must equal the scope's partition value.
 */
export function decodeCursor(
  cursor: string,
  scope: CursorScope,
  keyNames: string[],
  partitionName: string,
): Key {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) throw invalid();
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const bytes = Buffer.from(cursor, 'base64url');
  // Only the canonical encoding is accepted: otherwise many strings would alias one cursor.
  if (bytes.toString('base64url') !== cursor) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const { i, p, k } = parsed as Record<string, unknown>;
  if (i !== scope.index || p !== scope.partition) throw invalid();
  if (typeof k !== 'object' || k === null || Array.isArray(k)) throw invalid();
  const entries = Object.entries(k as Record<string, unknown>);
  if (entries.length !== keyNames.length) throw invalid();
  for (const [name, value] of entries) {
    if (!keyNames.includes(name)) throw invalid();
    if (typeof value !== 'string' || value.length === 0 || Buffer.byteLength(value) > MAX_KEY_VALUE_BYTES)
      throw invalid();
  }
  if ((k as Key)[partitionName] !== scope.partition) throw invalid();
  // a cursor of the same partition under another condition (another day's slots, another
  // `to`), or a forged key: DynamoDB would fail the query instead of answering 400
  const sort = scope.sort;
  if (sort && !withinBounds((k as Key)[sort.name] ?? '', sort)) throw invalid();
  return k as Key;
}

export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw ValidationFailed.at('limit', 'limit must be an integer from 1 to 100.');
  }
}

export interface PageQuery<T> {
  /** the Query, without Limit and ExclusiveStartKey */
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>;
  scope: CursorScope;
  /** key attributes of the queried index plus the table's (pk, sk) */
  keyNames: string[];
  /** the attribute holding the partition value */
  partitionName: string;
  /** stored item → domain shape */
  map: (item: Record<string, unknown>) => T;
}

/**
 * One page of `limit` items (fewer only at the end of the partition), with a next cursor only
 * when more items follow.
 */
export async function queryPage<T>(db: Db, query: PageQuery<T>, page: PageRequest): Promise<Page<T>> {
  checkLimit(page.limit);
  const filtered = query.input.FilterExpression !== undefined;
  let startKey: Key | undefined =
    page.cursor === undefined
      ? undefined
      : decodeCursor(page.cursor, query.scope, query.keyNames, query.partitionName);
  const items: Record<string, unknown>[] = [];
  let more = true;
  // One item more than the page: only an item beyond it proves there is a next page. DynamoDB
  // hands back a LastEvaluatedKey whenever it stopped at Limit, even at the partition's end, so
  // a last page that is exactly full would otherwise carry a cursor to an empty page.
  while (items.length <= page.limit && more) {
    const needed = page.limit + 1 - items.length;
    // With a filter, read further ahead: the surplus is cut off and the cursor taken from the last kept item.
    const limit = filtered ? Math.min(1000, needed * 4) : needed;
    const out = await db.run(() =>
      db.doc.send(new QueryCommand({ ...query.input, Limit: limit, ExclusiveStartKey: startKey })),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey as Key | undefined;
    more = startKey !== undefined;
  }
  const kept = items.slice(0, page.limit);
  const last = kept.at(-1);
  const hasNext = items.length > page.limit;
  const result: Page<T> = { items: kept.map(query.map) };
  if (hasNext && last) {
    const key = Object.fromEntries(query.keyNames.map((name) => [name, String(last[name])]));
    result.nextCursor = encodeCursor(query.scope, key);
  }
  return result;
}

/**
 * One page of an index partition in the order of its sort keys, which start with the time the
 * items were made: newest first (a user's reservations or tickets) unless `oldestFirst`.
 */
export function timeOrderedPage<T>(
  db: Db,
  query: {
    table: string;
    index: string;
    /** the index's partition and sort key attributes */
    keys: [partitionName: string, sortName: string];
    partition: string;
    map: (item: Record<string, unknown>) => T;
    oldestFirst?: boolean;
  },
  page: PageRequest,
): Promise<Page<T>> {
  const [partitionName, sortName] = query.keys;
  return queryPage(
    db,
    {
      input: {
        TableName: query.table,
        IndexName: query.index,
        KeyConditionExpression: '#partition = :partition',
        ExpressionAttributeNames: { '#partition': partitionName },
        ExpressionAttributeValues: { ':partition': query.partition },
        ScanIndexForward: query.oldestFirst === true,
      },
      scope: { index: query.index, partition: query.partition },
      keyNames: [partitionName, sortName, 'pk', 'sk'],
      partitionName,
      map: query.map,
    },
    page,
  );
}

/** Every item of a Query, all pages (for bounded partitions such as a venue's active tickets). */
export async function queryAll(db: Db, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await db.run(() => db.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })));
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}
