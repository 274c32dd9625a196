import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backoffMs,
  DEFAULT_RETRY,
  isRetryable,
  type RetryOptions,
  withRetry,
} from '../../../src/adapters/dynamodb/retry.ts';
import { ServiceUnavailable } from '../../../src/domain/errors.ts';

function sdkError(name: string, extra: Record<string, unknown> = {}): Error {
  const error = new Error(name);
  error.name = name;
  return Object.assign(error, extra);
}

/** A sender that fails with the given errors, then answers `ok`. */
function failingSender(failures: Error[]): { send: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    send: async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
      return 'ok';
    },
    calls: () => calls,
  };
}

function options(sleeps: number[]): RetryOptions {
  return {
    ...DEFAULT_RETRY,
    attempts: 4,
    baseDelayMs: 10,
    maxDelayMs: 30,
    random: () => 0.999,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

describe('withRetry', () => {
  it('retries throttling and conflicts with growing, capped, jittered pauses', async () => {
    const sleeps: number[] = [];
    const sender = failingSender([
      sdkError('ThrottlingException'),
      sdkError('ProvisionedThroughputExceededException'),
      sdkError('TransactionCanceledException', {
        CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
      }),
    ]);
    assert.equal(await withRetry(sender.send, options(sleeps)), 'ok');
    assert.equal(sender.calls(), 4);
    assert.deepEqual(sleeps, [9, 19, 29]);
  });

  it('gives up after the last attempt with ServiceUnavailable', async () => {
    const sleeps: number[] = [];
    const sender = failingSender(Array.from({ length: 10 }, () => sdkError('RequestLimitExceeded')));
    await assert.rejects(withRetry(sender.send, options(sleeps)), (error: unknown) => {
      assert.ok(error instanceof ServiceUnavailable);
      assert.equal(error.code, 'SERVICE_UNAVAILABLE');
      assert.equal((error.cause as Error).name, 'RequestLimitExceeded');
      return true;
    });
    assert.equal(sender.calls(), 4);
    assert.equal(sleeps.length, 3);
  });

  it('passes other failures through at once', async () => {
    const sender = failingSender([sdkError('ConditionalCheckFailedException')]);
    await assert.rejects(withRetry(sender.send, options([])), { name: 'ConditionalCheckFailedException' });
    assert.equal(sender.calls(), 1);
  });
});

describe('isRetryable', () => {
  it('never retries a cancellation in which a condition failed', () => {
    const reasons = [{ Code: 'ConditionalCheckFailed' }, { Code: 'TransactionConflict' }];
    assert.equal(
      isRetryable(sdkError('TransactionCanceledException', { CancellationReasons: reasons })),
      false,
    );
    assert.equal(
      isRetryable(
        sdkError('TransactionCanceledException', { CancellationReasons: [{ Code: 'ThrottlingError' }] }),
      ),
      true,
    );
    assert.equal(isRetryable(sdkError('ValidationException')), false);
    assert.equal(isRetryable('ThrottlingException'), false);
  });

  it('backoff stays within [0, min(max, base·2^(n-1)))', () => {
    const o = { ...DEFAULT_RETRY, baseDelayMs: 20, maxDelayMs: 1000 };
    assert.equal(backoffMs(1, { ...o, random: () => 0 }), 0);
    assert.equal(backoffMs(3, { ...o, random: () => 0.5 }), 40);
    assert.equal(backoffMs(20, { ...o, random: () => 0.5 }), 500);
  });
});
