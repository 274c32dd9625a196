/**
 * Operator catalog: every item of the venue (drafts included), newest schedule first, with
 * links to edit; the form itself lives in item-form.ts.
 */
import type { CatalogItem } from '../api.ts';
import type { AppContext } from '../app.ts';
import { h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { formatRange } from '../time.ts';
import { errorBox, itemStatusLabel, kindLabel, showError } from '../ui.ts';

/**
 * All pages of a listing: a venue's whole catalog, which operators manage, or a day's pickup
 * slots (at most 288, five minutes each); capped to stay bounded.
 */
export async function listAll<T>(
  fetchPage: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>,
  maxPages = 10,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export async function catalogView(ctx: AppContext, main: HTMLElement) {
  const { venueId, timezone } = ctx.config;
  const errors = errorBox();
  let items: CatalogItem[] = [];
  try {
    const [schedule, products] = await Promise.all([
      listAll((cursor) => ctx.api.listSchedule(venueId, { limit: 100, cursor })),
      listAll((cursor) => ctx.api.listProducts(venueId, { limit: 100, cursor })),
    ]);
    items = [...schedule, ...products];
  } catch (error) {
    showError(errors, error);
  }
  const rows = items.map((item) =>
    h(
      'tr',
      {},
      h('td', {}, h('a', { href: `#/operator/catalog/${encodeURIComponent(item.eventId)}` }, item.title)),
      h('td', {}, kindLabel(item.kind)),
      h('td', {}, itemStatusLabel(item.status)),
      h(
        'td',
        {},
        item.startsAt && item.endsAt ? formatRange(item.startsAt, item.endsAt, timezone, ctx.locale()) : '',
      ),
      h('td', {}, item.capacity !== undefined ? `${item.booked ?? 0} / ${item.capacity}` : ''),
    ),
  );
  replace(
    main,
    h('h1', {}, t('catalogTitle')),
    h('p', {}, h('a', { class: 'button', href: '#/operator/catalog/new' }, t('newItem'))),
    errors,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h('caption', {}, t('catalogTitle')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('title')),
            h('th', { scope: 'col' }, t('kind')),
            h('th', { scope: 'col' }, t('status')),
            h('th', { scope: 'col' }, t('when')),
            h('th', { scope: 'col' }, `${t('bookedCount')} / ${t('capacity')}`),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    ),
  );
}
