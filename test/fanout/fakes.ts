/**
 * In-memory stand-ins for the ports the fan-out uses, faithful to their contracts: the
 * ledger's claim succeeds once per key and channel until released or expired; the notifier
 * records what it publishes and can be told to fail.
 */
import type { CatalogItem, PickupSlot, Preferences } from '../../src/domain/model.ts';
import type {
  DeliveryLedger,
  Notification,
  NotificationChannel,
  Notifier,
  StoredTicket,
} from '../../src/domain/ports.ts';
import type { RulesDocument } from '../../src/domain/rules.ts';
import type { FanoutDeps } from '../../src/fanout/notification-fanout.ts';
import { createLogger } from '../../src/observability/log.ts';
import { sampleRules } from '../helpers/sample-rules.ts';

export class MemoryLedger implements DeliveryLedger {
  readonly markers = new Map<string, string>();
  constructor(private readonly now: () => Date) {}

  async claim(eventId: string, channel: NotificationChannel, expiresAt: string): Promise<boolean> {
    const key = `${eventId}#${channel}`;
    const existing = this.markers.get(key);
    if (existing !== undefined && Date.parse(existing) > this.now().getTime()) return false;
    this.markers.set(key, expiresAt);
    return true;
  }

  async release(eventId: string, channel: NotificationChannel): Promise<void> {
    this.markers.delete(`${eventId}#${channel}`);
  }
}

export class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  /** publishes on these channels fail (until cleared) */
  readonly failing = new Set<NotificationChannel>();

  async publish(notification: Notification): Promise<void> {
    if (this.failing.has(notification.channel)) {
      throw Object.assign(new Error('sns down'), { name: 'ServiceUnavailable' });
    }
    this.sent.push(notification);
  }
}

export interface Harness {
  deps: FanoutDeps;
  ledger: MemoryLedger;
  notifier: RecordingNotifier;
  preferences: Map<string, Preferences>;
  catalog: Map<string, CatalogItem>;
  slots: Map<string, PickupSlot>;
  tickets: StoredTicket[];
  rules: RulesDocument;
  logs: Record<string, unknown>[];
  setNow(iso: string): void;
}

export function harness(now = '2026-11-20T14:02:11.000Z'): Harness {
  let clock = new Date(now);
  const logs: Record<string, unknown>[] = [];
  const ledger = new MemoryLedger(() => clock);
  const notifier = new RecordingNotifier();
  const preferences = new Map<string, Preferences>();
  const catalog = new Map<string, CatalogItem>();
  const slots = new Map<string, PickupSlot>();
  const tickets: StoredTicket[] = [];
  const rules = sampleRules();
  return {
    ledger,
    notifier,
    preferences,
    catalog,
    slots,
    tickets,
    rules,
    logs,
    setNow: (iso) => {
      clock = new Date(iso);
    },
    deps: {
      preferences: { get: async (userId) => preferences.get(userId) },
      catalog: { get: async (id) => catalog.get(id) },
      slots: { get: async (id) => slots.get(id) },
      queue: { listActive: async (venueId) => tickets.filter((t) => t.venueId === venueId) },
      ledger,
      notifier,
      rules: { current: async () => ({ document: rules, version: 'test' }) },
      clock: { now: () => clock },
      logger: createLogger('test', { level: 'debug', sink: (line) => logs.push(JSON.parse(line)) }),
    },
  };
}
