/**
 * TransactWriteItems with per-action failure mapping. Each action says which domain error its
 * condition stands for; when DynamoDB cancels the transaction, `CancellationReasons[i]` (with
 * the item as it was, thanks to `ReturnValuesOnConditionCheckFailure: ALL_OLD`) is handed to
 * the action that failed, so "sold out" and "already booked" are told apart without a re-read.
 */
import { randomUUID } from 'node:crypto';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../domain/errors.ts';
import { type Db, isCancellation, plainItem } from './db.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface TxAction {
  /** one write, in lib-dynamodb form (plain values) */
  item: TransactItem;
  /** the domain error for this action's failed condition, given the item as it was (undefined: absent) */
  onConditionFailed?: (old: Record<string, unknown> | undefined) => Error;
}

function withAllOld(item: TransactItem): TransactItem {
  const out: TransactItem = { ...item };
  for (const kind of ['Put', 'Update', 'Delete', 'ConditionCheck'] as const) {
    const op = out[kind];
    if (op?.ConditionExpression) {
      (out as Record<string, unknown>)[kind] = { ...op, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' };
    }
  }
  return out;
}

/**
 * Writes all actions atomically (retrying conflicts and throttling). When a condition fails,
 * throws the error of the FIRST failed action in array order, so callers list actions by the
 * precedence of their errors (an idempotent replay beats "already booked", for instance).
 */
export async function transactWrite(db: Db, actions: TxAction[]): Promise<void> {
  if (actions.length === 0) return;
  try {
    const items = actions.map((a) => withAllOld(a.item));
    // A fresh token per attempt: the SDK's own resend of one attempt (timeout, 5xx after a
    // commit) then replays the committed result instead of failing its conditions, while a
    // retry after a conflict is a new attempt that DynamoDB evaluates afresh.
    await db.run(() =>
      db.doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() })),
    );
  } catch (error) {
    if (!isCancellation(error)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
    const action = actions[failed];
    if (action?.onConditionFailed) throw action.onConditionFailed(plainItem(reasons[failed]?.Item));
    throw new DomainError('INTERNAL', 'The data store refused a write.', { cause: error });
  }
}
