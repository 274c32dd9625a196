/**
 * Catalog use cases (routes 2, 3, 4, 16, 17): events, programs, campaigns and products.
 * Drafts are visible to operators only; campaigns follow the `campaigns` feature flag; cancelling
 * an event or program cancels its confirmed reservations.
 */
import {
  type ErrorDetail,
  FeatureDisabled,
  InvalidState,
  NotFound,
  ValidationFailed,
} from '../domain/errors.ts';
import type { Caller, CatalogItem, CatalogKind, CatalogStatus, Page, PageRequest } from '../domain/model.ts';
import { type CatalogChanges, withChanges } from '../domain/ports.ts';
import { newId, requireFeature, type ServiceDeps, venueRules } from './context.ts';

export interface CatalogFilters {
  kind?: CatalogKind;
  from?: string;
  to?: string;
  category?: string;
  campaignId?: string;
}

export interface NewCatalogItem {
  kind: CatalogKind;
  title: string;
  description?: string;
  status?: Exclude<CatalogStatus, 'cancelled'>;
  category?: string;
  campaignId?: string;
  startsAt?: string;
  endsAt?: string;
  capacity?: number;
  itemIds?: string[];
  priceCents?: number;
}

/** Reservations cancelled at once when their event is (each is its own small transaction). */
const RELEASE_BATCH = 10;

const TIMED: ReadonlySet<CatalogKind> = new Set(['event', 'program', 'campaign']);
const SEATED: ReadonlySet<CatalogKind> = new Set(['event', 'program']);

/** Which fields each kind must have, and which it may not carry. */
function kindProblems(item: Omit<NewCatalogItem, 'status'>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const need = (field: 'startsAt' | 'endsAt' | 'capacity' | 'priceCents', when: boolean) => {
    if (when && item[field] === undefined)
      problems.push({ path: field, message: `required for a ${item.kind}` });
    if (!when && item[field] !== undefined)
      problems.push({ path: field, message: `not allowed for a ${item.kind}` });
  };
  need('startsAt', TIMED.has(item.kind));
  need('endsAt', TIMED.has(item.kind));
  need('capacity', SEATED.has(item.kind));
  need('priceCents', item.kind === 'product');
  if (item.itemIds !== undefined && item.kind !== 'campaign') {
    problems.push({ path: 'itemIds', message: `not allowed for a ${item.kind}` });
  }
  if (item.startsAt !== undefined && item.endsAt !== undefined && item.endsAt <= item.startsAt) {
    problems.push({ path: 'endsAt', message: 'must be after startsAt' });
  }
  return problems;
}

export class CatalogService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Route 2: the venue's events, programs and campaigns. */
  async listSchedule(
    caller: Caller | undefined,
    venueId: string,
    filters: CatalogFilters,
    page: PageRequest,
  ) {
    const campaigns = (await venueRules(this.deps, venueId)).features.campaigns;
    if (!campaigns && (filters.kind === 'campaign' || filters.campaignId !== undefined)) {
      throw new FeatureDisabled('campaigns');
    }
    if (filters.kind === 'product') throw ValidationFailed.at('kind', 'products are listed under /products');
    const result = await this.deps.stores.catalog.list(
      { venueId, listing: 'schedule', ...filters, includeDrafts: caller?.isOperator === true },
      page,
    );
    return campaigns ? result : { ...result, items: result.items.filter((i) => i.kind !== 'campaign') };
  }

  /** Route 3: the venue's products. */
  async listProducts(
    caller: Caller | undefined,
    venueId: string,
    filters: Pick<CatalogFilters, 'category' | 'campaignId'>,
    page: PageRequest,
  ): Promise<Page<CatalogItem>> {
    const { features } = await venueRules(this.deps, venueId);
    if (filters.campaignId !== undefined && !features.campaigns) throw new FeatureDisabled('campaigns');
    return this.deps.stores.catalog.list(
      { venueId, listing: 'products', ...filters, includeDrafts: caller?.isOperator === true },
      page,
    );
  }

  /** Route 4: one item of any kind; a draft is a 404 for anyone but operators. */
  async get(caller: Caller | undefined, eventId: string): Promise<CatalogItem> {
    const item = await this.deps.stores.catalog.get(eventId);
    if (!item || (item.status === 'draft' && caller?.isOperator !== true)) throw new NotFound('Event');
    if (item.kind === 'campaign') await requireFeature(this.deps, 'campaigns');
    return item;
  }

  /**
   * What a change links to must exist at the venue: `campaignId` a campaign (not the item
   * itself), `itemIds` items that are not campaigns, each once. With the campaigns feature
   * off, nothing may be linked at all.
   */
  private async linkProblems(
    venueId: string,
    links: Pick<NewCatalogItem, 'campaignId' | 'itemIds'>,
    campaignsOn: boolean,
    selfId?: string,
  ): Promise<ErrorDetail[]> {
    if (links.campaignId === undefined && links.itemIds === undefined) return [];
    if (!campaignsOn) throw new FeatureDisabled('campaigns');
    const problems: ErrorDetail[] = [];
    // everything linked, read in one batch; an item of another venue counts as missing
    const wanted = [...(links.campaignId === undefined ? [] : [links.campaignId]), ...(links.itemIds ?? [])];
    const found = await this.deps.stores.catalog.getMany(wanted);
    const here = new Map(found.filter((i) => i.venueId === venueId).map((i) => [i.eventId, i]));
    if (links.campaignId !== undefined && links.campaignId === selfId) {
      problems.push({ path: 'campaignId', message: 'a campaign cannot be part of itself' });
    } else if (links.campaignId !== undefined && here.get(links.campaignId)?.kind !== 'campaign') {
      problems.push({ path: 'campaignId', message: 'no campaign with this id at this venue' });
    }
    (links.itemIds ?? []).forEach((id, i) => {
      const item = here.get(id);
      if (item === undefined || item.kind === 'campaign')
        problems.push({
          path: `itemIds[${i}]`,
          message: 'no event, program or product with this id at this venue',
        });
      else if (links.itemIds?.indexOf(id) !== i)
        problems.push({ path: `itemIds[${i}]`, message: 'is listed more than once' });
    });
    return problems;
  }

  /** Route 16: operators create an item of any kind (published unless they ask for a draft). */
  async create(venueId: string, input: NewCatalogItem): Promise<CatalogItem> {
    const { features } = await venueRules(this.deps, venueId);
    if (input.kind === 'campaign' && !features.campaigns) throw new FeatureDisabled('campaigns');
    const problems = kindProblems(input);
    if (problems.length > 0) throw new ValidationFailed(problems);
    const links = await this.linkProblems(venueId, input, features.campaigns);
    if (links.length > 0) throw new ValidationFailed(links);
    const now = this.deps.clock.now().toISOString();
    const { status, ...fields } = input;
    const item: CatalogItem = {
      ...fields,
      eventId: newId(this.deps),
      venueId,
      status: status ?? 'published',
      ...(SEATED.has(input.kind) ? { booked: 0 } : {}),
      createdAt: now,
      updatedAt: now,
    };
    return this.deps.stores.catalog.create(item);
  }

  /** Route 17: operators change capacity (never below booked), status, texts, times, campaign. */
  async patch(eventId: string, changes: CatalogChanges): Promise<CatalogItem> {
    const item = await this.deps.stores.catalog.get(eventId);
    if (!item) throw new NotFound('Event');
    if (item.status === 'cancelled' && changes.status !== undefined && changes.status !== 'cancelled') {
      throw new InvalidState('A cancelled item cannot be reopened; create a new one.');
    }
    const problems = kindProblems(withChanges(item, changes)).filter(
      (p) => Object.hasOwn(changes, p.path) || p.path === 'endsAt',
    );
    if (problems.length > 0) throw new ValidationFailed(problems);
    // a link set (not cleared) must lead somewhere; clearing one is always allowed
    const links = {
      ...(typeof changes.campaignId === 'string' ? { campaignId: changes.campaignId } : {}),
      ...(changes.itemIds !== undefined ? { itemIds: changes.itemIds } : {}),
    };
    if (item.kind === 'campaign' || Object.keys(links).length > 0) {
      const { features } = await venueRules(this.deps, item.venueId);
      if (item.kind === 'campaign' && !features.campaigns) throw new FeatureDisabled('campaigns');
      const linkProblems = await this.linkProblems(item.venueId, links, features.campaigns, eventId);
      if (linkProblems.length > 0) throw new ValidationFailed(linkProblems);
    }
    const updated = await this.deps.stores.catalog.update(
      eventId,
      changes,
      this.deps.clock.now().toISOString(),
    );
    if (changes.status === 'cancelled' && SEATED.has(updated.kind)) await this.releaseBookings(updated);
    return updated;
  }

  /**
   * A cancelled event or program lets its bookings go: each confirmed reservation is cancelled
   * as its owner would cancel it (seats, guard and the user's active count released exactly
   * once). One that another writer moved meanwhile (checked in, cancelled) stays as it is. The
   * index may miss a booking made a moment before the cancellation; check-in refuses it, and
   * cancelling the item again sweeps once more.
   */
  private async releaseBookings(item: CatalogItem): Promise<void> {
    const confirmed = await this.deps.stores.reservations.listConfirmedFor(item.eventId);
    const now = this.deps.clock.now().toISOString();
    for (let i = 0; i < confirmed.length; i += RELEASE_BATCH) {
      await Promise.all(
        confirmed.slice(i, i + RELEASE_BATCH).map((reservation) =>
          this.deps.stores.reservations.cancel(reservation, now).catch((error: unknown) => {
            if (!(error instanceof InvalidState)) throw error;
          }),
        ),
      );
    }
  }
}
