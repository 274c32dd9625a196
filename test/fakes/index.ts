/**
 * In-memory implementations of every port of src/domain/ports.ts, faithful to the real
 * adapters: the same domain errors, the same all-or-nothing writes, the same ordering. Any
 * test (and any engineer) can build a full service graph with `createMemoryStores()`.
 */
import type { Preferences, VenueEvent } from '../../src/domain/model.ts';
import type { Clock, EventPublisher, PreferencesStore, RulesProvider } from '../../src/domain/ports.ts';
import type { RulesDocument, RulesSnapshot } from '../../src/domain/rules.ts';
import { memoryCatalogStore, memorySlotStore } from './memory-catalog.ts';
import { MemoryDeliveryLedger } from './memory-deliveries.ts';
import { memoryQueueStore } from './memory-queue.ts';
import { memoryOutboxStore, memoryReservationStore } from './memory-reservations.ts';
import { createMemoryState, type MemoryState } from './memory-state.ts';
import { copy } from './paging.ts';

export type { MemoryState } from './memory-state.ts';

function memoryPreferencesStore(state: MemoryState): PreferencesStore {
  return {
    async get(userId) {
      const p = state.preferences.get(userId);
      return p && copy(p);
    },
    async put(userId, preferences: Preferences) {
      state.preferences.set(userId, copy(preferences));
      return copy(preferences);
    },
  };
}

/**
 * All stores over one shared state (exposed for assertions). `now` is the delivery ledger's
 * clock (its port methods take no time, as the DynamoDB adapter reads its own).
 */
export function createMemoryStores(
  state: MemoryState = createMemoryState(),
  now: () => Date = () => new Date(),
) {
  return {
    state,
    catalog: memoryCatalogStore(state),
    slots: memorySlotStore(state),
    reservations: memoryReservationStore(state),
    queue: memoryQueueStore(state),
    outbox: memoryOutboxStore(state),
    preferences: memoryPreferencesStore(state),
    deliveries: new MemoryDeliveryLedger(state.deliveries, now),
  };
}

export type MemoryStores = ReturnType<typeof createMemoryStores>;

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

/** Rules the test can swap, as a new AppConfig deployment would. */
export class FakeRulesProvider implements RulesProvider {
  private version = 1;
  constructor(private document: RulesDocument) {}
  async current(): Promise<RulesSnapshot> {
    return { document: copy(this.document), version: String(this.version) };
  }
  deploy(document: RulesDocument): void {
    this.document = copy(document);
    this.version += 1;
  }
}

/** Records published events; `failNext` makes the next publish throw like an unreachable bus. */
export class FakePublisher implements EventPublisher {
  readonly published: VenueEvent[] = [];
  failures = 0;
  async publish(events: VenueEvent[]): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('event bus unreachable');
    }
    this.published.push(...copy(events));
  }
}
