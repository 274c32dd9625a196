/**
 * Bounded retries with full-jitter backoff for the failures DynamoDB asks callers to retry:
 * throttling and transaction conflicts. Every multi-item write is one transaction, so a failed
 * attempt has written nothing and repeating it is safe. When the attempts run out the caller
 * gets `ServiceUnavailable` (503), never the raw SDK error.
 */
import { ServiceUnavailable } from '../../domain/errors.ts';

export interface RetryOptions {
  /** total attempts, the first one included */
  attempts: number;
  /** backoff ceiling of the first retry; doubles per retry */
  baseDelayMs: number;
  /** upper bound of any one backoff */
  maxDelayMs: number;
  /** injectable for tests */
  sleep: (ms: number) => Promise<void>;
  /** injectable for tests: a number in [0, 1) */
  random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  attempts: 8,
  baseDelayMs: 20,
  maxDelayMs: 1000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

const RETRYABLE_ERRORS = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
]);

const RETRYABLE_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

interface CancellationReason {
  Code?: string;
}

/** True for failures that leave nothing written and may succeed when repeated. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (RETRYABLE_ERRORS.has(error.name)) return true;
  if (error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  // A cancellation is worth repeating only if no condition failed: a failed condition will fail again.
  return (
    reasons.some((r) => RETRYABLE_REASONS.has(r.Code ?? '')) &&
    !reasons.some((r) => r.Code === 'ConditionalCheckFailed')
  );
}

/** Backoff before retry number `retry` (1-based): uniform in [0, min(max, base·2^(retry-1))). */
export function backoffMs(retry: number, options: RetryOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(options.random() * ceiling);
}

/**
 * Runs `operation`, repeating it after a jittered pause while it fails with a retryable error.
 * Non-retryable errors pass through untouched on the first occurrence.
 */
export async function withRetry<T>(
  operation: () => Promise<T>,
  options: RetryOptions = DEFAULT_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (attempt >= options.attempts) throw new ServiceUnavailable(undefined, error);
      await options.sleep(backoffMs(attempt, options));
    }
  }
}
