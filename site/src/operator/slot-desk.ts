/**
 * The pickup desk of one slot (operators): the slot's orders in booking order, each with its
 * party size and status, and a Check in button for each confirmed one. Checking a pickup in
 * opens the shopper's queue ticket with the order (route 10, as an operator), which the
 * shopper then finds on their own device (ADR 0416, 0415).
 */
import type { Reservation } from '../api.ts';
import type { AppContext } from '../app.ts';
import { h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { formatRange, venueDate } from '../time.ts';
import { errorBox, reservationFacts, run, showError, statusBox } from '../ui.ts';

export async function slotDeskView(ctx: AppContext, main: HTMLElement, params: Record<string, string>) {
  const slotId = params.slotId ?? '';
  const errors = errorBox();
  const notice = statusBox();
  const list = h('ul', { class: 'cards' });
  const when = h('p', {});
  const back = h('a', { href: '#/operator/slots' }, t('back'));
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('loadMore'));
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
          const result = await ctx.api.checkIn(reservation.reservationId);
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
    li.append(h('div', { class: 'actions' }, checkIn), cardErrors);
    return li;
  };

  const loadPage = async () => {
    const page = await ctx.api.slotReservations(slotId, { limit: 100, cursor });
    cursor = page.nextCursor;
    more.hidden = cursor === undefined;
    const first = page.items[0];
    if (first && when.textContent === '') {
      when.textContent = formatRange(first.startsAt, first.endsAt, ctx.config.timezone, ctx.locale());
      // back to the day this slot is on
      back.setAttribute(
        'href',
        `#/operator/slots?date=${venueDate(new Date(first.startsAt), ctx.config.timezone)}`,
      );
    }
    list.append(...page.items.map(card));
    if (list.children.length === 0) replace(notice, t('deskEmpty'));
  };
  // the last page hides the button: focus goes on to the first order it brought
  more.addEventListener('click', () => {
    const before = list.childElementCount;
    void run(more, errors, loadPage, { focus: () => list.children[before]?.querySelector('h2') });
  });

  try {
    await loadPage();
  } catch (error) {
    showError(errors, error);
  }
  replace(main, h('h1', {}, t('pickupDesk')), h('p', {}, back), when, notice, errors, list, more);
}
