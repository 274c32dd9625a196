/**
 * What every store shares: the DocumentClient, the table names, the retry policy and the
 * clock, plus the one place where SDK failures that no store maps itself become domain errors.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../../config/tables.ts';
import { DomainError, ServiceUnavailable } from '../../domain/errors.ts';
import { DEFAULT_RETRY, type RetryOptions, withRetry } from './retry.ts';

/** Options of `createDynamoStores`; the defaults suit production. */
export interface StoreOptions {
  retry?: Partial<RetryOptions>;
  /** used where a port method takes no `now` (delivery markers) */
  now?: () => Date;
}

export class Db {
  readonly retry: RetryOptions;
  readonly now: () => Date;

  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly tables: TableNames,
    options: StoreOptions = {},
  ) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Runs one SDK call with retries. `ConditionalCheckFailedException` and transaction
   * cancellations pass through for the caller to interpret; a store that stayed unreachable
   * (connection refused or reset, timeouts, DynamoDB 5xx — after the SDK's own retries) becomes
   * ServiceUnavailable (503: retry later, with the same Idempotency-Key for bookings); anything
   * else unexpected becomes an INTERNAL domain error whose cause keeps the SDK error for the logs.
   */
  async run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(operation, this.retry);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (isConditionFailure(error) || isCancellation(error)) throw error;
      if (isTransient(error)) throw new ServiceUnavailable(undefined, error);
      throw new DomainError('INTERNAL', 'The data store failed.', { cause: error });
    }
  }
}

const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'InternalServerError',
  'ServiceUnavailable',
]);

/** A failure of the connection or of the service itself, not of the request: worth a later retry. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (
    (typeof code === 'string' && TRANSIENT_CODES.has(code)) ||
    TRANSIENT_NAMES.has(error.name) ||
    (typeof status === 'number' && status >= 500)
  );
}

export function isConditionFailure(error: unknown): error is Error & { Item?: RawItem } {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export function isCancellation(
  error: unknown,
): error is Error & { CancellationReasons?: { Code?: string; Item?: RawItem }[] } {
  return error instanceof Error && error.name === 'TransactionCanceledException';
}

/** An item in the wire format (AttributeValue maps), as ALL_OLD returns it on a failed condition. */
export type RawItem = Record<string, RawValue>;
type RawValue = {
  S?: string;
  N?: string;
  BOOL?: boolean;
  NULL?: boolean;
  L?: RawValue[];
  M?: Record<string, RawValue>;
  SS?: string[];
  NS?: string[];
};

function plainValue(value: RawValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.L !== undefined) return value.L.map(plainValue);
  if (value.M !== undefined) return plainItem(value.M);
  if (value.SS !== undefined) return value.SS;
  if (value.NS !== undefined) return value.NS.map(Number);
  return null;
}

/** Wire-format item → plain object (only the types our items use). */
export function plainItem(item: RawItem | undefined): Record<string, unknown> | undefined {
  if (!item) return undefined;
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, plainValue(v)]));
}

/** ISO time → epoch seconds, the unit of the TTL attribute `expiresAt`. */
export function epochSeconds(iso: string | Date): number {
  return Math.floor(new Date(iso).getTime() / 1000);
}

/** Copies the listed fields that are present: the allow-list from stored item to domain shape. */
export function pick<T>(item: Record<string, unknown>, fields: readonly (keyof T & string)[]): T {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (item[field] !== undefined && item[field] !== null) out[field] = item[field];
  return out as T;
}

/** Runs `task` over `inputs` with at most `limit` in flight, keeping input order in the results. */
export async function mapLimit<I, O>(
  inputs: I[],
  limit: number,
  task: (input: I) => Promise<O>,
): Promise<O[]> {
  const results: O[] = new Array(inputs.length);
  let next = 0;
  const lane = async () => {
    while (next < inputs.length) {
      const index = next++;
      results[index] = await task(inputs[index] as I);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, lane));
  return results;
}
