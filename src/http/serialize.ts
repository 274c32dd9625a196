/**
 * Response serializers with allow-listed fields (OWASP API3): table keys, versions and any
 * internal bookkeeping an adapter might leave on an object never reach a client.
 */
import type { CatalogItem, PickupSlot, Preferences, QueueTicket, Reservation } from '../domain/model.ts';

function pick(source: object, keys: readonly string[]): Record<string, unknown> {
  const record = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (record[key] !== undefined) out[key] = record[key];
  return out;
}

const CATALOG_FIELDS = [
  'eventId',
  'venueId',
  'kind',
  'title',
  'description',
  'status',
  'category',
  'campaignId',
  'startsAt',
  'endsAt',
  'capacity',
  'booked',
  'remaining',
  'itemIds',
  'priceCents',
  'createdAt',
  'updatedAt',
] as const;

export function catalogItemOut(item: CatalogItem): Record<string, unknown> {
  const out = pick(item, CATALOG_FIELDS);
  if (item.capacity !== undefined) {
    const booked = item.booked ?? 0;
    out.booked = booked;
    out.remaining = Math.max(0, item.capacity - booked);
  }
  return out;
}

export function slotOut(slot: PickupSlot): Record<string, unknown> {
  const out = pick(slot, ['slotId', 'venueId', 'startsAt', 'endsAt', 'capacity', 'booked']);
  out.booked = slot.booked ?? 0;
  out.remaining = Math.max(0, slot.capacity - (slot.booked ?? 0));
  return out;
}

const RESERVATION_FIELDS = [
  'reservationId',
  'userId',
  'venueId',
  'type',
  'eventId',
  'slotId',
  'partySize',
  'status',
  'orderRef',
  'startsAt',
  'endsAt',
  'createdAt',
  'updatedAt',
] as const;

export function reservationOut(r: Reservation): Record<string, unknown> {
  return pick(r, RESERVATION_FIELDS);
}

const TICKET_FIELDS = [
  'ticketId',
  'venueId',
  'userId',
  'serviceKind',
  'partySize',
  'accessibility',
  'status',
  'position',
  'etaAt',
  'laneId',
  'reservationId',
  'joinedAt',
  'calledAt',
  'completedAt',
  'outcome',
] as const;

export function ticketOut(t: QueueTicket): Record<string, unknown> {
  const out = pick(t, TICKET_FIELDS);
  // once called, the lane that called the ticket is where the shopper goes
  if (t.calledLaneId !== undefined && t.status !== 'waiting') out.laneId = t.calledLaneId;
  if (t.status !== 'waiting') delete out.position;
  if (t.appointment) out.appointment = pick(t.appointment, ['startsAt', 'endsAt']);
  return out;
}

export function preferencesOut(p: Preferences): Record<string, unknown> {
  const out = pick(p, ['email', 'phone', 'language', 'accessibility', 'marketingOptIn']);
  out.channels = { email: p.channels.email === true, sms: p.channels.sms === true };
  out.interests = [...(p.interests ?? [])];
  return out;
}
