/**
 * My reservations, newest first, paged with the API's cursor; each confirmed one can be
 * cancelled or checked in. A pickup check-in opens a queue ticket, which the queue screen follows.
 */
import { ApiError, type Reservation } from '../api.ts';
import type { AppContext } from '../app.ts';
import { h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { activeTicket } from '../my-ticket.ts';
import { formatRange } from '../time.ts';
import { confirmAction, errorBox, reservationStatusLabel, run, showError, statusBox } from '../ui.ts';

export async function reservationsView(ctx: AppContext, main: HTMLElement) {
  const errors = errorBox();
  const notice = statusBox();
  const list = h('ul', { class: 'cards' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('loadMore'));
  const titles = new Map<string, Promise<string>>();
  let cursor: string | undefined;

  const titleOf = (reservation: Reservation): Promise<string> => {
    if (reservation.type === 'pickup') {
      return Promise.resolve(t('pickupOf', { orderRef: reservation.orderRef ?? '' }));
    }
    const id = reservation.eventId ?? '';
    if (!titles.has(id))
      titles.set(
        id,
        ctx.api.getItem(id).then(
          (item) => item.title,
          () => id,
        ),
      );
    return titles.get(id) as Promise<string>;
  };

  const card = async (reservation: Reservation): Promise<HTMLElement> => {
    const title = await titleOf(reservation);
    const li = h('li', { class: 'card' });
    const actionErrors = errorBox();
    const actions = h('div', { class: 'actions' });
    if (reservation.status === 'confirmed') {
      const checkIn = h('button', { type: 'button' }, t('checkIn'));
      const cancel = h('button', { type: 'button', class: 'secondary' }, t('cancelReservation'));
      checkIn.setAttribute('aria-label', `${t('checkIn')}: ${title}`);
      cancel.setAttribute('aria-label', `${t('cancelReservation')}: ${title}`);
      checkIn.addEventListener('click', () =>
        run(checkIn, actionErrors, async () => {
          const result = await checkInOrSwap(ctx, reservation);
          li.replaceWith(await card(result.reservation));
          replace(
            notice,
            t('checkedIn'),
            result.ticket ? h('a', { href: '#/queue' }, ` ${t('followTicket')}`) : '',
          );
        }),
      );
      cancel.addEventListener('click', async () => {
        if (!(await confirmAction(t('confirmCancel'), t('confirmCancelYes'), t('keepReservation')))) {
          cancel.focus();
          return;
        }
        await run(cancel, actionErrors, async () => {
          li.replaceWith(await card(await ctx.api.cancelReservation(reservation.reservationId)));
          replace(notice, t('cancelled'));
        });
      });
      actions.append(checkIn, cancel);
    }
    if (reservation.status === 'checked_in' && reservation.type === 'pickup') {
      actions.append(h('a', { href: '#/queue' }, t('followTicket')));
    }
    const heading =
      reservation.type === 'event' && reservation.eventId
        ? h('a', { href: `#/events/${encodeURIComponent(reservation.eventId)}` }, title)
        : title;
    replace(
      li,
      h('h2', {}, heading),
      h('p', {}, formatRange(reservation.startsAt, reservation.endsAt, ctx.config.timezone, ctx.locale())),
      h(
        'p',
        {},
        h(
          'span',
          { class: `badge status-${reservation.status}` },
          reservationStatusLabel(reservation.status),
        ),
        ` · ${t('partyOf', { n: reservation.partySize })}`,
      ),
      actions,
      actionErrors,
    );
    return li;
  };

  const loadPage = async () => {
    const page = await ctx.api.myReservations({ limit: 20, cursor });
    cursor = page.nextCursor;
    list.append(...(await Promise.all(page.items.map(card))));
    more.hidden = !cursor;
    if (list.childElementCount === 0) list.append(h('li', {}, t('none')));
  };
  more.addEventListener('click', () => run(more, errors, loadPage));

  try {
    await loadPage();
  } catch (error) {
    showError(errors, error);
  }
  replace(main, h('h1', {}, t('reservationsTitle')), notice, errors, list, more);
}

/**
 * Checks a reservation in. A pickup check-in opens a queue ticket, and one shopper holds one
 * ticket at a venue (ALREADY_QUEUED): it offers to leave the ticket they hold there (wherever
 * it was opened) and check in, after asking; otherwise the error stands.
 */
async function checkInOrSwap(ctx: AppContext, reservation: Reservation) {
  try {
    return await ctx.api.checkIn(reservation.reservationId);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'ALREADY_QUEUED') throw error;
    const held = await activeTicket(ctx.api, reservation.venueId);
    if (!held) throw error;
    if (!(await confirmAction(t('confirmSwapTicket'), t('confirmSwapYes'), t('keepTicket')))) throw error;
    await ctx.api.leaveQueue(held.ticketId);
    return ctx.api.checkIn(reservation.reservationId);
  }
}
