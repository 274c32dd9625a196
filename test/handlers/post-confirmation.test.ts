import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { NotFound } from '../../src/domain/errors.ts';
import { createPostConfirmationHandler, handler } from '../../src/handlers/post-confirmation.ts';
import type { UserDirectory } from '../../src/identity/sign-up.ts';
import { createLogger } from '../../src/observability/log.ts';

const sample = JSON.parse(
  readFileSync(new URL('../../events/post-confirmation.json', import.meta.url), 'utf8'),
) as PostConfirmationTriggerEvent;

/** A user pool in memory: group → members. Adding a member twice keeps one membership. */
function memoryDirectory(fail?: Error) {
  const groups = new Map<string, Set<string>>();
  const calls: string[] = [];
  const directory: UserDirectory = {
    async addToGroup(pool, user, group) {
      calls.push(`${pool}/${user}/${group}`);
      if (fail) throw fail;
      const members = groups.get(group) ?? new Set<string>();
      members.add(user);
      groups.set(group, members);
    },
  };
  return { directory, groups, calls };
}

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  return {
    lines,
    logger: createLogger('post-confirmation', { sink: (line) => lines.push(JSON.parse(line)) }),
  };
}

describe('post-confirmation trigger', () => {
  it('exports a handler built at module scope', () => {
    assert.equal(typeof handler, 'function');
  });

  it('puts a confirmed sign-up into shoppers and returns the event unchanged', async () => {
    const { directory, groups, calls } = memoryDirectory();
    const run = createPostConfirmationHandler({ directory, logger: capturingLogger().logger });
    const result = await run(structuredClone(sample));
    assert.deepEqual(result, sample);
    assert.deepEqual(calls, [`${sample.userPoolId}/${sample.userName}/shoppers`]);
    assert.deepEqual([...(groups.get('shoppers') ?? [])], [sample.userName]);
    assert.equal(groups.has('operators'), false);
  });

  it('is idempotent: a repeated trigger leaves one membership', async () => {
    const { directory, groups } = memoryDirectory();
    const run = createPostConfirmationHandler({ directory, logger: capturingLogger().logger });
    await run(structuredClone(sample));
    await run(structuredClone(sample));
    assert.equal(groups.get('shoppers')?.size, 1);
  });

  it('leaves groups alone after a confirmed password reset', async () => {
    const { directory, calls } = memoryDirectory();
    const run = createPostConfirmationHandler({ directory, logger: capturingLogger().logger });
    const reset = {
      ...structuredClone(sample),
      triggerSource: 'PostConfirmation_ConfirmForgotPassword' as const,
    };
    assert.deepEqual(await run(reset), reset);
    assert.deepEqual(calls, []);
  });

  it('logs the failure without personal data and rethrows it', async () => {
    const { directory } = memoryDirectory(new NotFound('The user'));
    const { logger, lines } = capturingLogger();
    const run = createPostConfirmationHandler({ directory, logger });
    await assert.rejects(run(structuredClone(sample)), NotFound);
    const failure = lines.find((line) => line.level === 'error');
    assert.equal(failure?.code, 'NOT_FOUND');
    assert.equal(failure?.sub, sample.request.userAttributes.sub);
    assert.doesNotMatch(JSON.stringify(lines), /shopper@example\.com/);
  });
});
