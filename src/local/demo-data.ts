/**
 * Demo data for the first start: a week of events and community programs, a campaign with
 * its items, products, and pickup slots for the coming days at the demo venue. Everything is
 * created through the HTTP API as the demo operator, so it passes the same validation as any
 * operator's input. Skipped when the venue already lists anything (a persistent store).
 */
import type { Logger } from '../observability/log.ts';
import type { LocalIssuer } from './cognito-issuer.ts';
import { addDays, localDate, localToInstant } from './venue-clock.ts';

export const DEMO_VENUE = 'flagship-001';
const TIMEZONE = 'America/New_York';

const EVENTS = [
  {
    kind: 'event',
    title: 'Espresso masterclass',
    category: 'coffee',
    at: '18:00',
    minutes: 90,
    capacity: 20,
  },
  { kind: 'program', title: 'Kids coding club', category: 'kids', at: '10:30', minutes: 60, capacity: 15 },
  {
    kind: 'event',
    title: 'Trail running meetup',
    category: 'outdoors',
    at: '08:00',
    minutes: 75,
    capacity: 30,
  },
  { kind: 'program', title: 'Repair cafe', category: 'community', at: '14:00', minutes: 120, capacity: 25 },
  { kind: 'event', title: 'Photography walk', category: 'photo', at: '16:00', minutes: 90, capacity: 12 },
  {
    kind: 'program',
    title: 'Seniors tech help',
    category: 'community',
    at: '11:00',
    minutes: 60,
    capacity: 10,
  },
  {
    kind: 'event',
    title: 'Late-night launch party',
    category: 'launch',
    at: '20:00',
    minutes: 120,
    capacity: 80,
  },
] as const;

const PRODUCTS = [
  { title: 'Trail shoe Aurora', category: 'outdoors', priceCents: 12900 },
  { title: 'Espresso grinder Mini', category: 'coffee', priceCents: 8900 },
  { title: 'Camera strap Canvas', category: 'photo', priceCents: 2900 },
  { title: 'Kids robot kit', category: 'kids', priceCents: 4900 },
] as const;

class DemoApi {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async create(path: string, body: unknown): Promise<Record<string, unknown>> {
    const { status, json } = await this.call('POST', path, body);
    if (status !== 201)
      throw new Error(`demo data: POST ${path} answered ${status}: ${JSON.stringify(json)}`);
    return json;
  }
}

/** Creates the demo data unless the venue already has some; returns whether it did. */
export async function seedDemoData(
  url: string,
  issuer: LocalIssuer,
  logger: Logger,
  now = new Date(),
): Promise<boolean> {
  const { access_token } = await issuer.mint({
    username: 'olivia',
    groups: ['operators'],
    expiresIn: 600,
    tokenUse: 'access',
    clientId: issuer.clientId,
  });
  const api = new DemoApi(url, access_token);
  const existing = await api.call('GET', `/venues/${DEMO_VENUE}/events?limit=1`);
  if (existing.status !== 200)
    throw new Error(`demo data: the API answered ${existing.status} to a venue listing`);
  if (((existing.json.items as unknown[]) ?? []).length > 0) return false;

  const today = localDate(now, TIMEZONE);
  const productIds: string[] = [];
  for (const product of PRODUCTS) {
    const { event } = (await api.create(`/venues/${DEMO_VENUE}/events`, { kind: 'product', ...product })) as {
      event: { eventId: string };
    };
    productIds.push(event.eventId);
  }
  const { event: campaign } = (await api.create(`/venues/${DEMO_VENUE}/events`, {
    kind: 'campaign',
    title: 'Winter gear week',
    description: 'Seven days of outdoor talks and gear for the cold season.',
    category: 'outdoors',
    startsAt: localToInstant(today, '00:00', TIMEZONE).toISOString(),
    endsAt: localToInstant(addDays(today, 7), '00:00', TIMEZONE).toISOString(),
    itemIds: productIds.slice(0, 2),
  })) as { event: { eventId: string } };
  for (let day = 0; day < 7; day += 1) {
    const date = addDays(today, day);
    for (const [index, item] of EVENTS.entries()) {
      // Each day gets three of the seven, rotating, so the week is varied.
      if ((index + day) % 7 > 2) continue;
      const startsAt = localToInstant(date, item.at, TIMEZONE);
      await api.create(`/venues/${DEMO_VENUE}/events`, {
        kind: item.kind,
        title: item.title,
        category: item.category,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + item.minutes * 60_000).toISOString(),
        capacity: item.capacity,
        ...(item.category === 'outdoors' ? { campaignId: campaign.eventId } : {}),
      });
    }
  }
  for (let day = 0; day < 4; day += 1) {
    await api.create(`/venues/${DEMO_VENUE}/pickup-slots`, {
      date: addDays(today, day),
      from: '00:00',
      to: '24:00',
      slotMinutes: 30,
      capacity: 8,
    });
  }
  logger.info('demo data created', { venueId: DEMO_VENUE, from: today });
  return true;
}
