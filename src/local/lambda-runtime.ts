/**
 * Runs a bundled Lambda handler in-process the way the Lambda runtime would: one invocation
 * with a context object and the function's timeout. Used by the hub (venue-api, the bus
 * targets) and by `npm run invoke`.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export class FunctionTimeout extends Error {
  constructor(functionName: string, seconds: number) {
    super(`${functionName} timed out after ${seconds} s`);
    this.name = 'FunctionTimeout';
  }
}

/** Imports a bundle and returns its exported handler (`index.handler` → export `handler`). */
export async function loadHandler(bundlePath: string, exportName = 'handler'): Promise<LambdaHandler> {
  const module = (await import(pathToFileURL(bundlePath).href)) as Record<string, unknown>;
  const handler = module[exportName];
  if (typeof handler !== 'function') throw new Error(`${bundlePath} exports no function "${exportName}"`);
  return handler as LambdaHandler;
}

function contextFor(functionName: string, deadline: number): Context {
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** One invocation; rejects with FunctionTimeout when the handler outlives `timeoutSeconds`. */
export async function invokeHandler(
  handler: LambdaHandler,
  event: unknown,
  functionName: string,
  timeoutSeconds = 30,
): Promise<unknown> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FunctionTimeout(functionName, timeoutSeconds)),
      timeoutSeconds * 1000,
    );
  });
  try {
    return await Promise.race([handler(event, contextFor(functionName, deadline)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
