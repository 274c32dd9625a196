/** In-memory CatalogStore and SlotStore with the real stores' errors and ordering. */
import { CapacityBelowBooked, NotFound } from '../../src/domain/errors.ts';
import type { CatalogItem, Page, PageRequest, PickupSlot } from '../../src/domain/model.ts';
import {
  type CatalogChanges,
  type CatalogQuery,
  type CatalogStore,
  type SlotStore,
  withChanges,
} from '../../src/domain/ports.ts';
import type { MemoryState } from './memory-state.ts';
import { withRemaining } from './memory-state.ts';
import { copy, pageOf } from './paging.ts';

function matches(item: CatalogItem, q: CatalogQuery): boolean {
  if (item.venueId !== q.venueId) return false;
  const isProduct = item.kind === 'product';
  if ((q.listing === 'products') !== isProduct) return false;
  if (!q.includeDrafts && item.status === 'draft') return false;
  if (q.kind !== undefined && item.kind !== q.kind) return false;
  if (q.category !== undefined && item.category !== q.category) return false;
  if (q.campaignId !== undefined && item.campaignId !== q.campaignId) return false;
  if (q.from !== undefined && item.endsAt !== undefined && item.endsAt < q.from) return false;
  if (q.to !== undefined && item.startsAt !== undefined && item.startsAt >= q.to) return false;
  return true;
}

function order(listing: CatalogQuery['listing']) {
  return (a: CatalogItem, b: CatalogItem): number => {
    const ka = listing === 'products' ? a.title : (a.startsAt ?? '');
    const kb = listing === 'products' ? b.title : (b.startsAt ?? '');
    return ka < kb ? -1 : ka > kb ? 1 : a.eventId < b.eventId ? -1 : 1;
  };
}

export function memoryCatalogStore(state: MemoryState): CatalogStore {
  return {
    async get(eventId) {
      const item = state.catalog.get(eventId);
      return item && withRemaining(copy(item));
    },
    async getMany(eventIds) {
      return [...new Set(eventIds)].flatMap((id) => {
        const item = state.catalog.get(id);
        return item ? [withRemaining(copy(item))] : [];
      });
    },
    async create(item) {
      const stored = { ...copy(item), ...(item.capacity !== undefined ? { booked: item.booked ?? 0 } : {}) };
      delete stored.remaining;
      state.catalog.set(item.eventId, stored);
      return withRemaining(copy(stored));
    },
    async update(eventId, changes: CatalogChanges, updatedAt) {
      const item = state.catalog.get(eventId);
      if (!item) throw new NotFound('Event');
      if (changes.capacity !== undefined && changes.capacity < (item.booked ?? 0))
        throw new CapacityBelowBooked();
      const next: CatalogItem = { ...withChanges(item, copy(changes)), updatedAt };
      if (next.capacity !== undefined && next.booked === undefined) next.booked = 0;
      state.catalog.set(eventId, next);
      return withRemaining(copy(next));
    },
    async list(query: CatalogQuery, page: PageRequest): Promise<Page<CatalogItem>> {
      const all = [...state.catalog.values()].filter((i) => matches(i, query)).sort(order(query.listing));
      const result = pageOf(all, page);
      return { ...result, items: result.items.map((i) => withRemaining(copy(i))) };
    },
  };
}

export function memorySlotStore(state: MemoryState): SlotStore {
  // as the byVenueTime index: the venue's slots with from <= startsAt < to, in start order
  const slotsOf = (venueId: string, range: { from: string; to: string }) =>
    [...state.slots.values()]
      .filter((s) => s.venueId === venueId && s.startsAt >= range.from && s.startsAt < range.to)
      .sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0));
  return {
    async get(slotId) {
      const slot = state.slots.get(slotId);
      return slot && withRemaining(copy(slot));
    },
    async createMany(slots: PickupSlot[]) {
      const created: PickupSlot[] = [];
      for (const slot of slots) {
        if (state.slots.has(slot.slotId)) continue;
        const stored = { ...copy(slot), booked: 0, remaining: slot.capacity };
        state.slots.set(slot.slotId, stored);
        created.push(copy(stored));
      }
      return created;
    },
    async listByVenue(venueId, range, page) {
      const result = pageOf(slotsOf(venueId, range), page);
      return { ...result, items: result.items.map((s) => withRemaining(copy(s))) };
    },
    async awaitingCheckIns(venueId, range) {
      const reservations = [...state.reservations.values()];
      return slotsOf(venueId, range).map((s) => ({
        slotId: s.slotId,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        awaiting: reservations.filter((r) => r.slotId === s.slotId && r.status === 'confirmed').length,
      }));
    },
  };
}
