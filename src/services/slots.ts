/**
 * Pickup slots (routes 5, 18). A day of slots is generated in the venue's time zone: the
 * local `from` and `to` become instants and slots step through the real elapsed time between
 * them, so a daylight-saving day has one hour fewer (March) or more (November) of slots.
 */
import { ValidationFailed } from '../domain/errors.ts';
import type { Page, PageRequest, PickupSlot } from '../domain/model.ts';
import { type ServiceDeps, venueRules } from './context.ts';
import { addDays, hoursOn, localToInstant, minutesOf } from './venue-time.ts';

export interface SlotDayRequest {
  date: string;
  from: string;
  to: string;
  slotMinutes: number;
  capacity: number;
}

/**
 * The last venue day whose slots end inside year 9999 in every time zone: a later instant has
 * no `YYYY-…` ISO form (it reads `+010000-…`), so it would neither sort nor be listed.
 */
export const LAST_SLOT_DATE = '9999-12-30';

function checkSlotDate(date: string): void {
  if (date > LAST_SLOT_DATE) throw ValidationFailed.at('date', `must be ${LAST_SLOT_DATE} or earlier`);
}

/** More slots than this in one request is a mistake, not a plan. */
export const MAX_SLOTS_PER_REQUEST = 288;

/** A slot's id follows from venue and start, so generating a day twice creates nothing new. */
export function slotIdOf(venueId: string, startsAt: Date): string {
  return `${venueId}-${startsAt.toISOString().replace(/[-:]/g, '').slice(0, 13)}Z`;
}

/** The slots of one local day, pure: validated against hours and closed dates. */
export function planSlotDay(
  venueId: string,
  timezone: string,
  hours: [string, string] | undefined,
  req: SlotDayRequest,
): PickupSlot[] {
  if (!hours) throw ValidationFailed.at('date', 'the venue is closed on this date');
  if (minutesOf(req.to) <= minutesOf(req.from)) throw ValidationFailed.at('to', 'must be after from');
  if (minutesOf(req.from) < minutesOf(hours[0]) || minutesOf(req.to) > minutesOf(hours[1])) {
    throw ValidationFailed.at('from', `slots must lie within opening hours ${hours[0]}–${hours[1]}`);
  }
  const start = localToInstant(req.date, req.from, timezone).getTime();
  const end = localToInstant(req.date, req.to, timezone).getTime();
  const step = req.slotMinutes * 60_000;
  const count = Math.floor((end - start) / step);
  if (count < 1) throw ValidationFailed.at('slotMinutes', 'no whole slot fits between from and to');
  if (count > MAX_SLOTS_PER_REQUEST) {
    throw ValidationFailed.at('slotMinutes', `at most ${MAX_SLOTS_PER_REQUEST} slots per request`);
  }
  return Array.from({ length: count }, (_, i) => {
    const startsAt = new Date(start + i * step);
    return {
      slotId: slotIdOf(venueId, startsAt),
      venueId,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(start + (i + 1) * step).toISOString(),
      capacity: req.capacity,
      booked: 0,
      remaining: req.capacity,
    };
  });
}

export class SlotService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Route 18: creates the day's slots that do not exist yet and have not ended (a slot that is
   * over could never be booked); answers those created. A day that is over altogether is a 400.
   */
  async generate(venueId: string, req: SlotDayRequest): Promise<PickupSlot[]> {
    const { venue } = await venueRules(this.deps, venueId, 'pickup');
    checkSlotDate(req.date);
    const now = this.deps.clock.now().toISOString();
    const slots = planSlotDay(venueId, venue.timezone, hoursOn(venue, req.date), req).filter(
      (slot) => slot.endsAt > now,
    );
    if (slots.length === 0) throw ValidationFailed.at('date', 'every slot of this day would be over already');
    return this.deps.stores.slots.createMany(slots);
  }

  /** Route 5: the slots of one local venue day, in start order. */
  async listDay(venueId: string, date: string, page: PageRequest): Promise<Page<PickupSlot>> {
    const { venue } = await venueRules(this.deps, venueId, 'pickup');
    checkSlotDate(date);
    const from = localToInstant(date, '00:00', venue.timezone).toISOString();
    const to = localToInstant(addDays(date, 1), '00:00', venue.timezone).toISOString();
    return this.deps.stores.slots.listByVenue(venueId, { from, to }, page);
  }
}
