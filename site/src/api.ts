/**
 * The venue API client: one method per route of DESIGN.md §3 that the site uses. Errors come
 * back as `ApiError` with the contract's code; any 401 (the Lambda's UNAUTHENTICATED or API
 * Gateway's own `{"message":"Unauthorized"}`) calls `onUnauthorized` so the app can sign in again.
 */
import type {
  CatalogItem,
  Page,
  PickupSlot,
  Preferences,
  QueueTicket,
  Reservation,
} from '../../src/domain/model.ts';
import type { VenueProfile } from '../../src/services/venue-profile.ts';

/** What GET /me/preferences answers while the shopper has saved nothing. */
export { DEFAULT_PREFERENCES } from '../../src/domain/model.ts';
export type { CatalogItem, Page, PickupSlot, Preferences, QueueTicket, Reservation, VenueProfile };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path?: string; message?: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The operator board as the API returns it; lanes and stats are read defensively. */
export interface QueueBoard {
  lanes?: BoardLane[];
  waiting?: QueueTicket[];
  called?: QueueTicket[];
  stats?: Record<string, unknown>;
  /** whether the queue worker plans (running within the last minute), and when it last did */
  planner?: { running?: boolean; seenAt?: string };
}

export interface BoardLane {
  laneId: string;
  serviceKinds?: string[];
  accessible?: boolean;
  open?: boolean;
  /** a closed lane's announced return */
  reopensAt?: string;
  tickets?: QueueTicket[];
  planned?: QueueTicket[];
  called?: QueueTicket[];
}

export type CatalogInput = Partial<Omit<CatalogItem, 'eventId' | 'venueId' | 'booked' | 'remaining'>>;

/** The optional fields a PATCH clears with `null`. */
export const CLEARABLE = ['description', 'category', 'campaignId'] as const;

/** A PATCH body: changed fields, and `null` for an optional one emptied. */
export type CatalogPatch = Omit<CatalogInput, (typeof CLEARABLE)[number]> & {
  [K in (typeof CLEARABLE)[number]]?: string | null;
};

type Query = Record<string, string | number | undefined>;

export interface ApiOptions {
  baseUrl: string;
  token: () => string | undefined;
  onUnauthorized: () => void;
}

export class VenueApi {
  constructor(private readonly options: ApiOptions) {}

  private async request<T>(
    method: string,
    path: string,
    init: { query?: Query; body?: unknown; idempotencyKey?: string } = {},
  ): Promise<T | undefined> {
    const query = Object.entries(init.query ?? {}).filter(([, v]) => v !== undefined && v !== '');
    const search = query.length > 0 ? `?${new URLSearchParams(query.map(([k, v]) => [k, String(v)]))}` : '';
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}${path}${search}`, {
        method,
        headers,
        body: init.body === undefined ? null : JSON.stringify(init.body),
      });
    } catch {
      throw new ApiError(0, 'NETWORK', 'network error');
    }
    if (response.status === 204) return undefined;
    const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return payload as T;
    if (response.status === 401) this.options.onUnauthorized();
    const error = (payload.error ?? {}) as { code?: string; message?: string; details?: [] };
    throw new ApiError(
      response.status,
      error.code ?? (response.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL'),
      error.message ?? String(payload.message ?? response.statusText),
      error.details ?? [],
    );
  }

  private async must<T>(promise: Promise<T | undefined>): Promise<T> {
    const value = await promise;
    if (value === undefined) throw new ApiError(204, 'NO_CONTENT', 'empty response');
    return value;
  }

  health(): Promise<{ status: string; configVersion?: string }> {
    return this.must(this.request('GET', '/health'));
  }

  /** A venue's public profile: the shopper-visible part of its rules (ADR 0417). */
  async venueProfile(venueId: string): Promise<VenueProfile> {
    return (await this.must(this.request<{ venue: VenueProfile }>('GET', `/venues/${enc(venueId)}`))).venue;
  }

  listSchedule(venueId: string, query: Query): Promise<Page<CatalogItem>> {
    return this.must(this.request('GET', `/venues/${enc(venueId)}/events`, { query }));
  }

  listProducts(venueId: string, query: Query): Promise<Page<CatalogItem>> {
    return this.must(this.request('GET', `/venues/${enc(venueId)}/products`, { query }));
  }

  async getItem(eventId: string): Promise<CatalogItem> {
    return (await this.must(this.request<{ event: CatalogItem }>('GET', `/events/${enc(eventId)}`))).event;
  }

  listSlots(venueId: string, date: string, query: Query = {}): Promise<Page<PickupSlot>> {
    return this.must(
      this.request('GET', `/venues/${enc(venueId)}/pickup-slots`, { query: { date, ...query } }),
    );
  }

  async bookEvent(eventId: string, partySize: number, idempotencyKey: string): Promise<Reservation> {
    const path = `/events/${enc(eventId)}/reservations`;
    const result = this.request<{ reservation: Reservation }>('POST', path, {
      body: { partySize },
      idempotencyKey,
    });
    return (await this.must(result)).reservation;
  }

  /** A pickup slot's reservations, in booking order (operators; ADR 0416). */
  slotReservations(slotId: string, query: Query = {}): Promise<Page<Reservation>> {
    return this.must(this.request('GET', `/pickup-slots/${enc(slotId)}/reservations`, { query }));
  }

  myReservations(query: Query = {}): Promise<Page<Reservation>> {
    return this.must(this.request('GET', '/me/reservations', { query }));
  }

  async cancelReservation(reservationId: string): Promise<Reservation> {
    const path = `/reservations/${enc(reservationId)}`;
    return (await this.must(this.request<{ reservation: Reservation }>('DELETE', path))).reservation;
  }

  async bookPickup(
    slotId: string,
    body: { orderRef: string; partySize?: number },
    idempotencyKey: string,
  ): Promise<Reservation> {
    const path = `/pickup-slots/${enc(slotId)}/bookings`;
    const result = this.request<{ reservation: Reservation }>('POST', path, { body, idempotencyKey });
    return (await this.must(result)).reservation;
  }

  checkIn(reservationId: string): Promise<{ reservation: Reservation; ticket?: QueueTicket }> {
    return this.must(this.request('POST', `/reservations/${enc(reservationId)}/check-in`));
  }

  async joinQueue(
    venueId: string,
    body: { serviceKind: string; partySize: number; accessibility: boolean },
  ): Promise<QueueTicket> {
    const path = `/venues/${enc(venueId)}/queue/tickets`;
    return (await this.must(this.request<{ ticket: QueueTicket }>('POST', path, { body }))).ticket;
  }

  async getTicket(ticketId: string): Promise<QueueTicket> {
    const path = `/queue/tickets/${enc(ticketId)}`;
    return (await this.must(this.request<{ ticket: QueueTicket }>('GET', path))).ticket;
  }

  /** The caller's tickets at every venue, newest first (ADR 0415). */
  myTickets(query: Query = {}): Promise<Page<QueueTicket>> {
    return this.must(this.request('GET', '/me/queue/tickets', { query }));
  }

  async leaveQueue(ticketId: string): Promise<QueueTicket> {
    const path = `/queue/tickets/${enc(ticketId)}`;
    return (await this.must(this.request<{ ticket: QueueTicket }>('DELETE', path))).ticket;
  }

  async getPreferences(): Promise<Preferences> {
    return (await this.must(this.request<{ preferences: Preferences }>('GET', '/me/preferences')))
      .preferences;
  }

  async putPreferences(preferences: Preferences): Promise<Preferences> {
    const result = this.request<{ preferences: Preferences }>('PUT', '/me/preferences', {
      body: preferences,
    });
    return (await this.must(result)).preferences;
  }

  async createItem(venueId: string, input: CatalogInput): Promise<CatalogItem> {
    const path = `/venues/${enc(venueId)}/events`;
    return (await this.must(this.request<{ event: CatalogItem }>('POST', path, { body: input }))).event;
  }

  async patchItem(eventId: string, changes: CatalogPatch): Promise<CatalogItem> {
    const path = `/events/${enc(eventId)}`;
    return (await this.must(this.request<{ event: CatalogItem }>('PATCH', path, { body: changes }))).event;
  }

  createSlots(
    venueId: string,
    body: { date: string; from: string; to: string; slotMinutes: number; capacity: number },
  ): Promise<{ items: PickupSlot[] }> {
    return this.must(this.request('POST', `/venues/${enc(venueId)}/pickup-slots`, { body }));
  }

  queueBoard(venueId: string): Promise<QueueBoard> {
    return this.must(this.request('GET', `/venues/${enc(venueId)}/queue`));
  }

  /** The called ticket, or undefined (204) when nobody is planned for the lane. */
  async callNext(venueId: string, laneId: string): Promise<QueueTicket | undefined> {
    const path = `/venues/${enc(venueId)}/lanes/${enc(laneId)}/call-next`;
    return (await this.request<{ ticket: QueueTicket }>('POST', path))?.ticket;
  }

  async completeTicket(ticketId: string, outcome: 'served' | 'no_show'): Promise<QueueTicket> {
    const path = `/queue/tickets/${enc(ticketId)}/complete`;
    return (await this.must(this.request<{ ticket: QueueTicket }>('POST', path, { body: { outcome } })))
      .ticket;
  }

  /** Local hub only: the whole live venue rules document (the operators' rules screen). */
  localRules(): Promise<unknown> {
    return this.must(this.request('GET', '/local/appconfig'));
  }

  /** Local hub only: a Cognito-shaped access token for a demo user. */
  async localToken(username: string, groups: string[]): Promise<string> {
    const result = this.request<{ access_token: string }>('POST', '/local/cognito/token', {
      body: { username, groups },
    });
    return (await this.must(result)).access_token;
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
