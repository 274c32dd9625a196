/**
 * Ports: what the domain needs from the outside world. Each is implemented once per AWS
 * service under `src/adapters/` (DynamoDB, EventBridge, SNS, AppConfigData) and by fakes in
 * tests; the local hub wires the same adapters to local stand-ins. Nothing here imports
 * `@aws-sdk/*`.
 *
 * Stores are shaped by use case, not by table: an operation that must be atomic across
 * tables (a booking touches the seat counter, the reservation, the user's guard and counter,
 * the outbox and the idempotency record) is one method, carried out as one transaction.
 */
import type {
  CatalogItem,
  CatalogKind,
  Page,
  PageRequest,
  PickupSlot,
  Preferences,
  QueueTicket,
  Reservation,
  TicketOutcome,
  VenueEvent,
} from './model.ts';
import type { RulesSnapshot } from './rules.ts';

export interface Clock {
  now(): Date;
}

/** Venue rules in force. Implementations poll in the background and keep the last good copy. */
export interface RulesProvider {
  current(): Promise<RulesSnapshot>;
}

// ---------------------------------------------------------------------------------------------
// Catalog (events table)

export interface CatalogQuery {
  venueId: string;
  /** `schedule`: events, programs and campaigns; `products`: products */
  listing: 'schedule' | 'products';
  kind?: CatalogKind;
  /** items that end at or after `from` */
  from?: string;
  /** items that start before `to` */
  to?: string;
  category?: string;
  campaignId?: string;
  /** drafts are listed only for operators */
  includeDrafts: boolean;
}

/** The fields of a catalog item an operator may change (route 10), one list for type and store. */
export const CATALOG_CHANGE_FIELDS = [
  'title',
  'description',
  'status',
  'category',
  'campaignId',
  'startsAt',
  'endsAt',
  'capacity',
  'itemIds',
  'priceCents',
] as const satisfies readonly (keyof CatalogItem)[];

/** The optional fields a change may clear, with `null`. */
export const CATALOG_CLEARABLE_FIELDS = ['description', 'category', 'campaignId'] as const;

type Clearable = (typeof CATALOG_CLEARABLE_FIELDS)[number];

export type CatalogChanges = Partial<
  Omit<Pick<CatalogItem, (typeof CATALOG_CHANGE_FIELDS)[number]>, Clearable> & {
    [K in Clearable]: CatalogItem[K] | null;
  }
>;

/** `item` with `changes` applied: a `null` removes the field, `undefined` leaves it. */
export function withChanges<T extends CatalogItem>(item: T, changes: CatalogChanges): T {
  const next: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  return next as T;
}

export interface CatalogStore {
  get(eventId: string): Promise<CatalogItem | undefined>;
  /** The items of these ids that exist, in no particular order (one round trip per 100 ids). */
  getMany(eventIds: readonly string[]): Promise<CatalogItem[]>;
  create(item: CatalogItem): Promise<CatalogItem>;
  /**
   * Applies the changes atomically. A new `capacity` below the current `booked` throws
   * CapacityBelowBooked (checked in the write's condition, not by a prior read); an unknown
   * id throws NotFound.
   */
  update(eventId: string, changes: CatalogChanges, updatedAt: string): Promise<CatalogItem>;
  list(query: CatalogQuery, page: PageRequest): Promise<Page<CatalogItem>>;
}

// ---------------------------------------------------------------------------------------------
// Pickup slots (pickup-slots table)

export interface SlotStore {
  get(slotId: string): Promise<PickupSlot | undefined>;
  /** Creates the slots that do not exist yet (a slot id is derived from venue and start); returns those created. */
  createMany(slots: PickupSlot[]): Promise<PickupSlot[]>;
  /** Slots of a venue with `from <= startsAt < to`, in start order. */
  listByVenue(
    venueId: string,
    range: { from: string; to: string },
    page: PageRequest,
  ): Promise<Page<PickupSlot>>;
  /**
   * Per slot of a venue with `from <= startsAt < to`, in start order: how many of its
   * reservations are still to check in (confirmed; not cancelled, not checked in). The worker's
   * ETAs foresee these check-ins as appointments.
   */
  awaitingCheckIns(venueId: string, range: { from: string; to: string }): Promise<SlotCheckIns[]>;
}

/** A slot's reservations still to check in. */
export interface SlotCheckIns {
  slotId: string;
  startsAt: string;
  endsAt: string;
  awaiting: number;
}

// ---------------------------------------------------------------------------------------------
// Reservations (reservations table, with the seat counters of events / pickup-slots)

/** Stored with the booking, in the same transaction: a replay of the key returns the reservation. */
export interface IdempotencyClaim {
  userId: string;
  key: string;
  /** hash of the request (route + target + body) */
  requestHash: string;
  /** ISO time after which the record counts as gone (TTL deletes lazily) */
  expiresAt: string;
}

export interface IdempotencyRecord {
  userId: string;
  key: string;
  requestHash: string;
  reservationId: string;
  expiresAt: string;
}

export interface BookingCommand {
  /** the new reservation, status `confirmed`, every field set */
  reservation: Reservation;
  /** the item must be `published` and end after `now` at the moment of the write */
  now: string;
  /** the user's cap of active reservations at the venue (RATE_LIMITED beyond it) */
  maxActiveReservations: number;
  /** BookingConfirmed, written to the outbox in the same transaction */
  event: VenueEvent;
  idempotency?: IdempotencyClaim;
}

export interface CheckInCommand {
  reservation: Reservation;
  now: string;
  /** CheckInCompleted, written to the outbox in the same transaction */
  event: VenueEvent;
  /** pickups: the queue ticket opened by the check-in, joined under the same rules as QueueStore.join */
  ticket?: JoinCommand;
}

/**
 * Thrown by `book` when the idempotency record already exists (a concurrent or earlier request
 * with the same key won). Not client-facing: the booking service re-reads the record and
 * answers the replay or IDEMPOTENCY_MISMATCH.
 */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('idempotency key already recorded');
    this.name = 'IdempotencyKeyTaken';
  }
}

export interface ReservationStore {
  /**
   * One transaction: the reservation put; the seat counter (`booked + n <= capacity`, status
   * published, `endsAt > now`) on the event or slot; the one-active-reservation-per-user-per-item
   * guard; the user's active-reservation counter; the outbox event; the idempotency record.
   * Throws NotFound, NotBookable, CapacityExceeded, AlreadyBooked, RateLimited or IdempotencyKeyTaken.
   */
  book(cmd: BookingCommand): Promise<Reservation>;
  get(reservationId: string): Promise<Reservation | undefined>;
  /** the user's reservations, newest first */
  listByUser(userId: string, page: PageRequest): Promise<Page<Reservation>>;
  findIdempotency(userId: string, key: string, now: string): Promise<IdempotencyRecord | undefined>;
  /** The reservations of an event or slot, in booking order (operators at the desk). */
  listByTarget(targetId: string, page: PageRequest): Promise<Page<Reservation>>;
  /**
   * The confirmed reservations of an event or slot (operators cancelling the event). Read
   * through an index, so a booking made a moment ago may be missing.
   */
  listConfirmedFor(targetId: string): Promise<Reservation[]>;
  /** confirmed → cancelled; gives the seats back and releases guard and counter, exactly once (else InvalidState). */
  cancel(reservation: Reservation, now: string): Promise<Reservation>;
  /** confirmed → checked_in, with its event and (pickups) its queue ticket, in one transaction. */
  checkIn(cmd: CheckInCommand): Promise<{ reservation: Reservation; ticket?: QueueTicket }>;
}

// ---------------------------------------------------------------------------------------------
// Queue (queue-state table)

export interface JoinCommand {
  /** the new ticket, status `waiting` */
  ticket: QueueTicket;
  /** waiting tickets allowed at the venue (QUEUE_FULL beyond) */
  maxLength: number;
  /** joins allowed per user and venue in one clock hour (RATE_LIMITED beyond) */
  maxJoinsPerHour: number;
}

export interface TicketTransition {
  to: 'called' | 'done' | 'left' | 'no_show';
  at: string;
  laneId?: string;
  outcome?: TicketOutcome;
  /** a served pickup completes its reservation and emits PickupCompleted, in the same transaction */
  completeReservation?: { reservationId: string; event: VenueEvent };
}

/** One planned ticket, written by the worker only if the ticket is still at `version`. */
export interface PlanAssignment {
  ticketId: string;
  version: number;
  laneId: string;
  position: number;
  etaAt: string;
  /**
   * The ticket's fairness deadline, fixed by its first plan and kept with the ticket, so that a
   * restarted worker (or another task) keeps it instead of computing a later one.
   */
  fairnessDeadlineAt?: string;
}

/**
 * The worker takes back a plan it can no longer make: the ticket's kind has no open lane (its
 * lane closed), so its lane, position and ETA are removed until a lane that serves it opens.
 */
export interface PlanClearing {
  ticketId: string;
  version: number;
  unplanned: true;
}

/** One conditional plan write: an assignment, or the clearing of a plan no longer possible. */
export type PlanWrite = PlanAssignment | PlanClearing;

/**
 * A ticket as stored, with the optimistic version that writers check and the worker's fairness
 * deadline. Neither is sent to clients.
 */
export type StoredTicket = QueueTicket & { version: number; fairnessDeadlineAt?: string };

/** What numbering a planned ticket needs of each ticket ahead of it in its lane. */
export type LanePlanEntry = Pick<
  StoredTicket,
  'ticketId' | 'status' | 'serviceKind' | 'accessibility' | 'laneId' | 'position' | 'joinedAt'
>;

export interface QueueStore {
  /**
   * One transaction: the ticket put; the one-active-ticket-per-user-per-venue guard
   * (ALREADY_QUEUED); the venue's waiting count below maxLength (QUEUE_FULL); the user's joins
   * this hour below the cap (RATE_LIMITED).
   */
  join(cmd: JoinCommand): Promise<StoredTicket>;
  get(ticketId: string): Promise<StoredTicket | undefined>;
  /**
   * A user's tickets at every venue, newest first (by joining time, then id): how a shopper
   * finds a ticket this device did not open (another device, an operator's check-in).
   */
  listByUser(userId: string, page: PageRequest): Promise<Page<StoredTicket>>;
  /** waiting and called tickets of a venue, oldest first (index query, no scan) */
  listActive(venueId: string): Promise<StoredTicket[]>;
  /**
   * Moves a ticket on if it is still at the version it was read at (else InvalidState); keeps
   * the venue's waiting count and the user's guard in step.
   */
  transition(ticket: StoredTicket, change: TicketTransition): Promise<StoredTicket>;
  /**
   * The waiting tickets planned on `ticket`'s lane at its position or ahead of it, `ticket`
   * among them, in no particular order: what its live position needs, without the venue's
   * whole queue. Read through an index, so possibly a moment old: the caller checks that
   * `ticket` is there at its position. Empty for a ticket without a plan.
   */
  lanePlanUpTo(ticket: Pick<StoredTicket, 'venueId' | 'laneId' | 'position'>): Promise<LanePlanEntry[]>;
  /**
   * The first `limit` tickets of a lane's plan (position, then id): where `call-next` looks
   * first. Read through the same index as `lanePlanUpTo`, so possibly a moment old: the caller
   * reads each ticket again before it acts on it.
   */
  lanePlanHead(venueId: string, laneId: string, limit: number): Promise<LanePlanEntry[]>;
  /**
   * Worker: writes a venue's plan where each ticket is still at its version; skips the others.
   */
  applyPlan(venueId: string, writes: PlanWrite[]): Promise<{ written: number; skipped: number }>;
  /**
   * Board (route 19): when a worker task last took or renewed the worker lease, that is, began
   * a planning cycle (ADR 0507); undefined if none ever has.
   */
  plannerSeenAt(): Promise<string | undefined>;
}

// ---------------------------------------------------------------------------------------------
// Events: transactional outbox (reservations table) and the bus

/** An event the bus refused, and its answer. */
export interface RefusedEvent {
  id: string;
  reason: string;
}

/**
 * Which worker task runs the cycles: one at a time holds the lease (ADR 0507). ECS starts a
 * second task during every rolling deployment, and a venue may run two for availability; two
 * planners at once would rewrite each other's plans (shoppers' positions flickering between
 * them) and repeat every sweep.
 */
export interface WorkerLeaseStore {
  /**
   * Takes the lease for `owner`, or renews it, until `untilMs` (epoch ms). False when another
   * owner holds a lease that has not ended at `nowMs`.
   */
  acquire(owner: string, nowMs: number, untilMs: number): Promise<boolean>;
  /** Ends the lease if `owner` holds it (a stopping task), so that a standby takes over at once. */
  release(owner: string): Promise<void>;
}

/** A mean of observed service minutes and how many services it stands for. */
export interface ObservedMean {
  mean: number;
  count: number;
}

/** What the worker learned of a venue's service times, per kind, at its two speeds (ADR 0413). */
export interface ObservedServiceTimes {
  recent: Record<string, ObservedMean>;
  steady: Record<string, ObservedMean>;
}

/**
 * The observed service times per venue, kept beyond the worker task that learned them, so that
 * the task that takes the worker lease next (a deployment, a crash) starts from them (ADR 0507).
 */
export interface ServiceTimeStore {
  /** The latest saved for the venue, or undefined (none, or older than a week). */
  load(venueId: string): Promise<ObservedServiceTimes | undefined>;
  save(venueId: string, times: ObservedServiceTimes, at: Date): Promise<void>;
}

export interface OutboxStore {
  /** events written by a transaction and not yet marked published and due, oldest first */
  listPending(olderThan: string, limit: number): Promise<VenueEvent[]>;
  markPublished(eventIds: string[], now: string): Promise<void>;
  /**
   * Events the bus refused: each is due again later (backing off), so that it no longer holds
   * up those behind it; one refused `OUTBOX_MAX_ATTEMPTS` times leaves the pending events for
   * the dead-lettered ones. Answers the ids dead-lettered now.
   */
  deferRefused(refused: RefusedEvent[], now: string): Promise<string[]>;
}

/** Refusals of one event before it is dead-lettered (backing off 30 s, 1, 2, 4 … 60 min: about 2 h). */
export const OUTBOX_MAX_ATTEMPTS = 8;

/** When a refused event is due again, after its `attempts`-th refusal. */
export function outboxRetryAt(now: string, attempts: number): string {
  const delayMs = Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
  return new Date(Date.parse(now) + delayMs).toISOString();
}

/** What an entry-by-entry publish did. */
export interface PublishOutcome {
  /** detail ids the bus accepted */
  accepted: string[];
  /** entries the bus answered with an error */
  refused: RefusedEvent[];
  /** set when the bus stopped answering part-way: the events after the last answer were not sent */
  unreachable?: unknown;
}

export interface EventPublisher {
  /** Publishes all or throws; the outbox keeps anything not confirmed. */
  publish(events: VenueEvent[], correlationId?: string): Promise<void>;
}

/** The outbox sweep (ADR 0311): one refused event must not hold up the others. */
export interface EventSweepPublisher {
  /** Publishes as far as the bus answers and says what became of each event; never throws. */
  publishEach(events: VenueEvent[]): Promise<PublishOutcome>;
}

// ---------------------------------------------------------------------------------------------
// Preferences and notifications (preferences table, SNS)

export interface PreferencesStore {
  get(userId: string): Promise<Preferences | undefined>;
  put(userId: string, preferences: Preferences, updatedAt: string): Promise<Preferences>;
}

export type NotificationChannel = 'email' | 'sms' | 'operator';

/**
 * At least once, and at most one message per event and channel short of a crash after the
 * publish (docs/decisions/0310-delivery-leases.md). A claim is a lease: the marker is written
 * `pending` until `leaseUntil`; `confirm` marks it `sent` after the publish, `release` drops it
 * after a failed publish. A `pending` marker whose lease ran out belongs to an attempt that
 * died, so the next claim takes it over.
 */
export interface DeliveryLedger {
  /**
   * True when this attempt now holds the lease and must publish; false when the message was
   * already sent. Throws `DeliveryInFlight` while another attempt holds a live lease. Markers
   * (sent or not) count as gone after `expiresAt`. Without `leaseUntil` the lease lasts until
   * `expiresAt`.
   */
  claim(
    eventId: string,
    channel: NotificationChannel,
    expiresAt: string,
    leaseUntil?: string,
  ): Promise<boolean>;
  /** the publish went out: the marker becomes `sent`, kept until `expiresAt` */
  confirm(eventId: string, channel: NotificationChannel, expiresAt: string): Promise<void>;
  /** undo a claim whose publish failed, so that the retry can deliver; never undoes a `sent` */
  release(eventId: string, channel: NotificationChannel): Promise<void>;
}

/**
 * Thrown by `DeliveryLedger.claim` while another attempt holds a live lease on the message: it
 * may be publishing right now, or it died and its lease has yet to run out. Dropping the
 * message would lose it in the second case, so the fan-out fails the event and is retried.
 */
export class DeliveryInFlight extends Error {
  constructor(
    readonly eventId: string,
    readonly channel: NotificationChannel,
    /** when the holder's lease runs out (ISO 8601), if known */
    readonly leaseUntil?: string,
  ) {
    super(`delivery ${channel} of ${eventId} is in flight${leaseUntil ? ` until ${leaseUntil}` : ''}`);
    this.name = 'DeliveryInFlight';
  }
}

export interface Notification {
  topic: 'shopper' | 'operator';
  eventType: string;
  venueId: string;
  channel: NotificationChannel;
  correlationId: string;
  /** JSON body: eventType, ids, venueId and the rendered text */
  body: Record<string, unknown>;
}

export interface Notifier {
  publish(notification: Notification): Promise<void>;
}
