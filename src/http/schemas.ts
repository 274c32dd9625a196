/** Request schemas of the routes (DESIGN.md §3). Clients never set status, userId, booked or version. */
import { arr, bool, int, obj, type Schema, str } from './validate.ts';

export const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const WORD = /^[A-Za-z0-9][A-Za-z0-9 _&'-]*$/;

const id = (): Schema => str(128, { pattern: ID });
const time = (): Schema => str(30, { format: 'date-time' });
const partySize = (): Schema => int(1, 50);

export const bookEventBody = obj({ partySize: partySize() }, ['partySize']);

export const bookPickupBody = obj(
  { orderRef: str(64, { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/ }), partySize: partySize() },
  ['orderRef'],
);

export const joinQueueBody = obj(
  { serviceKind: str(40, { pattern: /^[a-z][a-z0-9_-]*$/ }), partySize: partySize(), accessibility: bool() },
  ['serviceKind', 'partySize'],
);

export const preferencesBody = obj(
  {
    channels: obj({ email: bool(), sms: bool() }, ['email', 'sms']),
    email: str(254, { format: 'email' }),
    phone: str(16, { pattern: /^\+[1-9]\d{6,14}$/ }),
    interests: arr(str(50, { pattern: WORD }), 20),
    language: str(12, { pattern: /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/ }),
    accessibility: bool(),
    marketingOptIn: bool(),
  },
  ['channels', 'interests', 'language', 'accessibility', 'marketingOptIn'],
);

const catalogFields = {
  title: str(200),
  description: str(2000),
  category: str(50, { pattern: WORD }),
  campaignId: id(),
  startsAt: time(),
  endsAt: time(),
  capacity: int(1, 100_000),
  itemIds: arr(id(), 100),
  priceCents: int(0, 100_000_000),
};

export const createEventBody = obj(
  {
    kind: str(10, { enum: ['event', 'program', 'campaign', 'product'] }),
    status: str(10, { enum: ['draft', 'published'] }),
    ...catalogFields,
  },
  ['kind', 'title'],
);

/** Changes; `null` clears an optional text or the campaign link. */
export const patchEventBody = obj({
  status: str(10, { enum: ['draft', 'published', 'cancelled'] }),
  ...catalogFields,
  description: str(2000, { nullable: true }),
  category: str(50, { pattern: WORD, nullable: true }),
  campaignId: str(128, { pattern: ID, nullable: true }),
});

export const slotDayBody = obj(
  {
    date: str(10, { format: 'date' }),
    from: str(5, { format: 'time' }),
    to: str(5, { format: 'time' }),
    slotMinutes: int(5, 240),
    capacity: int(1, 1000),
  },
  ['date', 'from', 'to', 'slotMinutes', 'capacity'],
);

/** Routes that take no fields: a body is optional, but one carrying fields is refused, not ignored. */
export const noFieldsBody = obj({});

export const completeTicketBody = obj({ outcome: str(10, { enum: ['served', 'no_show'] }) }, ['outcome']);

export const scheduleQuery = {
  kind: str(10, { enum: ['event', 'program', 'campaign'] }),
  from: time(),
  to: time(),
  category: str(50, { pattern: WORD }),
  campaignId: id(),
};

export const productsQuery = { category: str(50, { pattern: WORD }), campaignId: id() };

export const slotsQuery = { date: str(10, { format: 'date' }) };

export const idempotencyKey = str(128, { pattern: /^[A-Za-z0-9._:-]+$/ });
