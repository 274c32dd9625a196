/**
 * Pickup slots (pickup-slots table). A slot's id is derived from its venue and start, so
 * creating the same day twice creates nothing new; byVenueTime sorts by `{startsAt}#{slotId}`.
 */
import { GetCommand, PutCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type Page, type PageRequest, PICKUP_SLOT_FIELDS, type PickupSlot } from '../../domain/model.ts';
import type { SlotCheckIns, SlotStore } from '../../domain/ports.ts';
import { type Db, isConditionFailure, mapLimit, pick } from './db.ts';
import { slotKeys } from './keys.ts';
import { queryAll, queryPage } from './pagination.ts';

const FIELDS = PICKUP_SLOT_FIELDS;
const WRITE_CONCURRENCY = 8;

/**
 * The id of the slot of `venueId` starting at `startsAt`: URL-safe and stable, e.g.
 * `flagship-001-20261201T1500Z` (seconds appear only when not zero).
 */
export function slotIdFor(venueId: string, startsAt: string): string {
  const iso = new Date(startsAt).toISOString();
  const compact = iso.slice(0, 19).replace(/[-:]/g, '');
  const time = compact.endsWith('00') ? compact.slice(0, 13) : compact;
  return `${venueId}-${time}Z`;
}

export function toPickupSlot(stored: Record<string, unknown>): PickupSlot {
  const slot = pick<PickupSlot>(stored, FIELDS);
  slot.booked = slot.booked ?? 0;
  slot.remaining = Math.max(0, slot.capacity - slot.booked);
  return slot;
}

function toSlotCheckIns(stored: Record<string, unknown>): SlotCheckIns {
  return {
    slotId: String(stored.slotId),
    startsAt: String(stored.startsAt),
    endsAt: String(stored.endsAt),
    // slots from before the counter lack it; a cancel of such a booking can leave it at -1
    awaiting: Math.max(0, Number(stored.awaiting ?? 0)),
  };
}

export class DynamoSlotStore implements SlotStore {
  constructor(private readonly db: Db) {}

  async get(slotId: string): Promise<PickupSlot | undefined> {
    const out = await this.db.run(() =>
      this.db.doc.send(
        new GetCommand({
          TableName: this.db.tables.pickupSlots,
          Key: slotKeys.slot(slotId),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item && toPickupSlot(out.Item);
  }

  async createMany(slots: PickupSlot[]): Promise<PickupSlot[]> {
    const created = await mapLimit(slots, WRITE_CONCURRENCY, async (input) => {
      const slotId = slotIdFor(input.venueId, input.startsAt);
      const slot: PickupSlot = { ...input, slotId, booked: 0, remaining: input.capacity };
      const item = {
        ...slotKeys.slot(slotId),
        ...pick<PickupSlot>(slot as unknown as Record<string, unknown>, FIELDS),
        gsi1pk: slot.venueId,
        gsi1sk: `${slot.startsAt}#${slotId}`,
        version: 1,
      };
      try {
        await this.db.run(() =>
          this.db.doc.send(
            new PutCommand({
              TableName: this.db.tables.pickupSlots,
              Item: item,
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        );
        return slot;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    });
    return created
      .filter((slot): slot is PickupSlot => slot !== undefined)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  }

  async listByVenue(
    venueId: string,
    range: { from: string; to: string },
    page: PageRequest,
  ): Promise<Page<PickupSlot>> {
    if (range.from >= range.to) return { items: [] };
    return queryPage(
      this.db,
      {
        input: this.byVenueTime(venueId, range),
        scope: {
          index: 'byVenueTime',
          partition: venueId,
          sort: { name: 'gsi1sk', atLeast: range.from, atMost: range.to },
        },
        keyNames: ['gsi1pk', 'gsi1sk', 'pk', 'sk'],
        partitionName: 'gsi1pk',
        map: toPickupSlot,
      },
      page,
    );
  }

  async awaitingCheckIns(venueId: string, range: { from: string; to: string }): Promise<SlotCheckIns[]> {
    if (range.from >= range.to) return [];
    return (await queryAll(this.db, this.byVenueTime(venueId, range))).map(toSlotCheckIns);
  }

  /** The venue's slots with `from <= startsAt < to`, in start order. */
  private byVenueTime(venueId: string, range: { from: string; to: string }): QueryCommandInput {
    return {
      TableName: this.db.tables.pickupSlots,
      IndexName: 'byVenueTime',
      // sk = `{startsAt}#{slotId}`: `sk >= from` ⇔ `startsAt >= from`, and as `#` sorts after
      // the time, no sk equals `to` exactly, so BETWEEN gives `startsAt < to`.
      KeyConditionExpression: 'gsi1pk = :venueId AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':venueId': venueId, ':from': range.from, ':to': range.to },
    };
  }
}
