/**
 * "What's on": the venue's events, programs and campaigns of one day, or its products, with a
 * category filter. Filters live in the hash (`#/?day=…&kind=…&category=…`) so they survive a
 * reload and can be shared.
 */
import type { CatalogItem } from '../api.ts';
import type { AppContext } from '../app.ts';
import { applyDateFilter, field, h, replace, select } from '../dom.ts';
import { t } from '../i18n.ts';
import { addDays, formatDay, venueDate, venueDayRange } from '../time.ts';
import { announceDrawn, errorBox, itemCard, kindLabel, showError } from '../ui.ts';

const KINDS = ['event', 'program', 'campaign', 'product'];

export async function browseView(ctx: AppContext, main: HTMLElement, _p: unknown, query: URLSearchParams) {
  const { venueId, timezone } = ctx.config;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(query.get('day') ?? '')
    ? (query.get('day') as string)
    : venueDate(new Date(), timezone);
  const kind = KINDS.includes(query.get('kind') ?? '') ? (query.get('kind') as string) : '';
  const category = query.get('category') ?? '';

  const errors = errorBox();
  const list = h('ul', { class: 'cards' });
  // what the filters found, said once the screen is drawn (a reader changing a filter stays
  // on it, and hears the result instead of being sent to the list)
  const shown = h('p', { class: 'hint', role: 'status' });
  let items: CatalogItem[] = [];
  let categories: string[] = [];
  try {
    const products = kind === 'product';
    const range = venueDayRange(day, timezone);
    const base = products ? {} : { ...range, kind: kind || undefined };
    const fetchPage = (extra: Record<string, string | undefined>) =>
      products
        ? ctx.api.listProducts(venueId, { limit: 100, ...extra })
        : ctx.api.listSchedule(venueId, { limit: 100, ...base, ...extra });
    const all = await fetchPage({});
    categories = [...new Set(all.items.map((i) => i.category).filter((c): c is string => Boolean(c)))];
    if (category && !categories.includes(category)) categories.push(category);
    categories.sort();
    items = category ? (await fetchPage({ category })).items : all.items;
  } catch (error) {
    showError(errors, error);
  }

  const dayInput = h('input', { type: 'date', name: 'day', value: day });
  const kindSelect = select(
    'kind',
    [['', t('allKinds')], ...KINDS.map((k): [string, string] => [k, kindLabel(k)])],
    kind,
  );
  const categorySelect = select(
    'category',
    [['', t('allCategories')], ...categories.map((c): [string, string] => [c, c])],
    category,
  );
  const apply = () => {
    const params = new URLSearchParams();
    if (dayInput.value) params.set('day', dayInput.value);
    if (kindSelect.value) params.set('kind', kindSelect.value);
    if (categorySelect.value) params.set('category', categorySelect.value);
    ctx.navigate(`#/?${params}`);
  };
  for (const control of [kindSelect, categorySelect]) control.addEventListener('change', apply);
  applyDateFilter(dayInput, apply);

  // the arrows are drawn, not read: the links are named "Previous day" and "Next day"
  const arrow = (glyph: string) => h('span', { 'aria-hidden': 'true' }, glyph);
  const dayLink = (offset: number, ...text: (HTMLElement | string)[]) => {
    const params = new URLSearchParams(query);
    params.set('day', addDays(day, offset));
    return h('a', { href: `#/?${params}` }, ...text);
  };
  const dayNav =
    kind !== 'product' &&
    h(
      'nav',
      { class: 'day-nav', 'aria-label': t('day') },
      dayLink(-1, arrow('← '), t('previousDay')),
      dayLink(1, t('nextDay'), arrow(' →')),
    );
  replace(list, ...(items.length > 0 ? items.map((item) => itemCard(ctx, item)) : [h('li', {}, t('none'))]));
  replace(
    main,
    h('h1', {}, t('browseTitle')),
    h('p', { class: 'lede' }, kind === 'product' ? kindLabel('product') : formatDay(day, ctx.locale())),
    h(
      'form',
      { class: 'filters', 'aria-label': t('browseTitle'), onsubmit: (e: Event) => e.preventDefault() },
      kind !== 'product' && field(t('day'), dayInput),
      field(t('kind'), kindSelect),
      field(t('category'), categorySelect),
    ),
    dayNav,
    errors,
    shown,
    list,
  );
  announceDrawn(shown, t('itemsShown', { n: items.length }));
}
