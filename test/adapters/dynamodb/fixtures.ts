/** Builders for the DynamoDB adapter tests: stores over fresh tables, and valid domain objects. */
import { randomUUID } from 'node:crypto';
import {
  createDocumentClient,
  createDynamoStores,
  type DynamoStores,
} from '../../../src/adapters/dynamodb/index.ts';
import type { TableNames } from '../../../src/config/tables.ts';
import type { CatalogItem, QueueTicket, Reservation, VenueEvent } from '../../../src/domain/model.ts';
import type { BookingCommand, JoinCommand } from '../../../src/domain/ports.ts';
import { type TestTables, useTables } from '../../helpers/dynamodb.ts';

export const VENUE = 'flagship-001';
export const NOW = '2026-12-01T12:00:00.000Z';

export interface StoreFixture extends TestTables {
  stores: DynamoStores;
}

/** Fresh tables and the stores over them (call in a `before`). */
export async function useStores(): Promise<StoreFixture> {
  // DynamoDB Local accepts any credentials; the region and keys come from the environment in AWS
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const db = await useTables();
  const doc = createDocumentClient(db.endpoint);
  return { ...db, stores: createDynamoStores(doc, db.tables, { retry: { attempts: 20, maxDelayMs: 200 } }) };
}

export function catalogItem(overrides: Partial<CatalogItem> = {}): CatalogItem {
  return {
    eventId: randomUUID(),
    venueId: VENUE,
    kind: 'event',
    title: 'Latte art class',
    status: 'published',
    startsAt: '2026-12-10T15:00:00.000Z',
    endsAt: '2026-12-10T16:00:00.000Z',
    capacity: 10,
    booked: 0,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function venueEvent(
  detailType: VenueEvent['detailType'],
  extra: Record<string, unknown> = {},
): VenueEvent {
  return {
    detailType,
    detail: {
      id: randomUUID(),
      occurredAt: NOW,
      venueId: VENUE,
      userId: 'user-1',
      correlationId: randomUUID(),
      ...extra,
    },
  };
}

export function reservationFor(
  target: { eventId?: string; slotId?: string },
  overrides: Partial<Reservation> = {},
): Reservation {
  return {
    reservationId: randomUUID(),
    userId: `user-${randomUUID()}`,
    venueId: VENUE,
    type: target.eventId ? 'event' : 'pickup',
    ...target,
    partySize: 1,
    status: 'confirmed',
    startsAt: '2026-12-10T15:00:00.000Z',
    endsAt: '2026-12-10T16:00:00.000Z',
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function booking(reservation: Reservation, overrides: Partial<BookingCommand> = {}): BookingCommand {
  return {
    reservation,
    now: NOW,
    maxActiveReservations: 10,
    event: venueEvent('BookingConfirmed', {
      userId: reservation.userId,
      reservationId: reservation.reservationId,
    }),
    ...overrides,
  };
}

export function ticket(overrides: Partial<QueueTicket> = {}): QueueTicket {
  return {
    ticketId: randomUUID(),
    venueId: VENUE,
    userId: `user-${randomUUID()}`,
    serviceKind: 'returns',
    partySize: 1,
    accessibility: false,
    status: 'waiting',
    joinedAt: NOW,
    ...overrides,
  };
}

export function join(t: QueueTicket, overrides: Partial<JoinCommand> = {}): JoinCommand {
  return { ticket: t, maxLength: 500, maxJoinsPerHour: 6, ...overrides };
}

export type { TableNames };
