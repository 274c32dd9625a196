/**
 * The delivery ledger in memory, with the lease semantics of the DynamoDB adapter: a claim
 * writes a `pending` marker until `leaseUntil`; a live lease makes other claims throw
 * `DeliveryInFlight`; an expired lease or marker can be claimed again; `confirm` marks it
 * `sent`; `release` drops a pending marker and never a sent one.
 */
import { DeliveryInFlight, type DeliveryLedger, type NotificationChannel } from '../../src/domain/ports.ts';

export interface DeliveryMarker {
  status: 'pending' | 'sent';
  /** epoch ms; pending markers only */
  leaseUntil?: number;
  /** epoch ms */
  expiresAt: number;
}

export class MemoryDeliveryLedger implements DeliveryLedger {
  constructor(
    /** `${eventId}#${channel}` → marker, exposed for assertions */
    readonly markers: Map<string, DeliveryMarker> = new Map(),
    private readonly now: () => Date = () => new Date(),
  ) {}

  async claim(
    eventId: string,
    channel: NotificationChannel,
    expiresAt: string,
    leaseUntil: string = expiresAt,
  ): Promise<boolean> {
    const key = `${eventId}#${channel}`;
    const now = this.now().getTime();
    const held = this.markers.get(key);
    if (held && held.expiresAt >= now) {
      if (held.status === 'sent') return false;
      if ((held.leaseUntil ?? 0) >= now)
        throw new DeliveryInFlight(eventId, channel, new Date(held.leaseUntil ?? 0).toISOString());
    }
    this.markers.set(key, {
      status: 'pending',
      leaseUntil: Date.parse(leaseUntil),
      expiresAt: Date.parse(expiresAt),
    });
    return true;
  }

  async confirm(eventId: string, channel: NotificationChannel, expiresAt: string): Promise<void> {
    this.markers.set(`${eventId}#${channel}`, { status: 'sent', expiresAt: Date.parse(expiresAt) });
  }

  async release(eventId: string, channel: NotificationChannel): Promise<void> {
    const key = `${eventId}#${channel}`;
    if (this.markers.get(key)?.status === 'pending') this.markers.delete(key);
  }
}
