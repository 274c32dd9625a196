/**
 * Pickup booking: choose a venue day, one of its slots with room left, give the order
 * reference (and party size), book. Slot times are shown in the venue's zone.
 */
import type { PickupSlot } from '../api.ts';
import type { AppContext } from '../app.ts';
import { applyDateFilter, field, h, replace } from '../dom.ts';
import { namedFields } from '../field-errors.ts';
import { t } from '../i18n.ts';
import { formatDay, formatTime, venueDate } from '../time.ts';
import { BookingAttempt, errorBox, run, showError, statusBox } from '../ui.ts';
import { venueRules } from '../venue-rules.ts';

export async function pickupView(ctx: AppContext, main: HTMLElement, _p: unknown, query: URLSearchParams) {
  const { venueId, timezone } = ctx.config;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(query.get('date') ?? '')
    ? (query.get('date') as string)
    : venueDate(new Date(), timezone);
  const errors = errorBox();
  const rules = venueRules(ctx);
  let slots: PickupSlot[] = [];
  try {
    slots = (await ctx.api.listSlots(venueId, date, { limit: 100 })).items;
  } catch (error) {
    showError(errors, error);
  }
  const { maxPartySize } = await rules;
  const now = Date.now();
  const open = slots.filter((s) => Date.parse(s.endsAt) > now);

  const dateInput = h('input', { type: 'date', name: 'date', value: date });
  applyDateFilter(dateInput, () => ctx.navigate(`#/pickup?date=${dateInput.value}`));

  const done = statusBox();
  const bookErrors = errorBox();
  const orderRef = h('input', {
    type: 'text',
    name: 'orderRef',
    required: true,
    maxlength: 64,
    autocomplete: 'off',
  });
  const partySize = h('input', { type: 'number', name: 'partySize', min: 1, max: maxPartySize, value: 1 });
  const button = h('button', { type: 'submit' }, t('bookPickup'));
  const attempt = new BookingAttempt();
  const slotChoices = h(
    'fieldset',
    { class: 'slots' },
    h('legend', {}, t('slot')),
    ...open.map((slot, index) =>
      h(
        'div',
        { class: 'field check' },
        h('input', {
          type: 'radio',
          name: 'slotId',
          id: `slot-${index}`,
          value: slot.slotId,
          disabled: slot.remaining <= 0,
          required: true,
        }),
        h(
          'label',
          { for: `slot-${index}` },
          `${formatTime(slot.startsAt, timezone, ctx.locale())} – ${formatTime(slot.endsAt, timezone, ctx.locale())}`,
          ' · ',
          slot.remaining > 0 ? t('placesLeft', { n: slot.remaining, capacity: slot.capacity }) : t('soldOut'),
        ),
      ),
    ),
  );
  const form = h(
    'form',
    { class: 'stack', 'aria-label': t('bookPickup') },
    // the two short fields first: on a phone, a day's slots would push them a screen away
    field(t('orderRef'), orderRef),
    field(t('partySize'), partySize),
    slotChoices,
    button,
    bookErrors,
    done,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = form.querySelector<HTMLInputElement>('input[name="slotId"]:checked');
    if (!chosen) return;
    const body = { orderRef: orderRef.value.trim(), partySize: Number(partySize.value) };
    await run(
      button,
      bookErrors,
      async () => {
        await ctx.api.bookPickup(chosen.value, body, attempt.keyFor({ slotId: chosen.value, ...body }));
        attempt.succeeded();
        replace(done, t('booked'), ' ', h('a', { href: '#/reservations' }, t('seeReservations')));
      },
      { status: done, fields: namedFields(form) },
    );
  });

  replace(
    main,
    h('h1', {}, t('pickupTitle')),
    h('p', { class: 'lede' }, formatDay(date, ctx.locale())),
    h(
      'form',
      { class: 'filters', 'aria-label': t('date'), onsubmit: (e: Event) => e.preventDefault() },
      field(t('date'), dateInput),
    ),
    errors,
    open.length > 0 ? form : h('p', {}, t('noSlots')),
  );
}
