/**
 * Operator pickup slots: create a day of slots (date, from–to in the venue's zone, minutes
 * per slot, capacity) and see that day's slots with what is booked.
 */
import type { PickupSlot } from '../api.ts';
import type { AppContext } from '../app.ts';
import { field, formValue, h, replace } from '../dom.ts';
import { namedFields } from '../field-errors.ts';
import { t } from '../i18n.ts';
import { addDays, formatDay, formatTime, venueDate } from '../time.ts';
import { announceDrawn, errorBox, run, showError, statusBox } from '../ui.ts';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const COUNT = /^[1-9]\d{0,3}$/;

export async function slotsView(ctx: AppContext, main: HTMLElement, _p: unknown, query: URLSearchParams) {
  const { venueId, timezone } = ctx.config;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(query.get('date') ?? '')
    ? (query.get('date') as string)
    : addDays(venueDate(new Date(), timezone), 1);
  const errors = errorBox();
  const done = statusBox();
  const list = h('tbody', {});

  const loadSlots = async () => {
    const slots: PickupSlot[] = [];
    let cursor: string | undefined;
    do {
      const page = await ctx.api.listSlots(venueId, date, { limit: 100, cursor });
      slots.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    replace(
      list,
      ...slots.map((slot) =>
        h(
          'tr',
          {},
          h(
            'td',
            {},
            `${formatTime(slot.startsAt, timezone, ctx.locale())} – ${formatTime(slot.endsAt, timezone, ctx.locale())}`,
          ),
          h('td', {}, `${slot.booked} / ${slot.capacity}`),
          h(
            'td',
            {},
            h(
              'a',
              {
                // the day goes with it: the desk names the slot by its time even with no order
                href: `#/operator/slots/${encodeURIComponent(slot.slotId)}?date=${date}`,
                'aria-label': t('openDesk', { time: formatTime(slot.startsAt, timezone, ctx.locale()) }),
              },
              t('pickupDesk'),
            ),
          ),
        ),
      ),
    );
  };

  // after a creation the form keeps what the operator typed (carried in the address)
  const kept = (name: string, pattern: RegExp, fallback: string) => {
    const value = query.get(name) ?? '';
    return pattern.test(value) ? value : fallback;
  };
  const button = h('button', { type: 'submit' }, t('createSlots'));
  const form = h(
    'form',
    { class: 'stack', 'aria-label': t('createSlots') },
    field(t('date'), h('input', { type: 'date', name: 'date', required: true, value: date })),
    field(
      t('from'),
      h('input', { type: 'time', name: 'from', required: true, value: kept('from', TIME, '10:00') }),
    ),
    field(
      t('to'),
      h('input', { type: 'time', name: 'to', required: true, value: kept('to', TIME, '18:00') }),
      t('toMidnight'),
    ),
    field(
      t('slotMinutes'),
      h('input', {
        type: 'number',
        name: 'slotMinutes',
        min: 5,
        max: 240,
        required: true,
        value: kept('slotMinutes', COUNT, '30'),
      }),
    ),
    field(
      t('capacity'),
      h('input', {
        type: 'number',
        name: 'capacity',
        min: 1,
        required: true,
        value: kept('capacity', COUNT, '4'),
      }),
    ),
    h('p', { class: 'hint' }, t('timesInZone', { zone: timezone })),
    button,
    errors,
    done,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submitted = async () => {
      const request = {
        date: formValue(form, 'date'),
        from: formValue(form, 'from').slice(0, 5),
        to: slotsEnd(formValue(form, 'to')),
        slotMinutes: Number(formValue(form, 'slotMinutes')),
        capacity: Number(formValue(form, 'capacity')),
      };
      const result = await ctx.api.createSlots(venueId, request);
      const again = new URLSearchParams({
        date: request.date,
        from: request.from,
        to: formValue(form, 'to').slice(0, 5),
        slotMinutes: String(request.slotMinutes),
        capacity: String(request.capacity),
        created: String(result.items.length),
      });
      ctx.navigate(`#/operator/slots?${again}`);
    };
    await run(button, errors, submitted, { status: done, fields: namedFields(form) });
  });

  try {
    await loadSlots();
  } catch (error) {
    showError(errors, error);
  }
  replace(
    main,
    h('h1', {}, t('slotsTitle')),
    form,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h('caption', {}, formatDay(date, ctx.locale())),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('slot')),
            h('th', { scope: 'col' }, `${t('bookedCount')} / ${t('capacity')}`),
            h('th', { scope: 'col' }, t('orders')),
          ),
        ),
        list,
      ),
    ),
  );
  const created = query.get('created');
  // none created: the day had these slots already (generating a day twice makes nothing new)
  if (created !== null)
    announceDrawn(done, created === '0' ? t('slotsNoneNew') : t('slotsCreated', { n: Number(created) }));
}

/**
 * The `to` of a day of slots from the form's time field, which cannot say 24:00: "00:00" as
 * the end means midnight at the end of the day (a venue open until midnight or around the clock).
 */
export function slotsEnd(value: string): string {
  const time = value.slice(0, 5);
  return time === '00:00' ? '24:00' : time;
}
