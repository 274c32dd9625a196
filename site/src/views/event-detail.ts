/**
 * One catalog item: times, remaining places, and booking with a party size (events and
 * programs); a campaign lists what it promotes; an item of a campaign links back to it.
 */
import type { CatalogItem } from '../api.ts';
import type { AppContext } from '../app.ts';
import { field, h, replace } from '../dom.ts';
import { namedFields } from '../field-errors.ts';
import { t } from '../i18n.ts';
import { formatPrice, formatRange } from '../time.ts';
import {
  BookingAttempt,
  errorBox,
  itemCard,
  kindLabel,
  placesText,
  run,
  showError,
  statusBox,
} from '../ui.ts';
import { venueRules } from '../venue-rules.ts';

export async function eventDetailView(
  ctx: AppContext,
  main: HTMLElement,
  params: Record<string, string>,
  query: URLSearchParams,
) {
  const errors = errorBox();
  const rules = venueRules(ctx);
  let item: CatalogItem;
  try {
    item = await ctx.api.getItem(params.eventId ?? '');
  } catch (error) {
    showError(errors, error);
    replace(main, h('h1', {}, t('eventTitle')), errors, h('p', {}, h('a', { href: '#/' }, t('back'))));
    return;
  }
  const tz = ctx.config.timezone;
  const places = h('p', { class: 'places' }, placesText(item));
  const parts: (HTMLElement | false)[] = [
    h('p', { class: 'tag' }, kindLabel(item.kind), item.category ? ` · ${item.category}` : ''),
    h('h1', {}, item.title),
    Boolean(item.description) && h('p', {}, item.description ?? ''),
    Boolean(item.startsAt && item.endsAt) &&
      h(
        'p',
        {},
        h('strong', {}, `${t('when')}: `),
        formatRange(item.startsAt ?? '', item.endsAt ?? '', tz, ctx.locale()),
      ),
    item.priceCents !== undefined &&
      h('p', {}, h('strong', {}, `${t('price')}: `), formatPrice(item.priceCents, ctx.locale())),
    places,
  ];
  if (item.campaignId) {
    parts.push(
      h('p', {}, h('a', { href: `#/events/${encodeURIComponent(item.campaignId)}` }, t('partOfCampaign'))),
    );
  }
  if (item.kind === 'event' || item.kind === 'program') {
    const bookable = item.status === 'published' && Date.parse(item.endsAt ?? '') > Date.now();
    const full = item.remaining !== undefined && item.remaining <= 0;
    if (!bookable) parts.push(h('p', { class: 'notice' }, t('errNOT_BOOKABLE')));
    else if (full) parts.push(h('p', { class: 'notice' }, t('eventFull')));
    else parts.push(bookingForm(ctx, item, places, (await rules).maxPartySize, query.get('partySize')));
  }
  if (item.kind === 'campaign') parts.push(await campaignItems(ctx, item));
  parts.push(errors);
  replace(main, ...parts);
}

/**
 * The booking form. `partySize` is what the visitor had typed before signing in on the way
 * (carried in the `next` hash); the largest party is the venue's when the site knows it.
 */
function bookingForm(
  ctx: AppContext,
  item: CatalogItem,
  places: HTMLElement,
  maxPartySize: number | undefined,
  partySize: string | null,
): HTMLElement {
  const errors = errorBox();
  const done = statusBox();
  const size = h('input', {
    type: 'number',
    name: 'partySize',
    min: 1,
    max: maxPartySize,
    value: partySize && /^[1-9]\d*$/.test(partySize) ? partySize : 1,
    required: true,
  });
  const button = h('button', { type: 'submit' }, t('book'));
  const attempt = new BookingAttempt();
  const form = h(
    'form',
    { class: 'stack', 'aria-label': t('book') },
    field(t('partySize'), size),
    button,
    errors,
    done,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!ctx.session()) {
      const back = `#/events/${encodeURIComponent(item.eventId)}?partySize=${encodeURIComponent(size.value)}`;
      ctx.navigate(`#/sign-in?next=${encodeURIComponent(back)}`);
      return;
    }
    const body = { partySize: Number(size.value) };
    await run(
      button,
      errors,
      async () => {
        await ctx.api.bookEvent(item.eventId, body.partySize, attempt.keyFor(body));
        attempt.succeeded();
        replace(done, t('booked'), ' ', h('a', { href: '#/reservations' }, t('seeReservations')));
        const fresh = await ctx.api.getItem(item.eventId);
        replace(places, placesText(fresh));
      },
      { status: done, fields: namedFields(form) },
    );
  });
  return form;
}

async function campaignItems(ctx: AppContext, campaign: CatalogItem): Promise<HTMLElement> {
  const { venueId } = ctx.config;
  const [schedule, products] = await Promise.all([
    ctx.api.listSchedule(venueId, { campaignId: campaign.eventId, limit: 100 }).catch(() => ({ items: [] })),
    ctx.api.listProducts(venueId, { campaignId: campaign.eventId, limit: 100 }).catch(() => ({ items: [] })),
  ]);
  const linked = new Map<string, CatalogItem>();
  for (const item of [...schedule.items, ...products.items]) {
    if (item.eventId !== campaign.eventId) linked.set(item.eventId, item);
  }
  for (const id of campaign.itemIds ?? []) {
    if (linked.has(id)) continue;
    const item = await ctx.api.getItem(id).catch(() => undefined);
    if (item) linked.set(id, item);
  }
  const cards = [...linked.values()].map((item) => itemCard(ctx, item, 'h3'));
  return h(
    'section',
    { 'aria-labelledby': 'campaign-items' },
    h('h2', { id: 'campaign-items' }, t('campaignItems')),
    h('ul', { class: 'cards' }, ...(cards.length > 0 ? cards : [h('li', {}, t('none'))])),
  );
}
