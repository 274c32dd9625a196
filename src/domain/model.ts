/**
 * The domain model: the shapes that DESIGN.md §3 names, as the API returns them.
 * Storage keys and internal bookkeeping (version, GSI keys, TTLs) never appear here;
 * adapters add and strip them.
 */

export type CatalogKind = 'event' | 'program' | 'campaign' | 'product';
export type CatalogStatus = 'draft' | 'published' | 'cancelled';

/** An item of the catalog (`events` table): event, community program, campaign or product. */
export interface CatalogItem {
  eventId: string;
  venueId: string;
  kind: CatalogKind;
  title: string;
  description?: string;
  status: CatalogStatus;
  category?: string;
  campaignId?: string;
  /** events, programs, campaigns */
  startsAt?: string;
  endsAt?: string;
  /** events and programs */
  capacity?: number;
  booked?: number;
  remaining?: number;
  /** campaigns */
  itemIds?: string[];
  /** products */
  priceCents?: number;
  createdAt: string;
  updatedAt: string;
}

export interface PickupSlot {
  slotId: string;
  venueId: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  booked: number;
  remaining: number;
}

export type ReservationType = 'event' | 'pickup';

/** The queue's service kind of a pickup check-in's ticket (DESIGN.md §5). */
export const PICKUP_SERVICE_KIND = 'pickup';
export type ReservationStatus = 'confirmed' | 'checked_in' | 'completed' | 'cancelled' | 'no_show';

export interface Reservation {
  reservationId: string;
  userId: string;
  venueId: string;
  type: ReservationType;
  eventId?: string;
  slotId?: string;
  partySize: number;
  status: ReservationStatus;
  orderRef?: string;
  /** start and end of the booked event or slot, kept for check-in windows and appointments */
  startsAt: string;
  endsAt: string;
  createdAt: string;
  updatedAt: string;
}

export type TicketStatus = 'waiting' | 'called' | 'done' | 'left' | 'no_show';
export type TicketOutcome = 'served' | 'no_show';

export interface QueueTicket {
  ticketId: string;
  venueId: string;
  userId: string;
  serviceKind: string;
  partySize: number;
  accessibility: boolean;
  status: TicketStatus;
  /** 1-based among waiting tickets of the lane plan; absent until the worker (or the API's FIFO fallback) plans it */
  position?: number;
  etaAt?: string;
  laneId?: string;
  reservationId?: string;
  /** pickup check-ins: the order to hand over, so the lane has it at hand when it calls */
  orderRef?: string;
  /** pickup check-ins: the slot they booked, honoured as an appointment */
  appointment?: { startsAt: string; endsAt: string };
  joinedAt: string;
  calledAt?: string;
  /** the lane that called the ticket (set by call-next) */
  calledLaneId?: string;
  completedAt?: string;
  outcome?: TicketOutcome;
}

export interface Preferences {
  channels: { email: boolean; sms: boolean };
  email?: string;
  phone?: string;
  interests: string[];
  language: string;
  accessibility: boolean;
  marketingOptIn: boolean;
}

export const DEFAULT_PREFERENCES: Preferences = {
  channels: { email: true, sms: false },
  interests: [],
  language: 'en',
  accessibility: false,
  marketingOptIn: false,
};

/** One page of a list: `nextCursor` is absent on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** The authenticated caller, from the verified access token. */
export interface Caller {
  userId: string;
  groups: string[];
  isOperator: boolean;
}

export type VenueEventType = 'BookingConfirmed' | 'CheckInCompleted' | 'PickupCompleted';

/** The `detail` of a venue.hub EventBridge event (DESIGN.md §4). */
export interface VenueEventDetail {
  id: string;
  occurredAt: string;
  venueId: string;
  userId: string;
  reservationId?: string;
  ticketId?: string;
  correlationId: string;
  /** extra facts the notification needs (kind of booking, times, party size) */
  [key: string]: unknown;
}

export interface VenueEvent {
  detailType: VenueEventType;
  detail: VenueEventDetail;
}

/**
 * The fields of each shape, in one place: the stores copy exactly these out of a stored item
 * (never keys, versions or TTLs) and the API serializers send these, plus the computed
 * `remaining`. A field added to a shape is added here once.
 */
export const CATALOG_ITEM_FIELDS = [
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
  'itemIds',
  'priceCents',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof CatalogItem)[];

export const PICKUP_SLOT_FIELDS = [
  'slotId',
  'venueId',
  'startsAt',
  'endsAt',
  'capacity',
  'booked',
] as const satisfies readonly (keyof PickupSlot)[];

export const RESERVATION_FIELDS = [
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
] as const satisfies readonly (keyof Reservation)[];

export const QUEUE_TICKET_FIELDS = [
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
  'orderRef',
  'appointment',
  'joinedAt',
  'calledAt',
  'calledLaneId',
  'completedAt',
  'outcome',
] as const satisfies readonly (keyof QueueTicket)[];
