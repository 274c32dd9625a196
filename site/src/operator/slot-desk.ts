/**
 * The pickup desk of one slot (operators): the slot's orders in booking order, each with its
 * party size and status, and a Check in button for each confirmed one. Checking a pickup in
 * opens the shopper's queue ticket with the order (route 10, as an operator), which the
 * shopper then finds on their own device (ADR 0416, 0415). The heading (and so the tab's
 * title) names the slot's time; before the slot's check-in window opens, Check in is held
 * and the desk says when it opens, as the shopper's reservations do.
 */
import type { PickupSlot, Reservation } from '../api.ts';
import type { AppContext } from '../app.ts';
import { type BookedTimes, type CheckInHold, checkInExplained, checkInHold } from '../check-in.ts';
import { h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { formatRange, venueDate } from '../time.ts';
import { errorBox, reservationFacts, run, showError, statusBox } from '../ui.ts';
import { venueRules } from '../venue-rules.ts';
import { listAll } from './catalog.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function slotDeskView(
  ctx: AppContext,
  main: HTMLElement,
  params: Record<string, string>,
  query: URLSearchParams,
) {
  const slotId = params.slotId ?? '';
  // the slots screen's link says the slot's day: its slots (route 5) name an empty slot too
  const day = DATE.test(query.get('date') ?? '') ? (query.get('date') as string) : undefined;
  const errors = errorBox();
  const notice = statusBox();
  const list = h('ul', { class: 'cards' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('loadMore'));
  const [rules, slot] = await Promise.all([venueRules(ctx), day ? slotOn(ctx, day, slotId) : undefined]);
  const window = rules.checkInWindowMinutes;
  let times: BookedTimes | undefined = slot;
  let opening: CheckInHold | undefined;
  let cursor: string | undefined;

  const card = (reservation: Reservation): HTMLElement => {
    const order = reservation.orderRef ?? reservation.reservationId.slice(0, 8);
    const li = h(
      'li',
      { class: 'card', 'data-reservation': reservation.reservationId },
      h('h2', { tabindex: -1 }, order),
      reservationFacts(reservation),
    );
    if (reservation.status !== 'confirmed') return li;
    const checkIn = h('button', { type: 'button', 'aria-label': `${t('checkIn')}: ${order}` }, t('checkIn'));
    const cardErrors = errorBox();
    let replaced: HTMLElement | undefined;
    checkIn.addEventListener('click', () =>
      run(
        checkIn,
        cardErrors,
        async () => {
          // too early or too late: said by the booked times, not as a generic wrong state
          const result = await checkInExplained(ctx, reservation, window, cardErrors, () =>
            ctx.api.checkIn(reservation.reservationId),
          );
          if (!result) return;
          replaced = card(result.reservation);
          li.replaceWith(replaced);
          replace(
            notice,
            result.ticket ? t('deskCheckedInTicket', { order }) : t('deskCheckedIn', { order }),
          );
        },
        { focus: () => replaced?.querySelector('h2') },
      ),
    );
    opening?.hold(checkIn);
    li.append(h('div', { class: 'actions' }, checkIn), cardErrors);
    return li;
  };

  const loadPage = async () => {
    const page = await ctx.api.slotReservations(slotId, { limit: 100, cursor });
    cursor = page.nextCursor;
    more.hidden = cursor === undefined;
    // without the slot's day, its first order tells its times (every order has the slot's)
    const first = page.items[0];
    if (!times && first) {
      times = first;
      opening = checkInHold(ctx, times, window);
    }
    list.append(...page.items.map(card));
    if (list.children.length === 0) replace(notice, t('deskEmpty'));
  };
  // the last page hides the button: focus goes on to the first order it brought
  more.addEventListener('click', () => {
    const before = list.childElementCount;
    void run(more, errors, loadPage, { focus: () => list.children[before]?.querySelector('h2') });
  });

  if (times) opening = checkInHold(ctx, times, window);
  try {
    await loadPage();
  } catch (error) {
    showError(errors, error);
  }
  const { timezone } = ctx.config;
  // back to the day this slot is on
  const backDay = times ? venueDate(new Date(times.startsAt), timezone) : day;
  const back = h('a', { href: backDay ? `#/operator/slots?date=${backDay}` : '#/operator/slots' }, t('back'));
  // the heading names the slot, and with it the tab's title: one desk per tab is told apart
  const heading = times
    ? t('pickupDeskAt', { time: formatRange(times.startsAt, times.endsAt, timezone, ctx.locale()) })
    : t('pickupDesk');
  replace(main, h('h1', {}, heading), h('p', {}, back), opening?.note, notice, errors, list, more);
}

/** The slot `slotId` among the venue's slots of `date` (route 5), or none when it is not there or cannot be read. */
async function slotOn(ctx: AppContext, date: string, slotId: string): Promise<PickupSlot | undefined> {
  try {
    const slots = await listAll((cursor) =>
      ctx.api.listSlots(ctx.config.venueId, date, { limit: 100, cursor }),
    );
    return slots.find((slot) => slot.slotId === slotId);
  } catch {
    // only the heading needs it: the desk still shows the orders, and their times
    return undefined;
  }
}
