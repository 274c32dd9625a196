/**
 * Response serializers with allow-listed fields (OWASP API3): only the fields of the domain
 * shapes (src/domain/model.ts) leave the API, so table keys, versions and any bookkeeping an
 * adapter might leave on an object never reach a client.
 */
import {
  CATALOG_ITEM_FIELDS,
  type CatalogItem,
  PICKUP_SLOT_FIELDS,
  type PickupSlot,
  type Preferences,
  QUEUE_TICKET_FIELDS,
  type QueueTicket,
  RESERVATION_FIELDS,
  type Reservation,
} from '../domain/model.ts';

function pick(source: object, keys: readonly string[]): Record<string, unknown> {
  const record = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (record[key] !== undefined) out[key] = record[key];
  return out;
}

/** Seats are sent with `booked` and the computed `remaining`. */
function withSeats(out: Record<string, unknown>, capacity: number | undefined, booked: number | undefined) {
  if (capacity === undefined) return out;
  out.booked = booked ?? 0;
  out.remaining = Math.max(0, capacity - (booked ?? 0));
  return out;
}

export function catalogItemOut(item: CatalogItem): Record<string, unknown> {
  return withSeats(pick(item, CATALOG_ITEM_FIELDS), item.capacity, item.booked);
}

export function slotOut(slot: PickupSlot): Record<string, unknown> {
  return withSeats(pick(slot, PICKUP_SLOT_FIELDS), slot.capacity, slot.booked);
}

export function reservationOut(r: Reservation): Record<string, unknown> {
  return pick(r, RESERVATION_FIELDS);
}

const TICKET_OUT = QUEUE_TICKET_FIELDS.filter((f) => f !== 'calledLaneId' && f !== 'appointment');

export function ticketOut(t: QueueTicket): Record<string, unknown> {
  const out = pick(t, TICKET_OUT);
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
