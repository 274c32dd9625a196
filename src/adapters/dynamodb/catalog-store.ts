/**
 * The catalog (events table): events, programs, campaigns and products.
 *
 * Index keys: byVenueListing `{venueId}#{schedule|products}`, byVenueKind `{venueId}#{kind}`,
 * byCampaign `{campaignId}`; all three sort by the item's order key — `{startsAt}#{eventId}`
 * for the schedule (so `startsAt < to` is a key condition), `{title}#{eventId}` for products.
 */
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CapacityBelowBooked, InvalidState, NotFound, ServiceUnavailable } from '../../domain/errors.ts';
import { CATALOG_ITEM_FIELDS, type CatalogItem, type Page, type PageRequest } from '../../domain/model.ts';
import {
  CATALOG_CHANGE_FIELDS,
  type CatalogChanges,
  type CatalogQuery,
  type CatalogStore,
  withChanges,
} from '../../domain/ports.ts';
import { type Db, isConditionFailure, pick, plainItem } from './db.ts';
import { versionedUpdate } from './expressions.ts';
import { catalogKeys } from './keys.ts';
import { queryPage, type SortBounds } from './pagination.ts';

const FIELDS = CATALOG_ITEM_FIELDS;

/** what `update` may change: never keys, counters or versions, whatever the caller passes */
const CHANGE_FIELDS = new Set<string>(CATALOG_CHANGE_FIELDS);

const SCHEDULE_KINDS = ['event', 'program', 'campaign'];
/** BatchGetItem's limit of keys per request */
const BATCH_GET_KEYS = 100;
/** requests for keys DynamoDB left unprocessed before answering 503 */
const BATCH_GET_ATTEMPTS = 5;
/** concurrent edits retried before giving up with InvalidState */
const UPDATE_ATTEMPTS = 4;

/** Stored item → the API shape, with `remaining` computed. */
export function toCatalogItem(stored: Record<string, unknown>): CatalogItem {
  const item = pick<CatalogItem>(stored, FIELDS);
  if (typeof item.capacity === 'number') {
    item.booked = item.booked ?? 0;
    item.remaining = Math.max(0, item.capacity - item.booked);
  }
  return item;
}

function listingOf(item: CatalogItem): 'schedule' | 'products' {
  return item.kind === 'product' ? 'products' : 'schedule';
}

function orderKey(item: CatalogItem): string {
  const base = item.kind === 'product' ? item.title.toLowerCase() : (item.startsAt ?? '');
  return `${base}#${item.eventId}`;
}

/** The index attributes an item must carry, given its current fields. */
function indexAttributes(item: CatalogItem): Record<string, string | undefined> {
  const sort = orderKey(item);
  return {
    gsi1pk: catalogKeys.listing(item.venueId, listingOf(item)),
    gsi1sk: sort,
    gsi2pk: catalogKeys.kind(item.venueId, item.kind),
    gsi2sk: sort,
    // key attributes may not be empty strings: no campaign, no byCampaign entry
    gsi3pk: item.campaignId ? item.campaignId : undefined,
    gsi3sk: item.campaignId ? sort : undefined,
  };
}

export class DynamoCatalogStore implements CatalogStore {
  constructor(private readonly db: Db) {}

  private get table(): string {
    return this.db.tables.events;
  }

  private async read(eventId: string): Promise<Record<string, unknown> | undefined> {
    const out = await this.db.run(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.table, Key: catalogKeys.item(eventId), ConsistentRead: true }),
      ),
    );
    return out.Item;
  }

  async get(eventId: string): Promise<CatalogItem | undefined> {
    const stored = await this.read(eventId);
    return stored && toCatalogItem(stored);
  }

  async getMany(eventIds: readonly string[]): Promise<CatalogItem[]> {
    const table = this.db.tables.events;
    const found: CatalogItem[] = [];
    const ids = [...new Set(eventIds)];
    for (let i = 0; i < ids.length; i += BATCH_GET_KEYS) {
      let pending: Record<string, unknown>[] = ids.slice(i, i + BATCH_GET_KEYS).map(catalogKeys.item);
      // DynamoDB may leave keys unprocessed under load: ask again for those, a few times
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > BATCH_GET_ATTEMPTS) throw new ServiceUnavailable();
        if (attempt > 1) await new Promise((done) => setTimeout(done, 50 * 2 ** attempt));
        const keys = pending;
        const out = await this.db.run(() =>
          this.db.doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } })),
        );
        found.push(...(out.Responses?.[table] ?? []).map(toCatalogItem));
        pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
      }
    }
    return found;
  }

  async create(item: CatalogItem): Promise<CatalogItem> {
    const fields = pick<CatalogItem>(item as unknown as Record<string, unknown>, FIELDS);
    if (typeof fields.capacity === 'number') fields.booked = fields.booked ?? 0;
    const stored = { ...catalogKeys.item(item.eventId), ...fields, ...indexAttributes(fields), version: 1 };
    try {
      await this.db.run(() =>
        this.db.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: stored,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new InvalidState('A catalog item with this id already exists.');
      throw error;
    }
    return toCatalogItem(stored);
  }

  /**
   * Read, then write under `version = :v`: the new index keys depend on fields the change may
   * not name (kind, title, startsAt). Bookings do not bump `version` (they only move `booked`),
   * so they never force a retry here; the capacity guard sits in the write's condition.
   */
  async update(eventId: string, changes: CatalogChanges, updatedAt: string): Promise<CatalogItem> {
    for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
      const stored = await this.read(eventId);
      if (!stored) throw new NotFound('Catalog item');
      const current = toCatalogItem(stored);
      const allowed = Object.entries(changes).filter(([k, v]) => v !== undefined && CHANGE_FIELDS.has(k));
      const defined = Object.fromEntries(allowed.filter(([, v]) => v !== null));
      const cleared = allowed.filter(([, v]) => v === null).map(([k]) => k);
      const next: CatalogItem = { ...withChanges(current, changes), updatedAt };
      const sets: Record<string, unknown> = { ...defined, updatedAt };
      const removes: string[] = [...cleared];
      for (const [name, value] of Object.entries(indexAttributes(next))) {
        if (value === undefined) removes.push(name);
        else sets[name] = value;
      }
      const capacityGuard =
        changes.capacity === undefined
          ? undefined
          : {
              condition: 'attribute_not_exists(#booked) OR #booked <= :capacity',
              names: { '#booked': 'booked' },
              values: { ':capacity': changes.capacity },
            };
      if (capacityGuard && stored.booked === undefined) sets.booked = 0;
      try {
        const out = await this.db.run(() =>
          this.db.doc.send(
            new UpdateCommand({
              TableName: this.table,
              Key: catalogKeys.item(eventId),
              ...versionedUpdate(sets, removes, stored.version, capacityGuard),
              ReturnValues: 'ALL_NEW',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        return toCatalogItem(out.Attributes ?? {});
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // ALL_OLD tells why: the item is gone, another edit won (retry on the new version), or
        // the version held and so the capacity guard failed.
        const old = plainItem(error.Item);
        if (!old) throw new NotFound('Catalog item');
        if (old.version === stored.version) throw new CapacityBelowBooked();
      }
    }
    throw new InvalidState('The item changed concurrently; please retry.');
  }

  async list(query: CatalogQuery, page: PageRequest): Promise<Page<CatalogItem>> {
    const kinds = query.listing === 'products' ? ['product'] : SCHEDULE_KINDS;
    if (query.kind !== undefined && !kinds.includes(query.kind)) return { items: [] };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const filters: string[] = [];
    let index: string;
    let pkName: string;
    let skName: string;
    let partition: string;
    if (query.campaignId !== undefined) {
      [index, pkName, skName, partition] = ['byCampaign', 'gsi3pk', 'gsi3sk', query.campaignId];
      names['#venueId'] = 'venueId';
      values[':venueId'] = query.venueId;
      filters.push('#venueId = :venueId');
      const wanted = query.kind !== undefined ? [query.kind] : kinds;
      names['#kind'] = 'kind';
      const placeholders = wanted.map((kind, i) => {
        values[`:kind${i}`] = kind;
        return `:kind${i}`;
      });
      filters.push(`#kind IN (${placeholders.join(', ')})`);
    } else if (query.kind !== undefined) {
      [index, pkName, skName, partition] = [
        'byVenueKind',
        'gsi2pk',
        'gsi2sk',
        catalogKeys.kind(query.venueId, query.kind),
      ];
    } else {
      [index, pkName, skName, partition] = [
        'byVenueListing',
        'gsi1pk',
        'gsi1sk',
        catalogKeys.listing(query.venueId, query.listing),
      ];
    }
    names['#pk'] = pkName;
    values[':partition'] = partition;
    let keyCondition = '#pk = :partition';
    let sort: SortBounds | undefined;
    if (query.listing === 'schedule' && query.to !== undefined) {
      values[':to'] = query.to;
      if (query.campaignId === undefined) {
        // the sort key starts with startsAt: `startsAt < to` ⇔ `sk < to` (`#` sorts after the time)
        names['#sk'] = skName;
        keyCondition += ' AND #sk < :to';
        sort = { name: skName, below: query.to };
      } else {
        names['#startsAt'] = 'startsAt';
        filters.push('#startsAt < :to');
      }
    }
    if (query.listing === 'schedule' && query.from !== undefined) {
      names['#endsAt'] = 'endsAt';
      values[':from'] = query.from;
      filters.push('#endsAt >= :from');
    }
    if (query.category !== undefined) {
      names['#category'] = 'category';
      values[':category'] = query.category;
      filters.push('#category = :category');
    }
    if (!query.includeDrafts) {
      names['#status'] = 'status';
      values[':draft'] = 'draft';
      filters.push('#status <> :draft');
    }
    return queryPage(
      this.db,
      {
        input: {
          TableName: this.table,
          IndexName: index,
          KeyConditionExpression: keyCondition,
          FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
        scope: { index, partition, ...(sort ? { sort } : {}) },
        keyNames: [pkName, skName, 'pk', 'sk'],
        partitionName: pkName,
        map: toCatalogItem,
      },
      page,
    );
  }
}
