/**
 * Create or edit a catalog item of any kind. Fields shown follow the kind (capacity for events
 * and programs, price for products, linked items for campaigns). Times are typed as venue wall
 * time and sent as UTC. An edit sends only what changed (PATCH), so a capacity change is
 * checked by the API against what is booked (CAPACITY_BELOW_BOOKED).
 */
import { type CatalogInput, type CatalogItem, type CatalogPatch, CLEARABLE } from '../api.ts';
import type { AppContext } from '../app.ts';
import { field, formValue, h, replace, select } from '../dom.ts';
import { namedFields } from '../field-errors.ts';
import { t } from '../i18n.ts';
import { formatDateTime, fromLocalInput, toLocalInput } from '../time.ts';
import {
  announceDrawn,
  confirmAction,
  errorBox,
  isBusy,
  itemStatusLabel,
  kindLabel,
  run,
  showError,
  statusBox,
} from '../ui.ts';
import { listAll } from './catalog.ts';

const KINDS = ['event', 'program', 'campaign', 'product'] as const;
const STATUSES = ['draft', 'published', 'cancelled'] as const;

/** The body for the item's kind, from the form's values (empty optional fields left out). */
export function itemInputFromForm(form: HTMLFormElement, timeZone: string): CatalogInput {
  const kind = formValue(form, 'kind') as CatalogItem['kind'];
  const input: CatalogInput = {
    kind,
    title: formValue(form, 'title').trim(),
    status: formValue(form, 'status') as CatalogItem['status'],
  };
  const description = formValue(form, 'description').trim();
  const category = formValue(form, 'category').trim();
  const campaignId = formValue(form, 'campaignId');
  if (description) input.description = description;
  if (category) input.category = category;
  if (campaignId && kind !== 'campaign') input.campaignId = campaignId;
  if (kind !== 'product') {
    input.startsAt = fromLocalInput(formValue(form, 'startsAt'), timeZone);
    input.endsAt = fromLocalInput(formValue(form, 'endsAt'), timeZone);
  }
  if (kind === 'event' || kind === 'program') input.capacity = Number(formValue(form, 'capacity'));
  if (kind === 'product') input.priceCents = Number(formValue(form, 'priceCents'));
  if (kind === 'campaign') {
    input.itemIds = Array.from(form.querySelectorAll<HTMLInputElement>('input[name="itemIds"]:checked')).map(
      (box) => box.value,
    );
  }
  return input;
}

/**
 * A campaign's item as the picker names it: title, kind, and when it is (the same event runs
 * on several days, and the titles alone cannot tell them apart).
 */
export function linkedItemLabel(item: CatalogItem, timeZone: string, locale: string): string {
  const when = item.startsAt ? `, ${formatDateTime(item.startsAt, timeZone, locale)}` : '';
  return `${item.title} (${kindLabel(item.kind)}${when})`;
}

/**
 * The fields of `next` that differ from `current` (kind never changes after creation); an
 * optional text or campaign link that was set and is now empty is cleared with `null`.
 */
export function changedFields(current: CatalogItem, next: CatalogInput): CatalogPatch {
  const changes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(next)) {
    if (name === 'kind') continue;
    const before = (current as unknown as Record<string, unknown>)[name];
    if (JSON.stringify(before) !== JSON.stringify(value)) changes[name] = value;
  }
  for (const name of CLEARABLE) {
    // a campaign's form has no campaign field: what it does not show, it does not clear
    if (name === 'campaignId' && current.kind === 'campaign') continue;
    if (current[name] !== undefined && next[name] === undefined) changes[name] = null;
  }
  return changes as CatalogPatch;
}

export async function itemFormView(
  ctx: AppContext,
  main: HTMLElement,
  params: Record<string, string>,
  query: URLSearchParams,
) {
  const { venueId, timezone } = ctx.config;
  const errors = errorBox();
  const done = statusBox();
  const editing = params.eventId !== undefined;
  let item: CatalogItem | undefined;
  let others: CatalogItem[] = [];
  try {
    if (editing) item = await ctx.api.getItem(params.eventId ?? '');
    const [schedule, products] = await Promise.all([
      listAll((cursor) => ctx.api.listSchedule(venueId, { limit: 100, cursor })),
      listAll((cursor) => ctx.api.listProducts(venueId, { limit: 100, cursor })),
    ]);
    others = [...schedule, ...products].filter((o) => o.eventId !== item?.eventId);
  } catch (error) {
    showError(errors, error);
    if (editing && !item) {
      replace(main, h('h1', {}, t('editItem')), errors);
      return;
    }
  }
  const campaigns = others.filter((o) => o.kind === 'campaign');
  const kind = select(
    'kind',
    KINDS.map((k): [string, string] => [k, kindLabel(k)]),
    item?.kind ?? 'event',
  );
  kind.disabled = editing;
  const timed = h(
    'div',
    { class: 'group' },
    field(
      t('startsAt'),
      h('input', {
        type: 'datetime-local',
        name: 'startsAt',
        required: true,
        value: item?.startsAt ? toLocalInput(item.startsAt, timezone) : '',
      }),
    ),
    field(
      t('endsAt'),
      h('input', {
        type: 'datetime-local',
        name: 'endsAt',
        required: true,
        value: item?.endsAt ? toLocalInput(item.endsAt, timezone) : '',
      }),
    ),
    h('p', { class: 'hint' }, t('timesInZone', { zone: timezone })),
  );
  // what is booked bounds the capacity (CAPACITY_BELOW_BOOKED): say it where it is typed
  const capacity = field(
    t('capacity'),
    h('input', { type: 'number', name: 'capacity', min: 0, required: true, value: item?.capacity ?? 20 }),
    item?.booked ? t('capacityBooked', { n: item.booked }) : undefined,
  );
  const price = field(
    t('priceCents'),
    h('input', { type: 'number', name: 'priceCents', min: 0, required: true, value: item?.priceCents ?? 0 }),
  );
  const itemIds = h(
    'fieldset',
    {},
    h('legend', {}, t('campaignItemIds')),
    ...others
      .filter((o) => o.kind !== 'campaign')
      .map((o, i) =>
        h(
          'div',
          { class: 'field check' },
          h('input', {
            type: 'checkbox',
            name: 'itemIds',
            id: `item-${i}`,
            value: o.eventId,
            checked: item?.itemIds?.includes(o.eventId) ?? false,
          }),
          h('label', { for: `item-${i}` }, linkedItemLabel(o, timezone, ctx.locale())),
        ),
      ),
  );
  const campaignField = field(
    t('campaign'),
    select(
      'campaignId',
      [['', t('noCampaign')], ...campaigns.map((c): [string, string] => [c.eventId, c.title])],
      item?.campaignId ?? '',
    ),
  );
  // Show only the fields of the chosen kind; hidden ones are also disabled so they are not validated.
  const toggle = () => {
    const show = (el: HTMLElement, on: boolean) => {
      el.hidden = !on;
      for (const input of Array.from(el.querySelectorAll('input, select'))) {
        (input as HTMLInputElement).disabled = !on;
      }
    };
    show(timed, kind.value !== 'product');
    show(capacity, kind.value === 'event' || kind.value === 'program');
    show(price, kind.value === 'product');
    show(itemIds, kind.value === 'campaign');
    show(campaignField, kind.value !== 'campaign');
  };
  kind.addEventListener('change', toggle);

  const button = h('button', { type: 'submit' }, editing ? t('save') : t('create'));
  const form = h(
    'form',
    { class: 'stack', 'aria-label': editing ? t('editItem') : t('newItem') },
    field(t('kind'), kind),
    field(
      t('title'),
      h('input', { type: 'text', name: 'title', required: true, maxlength: 200, value: item?.title ?? '' }),
    ),
    field(
      t('description'),
      h('textarea', { name: 'description', rows: 3, maxlength: 2000 }, item?.description ?? ''),
    ),
    field(
      t('category'),
      h('input', { type: 'text', name: 'category', maxlength: 60, value: item?.category ?? '' }),
    ),
    field(
      t('status'),
      select(
        'status',
        STATUSES.map((s): [string, string] => [s, itemStatusLabel(s)]),
        item?.status ?? 'draft',
      ),
    ),
    timed,
    capacity,
    price,
    campaignField,
    itemIds,
    button,
    errors,
    done,
  );
  toggle();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (isBusy(button)) return;
    // Cancelling an item cancels its confirmed reservations (the API does, and nothing brings
    // them back): the operator confirms it knowing how many places that is.
    const booked = item?.status !== 'cancelled' ? (item?.booked ?? 0) : 0;
    if (item && booked > 0 && formValue(form, 'status') === 'cancelled') {
      const question = t('confirmCancelItem', { title: item.title, n: booked });
      if (!(await confirmAction(question, t('confirmCancelItemYes'), t('keepItem')))) {
        button.focus();
        return;
      }
    }
    await run(
      button,
      errors,
      async () => {
        const input = itemInputFromForm(form, timezone);
        if (item) {
          item = await ctx.api.patchItem(item.eventId, changedFields(item, input));
          replace(done, t('saved'));
        } else {
          const created = await ctx.api.createItem(venueId, input);
          ctx.navigate(`#/operator/catalog/${encodeURIComponent(created.eventId)}?created=1`);
        }
      },
      { status: done, fields: namedFields(form), codeFields: { CAPACITY_BELOW_BOOKED: 'capacity' } },
    );
  });
  replace(
    main,
    h('h1', {}, editing ? t('editItem') : t('newItem')),
    h('p', {}, h('a', { href: '#/operator/catalog' }, t('back'))),
    form,
  );
  if (editing && query.get('created') === '1') announceDrawn(done, t('created'));
}
