/**
 * The shared in-memory "tables" behind the fake stores. Every fake method runs synchronously
 * between awaits, so each one is atomic exactly as the DynamoDB transaction it stands in for.
 */
import type {
  CatalogItem,
  PickupSlot,
  Preferences,
  Reservation,
  VenueEvent,
} from '../../src/domain/model.ts';
import type { IdempotencyRecord, StoredTicket } from '../../src/domain/ports.ts';
import type { DeliveryMarker } from './memory-deliveries.ts';

export interface OutboxEntry {
  event: VenueEvent;
  publishedAt?: string;
  /** refusals by the bus so far, when it is due again, and when it was dead-lettered */
  attempts?: number;
  dueAt?: string;
  deadAt?: string;
}

export interface MemoryState {
  catalog: Map<string, CatalogItem>;
  slots: Map<string, PickupSlot>;
  reservations: Map<string, Reservation>;
  idempotency: Map<string, IdempotencyRecord>;
  tickets: Map<string, StoredTicket>;
  /** joins per `${venueId}#${userId}#${hour}` */
  joins: Map<string, number>;
  outbox: Map<string, OutboxEntry>;
  preferences: Map<string, Preferences>;
  deliveries: Map<string, DeliveryMarker>;
  /** when a worker task last took or renewed the worker lease (the board's planner status) */
  plannerSeenAt?: string;
}

export function createMemoryState(): MemoryState {
  return {
    catalog: new Map(),
    slots: new Map(),
    reservations: new Map(),
    idempotency: new Map(),
    tickets: new Map(),
    joins: new Map(),
    outbox: new Map(),
    preferences: new Map(),
    deliveries: new Map(),
  };
}

export function withRemaining<T extends { capacity?: number; booked?: number }>(
  item: T,
): T & { remaining?: number } {
  if (item.capacity === undefined) return { ...item };
  const booked = item.booked ?? 0;
  return { ...item, booked, remaining: Math.max(0, item.capacity - booked) };
}

export const ACTIVE_RESERVATION: ReadonlySet<string> = new Set(['confirmed', 'checked_in']);
export const ACTIVE_TICKET: ReadonlySet<string> = new Set(['waiting', 'called']);
