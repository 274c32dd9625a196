/**
 * In-memory stand-ins for the ports the fan-out uses, faithful to their contracts: the
 * ledger is the shared lease-keeping fake (test/fakes/memory-deliveries.ts); the notifier
 * records what it publishes, can be told to fail, and can hold a publish at a gate to stand
 * for a slow SNS call or, never opened, a process that died there.
 */
import type { CatalogItem, PickupSlot, Preferences } from '../../src/domain/model.ts';
import type { Notification, NotificationChannel, Notifier, StoredTicket } from '../../src/domain/ports.ts';
import type { RulesDocument } from '../../src/domain/rules.ts';
import type { FanoutDeps } from '../../src/fanout/notification-fanout.ts';
import { createLogger } from '../../src/observability/log.ts';
import { MemoryDeliveryLedger } from '../fakes/memory-deliveries.ts';
import { sampleRules } from '../helpers/sample-rules.ts';

/** A publish held at a gate: `reached` settles when a publish arrives there; `open` lets it go on. */
export interface Gate {
  reached: Promise<void>;
  open(): void;
}

export class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  /** publishes on these channels fail (until cleared) */
  readonly failing = new Set<NotificationChannel>();
  private readonly gates = new Map<
    NotificationChannel,
    { at: 'before' | 'after'; wait: Promise<void>; arrive(): void }
  >();

  /**
   * Holds the next publish on `channel` before SNS accepts it (`before`: nothing sent yet) or
   * after (`after`: the message is out, the caller has not heard back).
   */
  gate(channel: NotificationChannel, at: 'before' | 'after'): Gate {
    let arrive = () => {};
    let open = () => {};
    const reached = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    const wait = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.gates.set(channel, { at, wait, arrive });
    return { reached, open };
  }

  async publish(notification: Notification): Promise<void> {
    const gate = this.gates.get(notification.channel);
    if (gate) this.gates.delete(notification.channel);
    if (gate?.at === 'before') {
      gate.arrive();
      await gate.wait;
    }
    if (this.failing.has(notification.channel)) {
      throw Object.assign(new Error('sns down'), { name: 'ServiceUnavailable' });
    }
    this.sent.push(notification);
    if (gate?.at === 'after') {
      gate.arrive();
      await gate.wait;
    }
  }
}

export interface Harness {
  deps: FanoutDeps;
  ledger: MemoryDeliveryLedger;
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
  const ledger = new MemoryDeliveryLedger(new Map(), () => clock);
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
