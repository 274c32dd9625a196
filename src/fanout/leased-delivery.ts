/**
 * One message's way through the delivery ledger: lease it, publish it, confirm it (or release
 * the lease when the publish fails). The lease outlives the invocation that took it, so an
 * attempt that dies leaves a claim that the next attempt takes over once the lease runs out
 * (docs/decisions/0310-delivery-leases.md).
 */
import type { DeliveryLedger, Notification, NotificationChannel, Notifier } from '../domain/ports.ts';
import { errorName, type Logger } from '../observability/log.ts';

/**
 * The invocation time assumed when the caller does not say how much is left (no Lambda
 * context): at least the function's timeout in template.yaml.
 */
export const DEFAULT_REMAINING_MS = 30_000;

/**
 * Added to the invocation's deadline to make a lease: covers clock skew between the sandbox
 * that claimed and the one that retries. A lease must outlive every attempt that may still
 * publish under it, and Lambda ends an attempt at its deadline.
 */
export const LEASE_MARGIN_MS = 10_000;

/** What the fan-out knows of the invocation it runs in. */
export interface FanoutInvocation {
  /** milliseconds left before the runtime ends the invocation (Lambda `getRemainingTimeInMillis`) */
  remainingMs?: number;
}

/** When a lease taken now ends: after the invocation's deadline, plus the margin. */
export function leaseEnd(now: Date, invocation: FanoutInvocation = {}): string {
  const remainingMs = invocation.remainingMs ?? DEFAULT_REMAINING_MS;
  return new Date(now.getTime() + Math.max(0, remainingMs) + LEASE_MARGIN_MS).toISOString();
}

/** A message to deliver: the ledger key it is claimed under and the notification itself. */
export interface Delivery {
  key: string;
  channel: NotificationChannel;
  expiresAt: string;
  notification: Notification;
}

/**
 * Lease, publish, confirm; release the lease if the publish fails. True when published now,
 * false when already sent; `DeliveryInFlight` passes through from the claim.
 */
export async function deliver(
  deps: { ledger: DeliveryLedger; notifier: Notifier },
  delivery: Delivery,
  leaseUntil: string,
  log: Logger,
): Promise<boolean> {
  const { key, channel, expiresAt } = delivery;
  if (!(await deps.ledger.claim(key, channel, expiresAt, leaseUntil))) return false;
  try {
    await deps.notifier.publish(delivery.notification);
  } catch (error) {
    try {
      await deps.ledger.release(key, channel);
    } catch (releaseError) {
      // Harmless: the lease runs out and the retry takes the message over then.
      log.warn('claim not released; the retry waits for its lease to run out', {
        channel,
        key,
        leaseUntil,
        errorName: errorName(releaseError),
      });
    }
    throw error;
  }
  try {
    await deps.ledger.confirm(key, channel, expiresAt);
  } catch (error) {
    // The message is out. Failing the event now would make its retry (after the lease) send
    // it again for sure; carrying on risks that only if the event is delivered once more.
    log.error('notification sent but not confirmed; a redelivery after the lease may repeat it', {
      channel,
      key,
      leaseUntil,
      errorName: errorName(error),
    });
  }
  return true;
}
