/**
 * My reservations, newest first, paged with the API's cursor; each confirmed one can be
 * cancelled or checked in. A pickup check-in opens a queue ticket, which the queue screen follows.
 */
import { ApiError, type CatalogItem, type Reservation } from '../api.ts';
import type { AppContext } from '../app.ts';
import { checkInExplained, checkInHold } from '../check-in.ts';
import { h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { activeTicket } from '../my-ticket.ts';
import { formatRange } from '../time.ts';
import { confirmAction, errorBox, isBusy, reservationFacts, run, showError, statusBox } from '../ui.ts';
import { venueRules } from '../venue-rules.ts';

export async function reservationsView(ctx: AppContext, main: HTMLElement) {
  const { timezone } = ctx.config;
  const errors = errorBox();
  const notice = statusBox();
  const list = h('ul', { class: 'cards' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('loadMore'));
  const items = new Map<string, Promise<CatalogItem | undefined>>();
  const rules = venueRules(ctx);
  let cursor: string | undefined;

  const itemOf = (reservation: Reservation): Promise<CatalogItem | undefined> => {
    const id = reservation.eventId ?? '';
    if (!items.has(id))
      items.set(
        id,
        ctx.api.getItem(id).catch(() => undefined),
      );
    return items.get(id) as Promise<CatalogItem | undefined>;
  };

  const card = async (reservation: Reservation): Promise<HTMLElement> => {
    const item = reservation.type === 'event' ? await itemOf(reservation) : undefined;
    const title =
      reservation.type === 'pickup'
        ? t('pickupOf', { orderRef: reservation.orderRef ?? '' })
        : (item?.title ?? reservation.eventId ?? '');
    const window = (await rules).checkInWindowMinutes;
    const eventCancelled = item?.status === 'cancelled';
    const li = h('li', { class: 'card' });
    const actionErrors = errorBox();
    const actions = h('div', { class: 'actions' });
    let replaced: HTMLElement | undefined;
    let opening: HTMLElement | undefined;
    const replacedHeading = () => replaced?.querySelector('h2');
    if (reservation.status === 'confirmed') {
      const checkIn = h('button', { type: 'button' }, t('checkIn'));
      const cancel = h('button', { type: 'button', class: 'secondary' }, t('cancelReservation'));
      checkIn.setAttribute('aria-label', `${t('checkIn')}: ${title}`);
      cancel.setAttribute('aria-label', `${t('cancelReservation')}: ${title}`);
      checkIn.addEventListener('click', () =>
        run(
          checkIn,
          actionErrors,
          async () => {
            const result = await checkInExplained(ctx, reservation, window, actionErrors, () =>
              checkInOrSwap(ctx, reservation),
            );
            if (!result) return;
            replaced = await card(result.reservation);
            li.replaceWith(replaced);
            replace(
              notice,
              t('checkedIn'),
              // the space between the sentence and the link is not part of the link's name
              result.ticket && ' ',
              result.ticket && h('a', { href: '#/queue' }, t('followTicket')),
            );
          },
          { focus: replacedHeading },
        ),
      );
      cancel.addEventListener('click', async () => {
        if (isBusy(cancel)) return;
        if (!(await confirmAction(t('confirmCancel'), t('confirmCancelYes'), t('keepReservation')))) {
          cancel.focus();
          return;
        }
        await run(
          cancel,
          actionErrors,
          async () => {
            replaced = await card(await ctx.api.cancelReservation(reservation.reservationId));
            li.replaceWith(replaced);
            replace(notice, t('cancelled'));
          },
          { focus: replacedHeading },
        );
      });
      if (!eventCancelled) {
        actions.append(checkIn);
        const held = checkInHold(ctx, reservation, window);
        held?.hold(checkIn);
        opening = held?.note;
      }
      actions.append(cancel);
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
      h('h2', { tabindex: -1 }, heading),
      h('p', {}, formatRange(reservation.startsAt, reservation.endsAt, timezone, ctx.locale())),
      reservationFacts(reservation),
      eventCancelled && h('p', { class: 'status-cancelled' }, t('eventCancelled')),
      opening,
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
  more.addEventListener('click', () => {
    const before = list.childElementCount;
    void run(more, errors, loadPage, { focus: () => list.children[before]?.querySelector('h2') });
  });

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
