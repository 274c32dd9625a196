/**
 * The virtual queue for shoppers: join for a service, then follow the live ticket — position,
 * ETA, lane, and "you're being called" — polled every few seconds without a reload. Changes
 * are announced through a polite aria-live region, only when something a person cares about
 * changed (so a screen reader is not flooded on every poll).
 */
import type { QueueTicket } from '../api.ts';
import type { AppContext } from '../app.ts';
import { checkbox, field, formChecked, h, replace, select } from '../dom.ts';
import { namedFields } from '../field-errors.ts';
import { t } from '../i18n.ts';
import { activeTicket } from '../my-ticket.ts';
import { formatTime } from '../time.ts';
import {
  confirmAction,
  errorBox,
  focusLost,
  isBusy,
  PollFailures,
  run,
  SERVICE_KINDS,
  serviceLabel,
  showError,
} from '../ui.ts';
import { type ServiceOffer, type VenueRulesView, venueRules } from '../venue-rules.ts';

const POLL_MS = 2000;

/** What the live region says for a ticket; the same text twice is not repeated. */
export function ticketAnnouncement(ticket: QueueTicket, timeZone: string, locale: string): string {
  switch (ticket.status) {
    case 'called':
      return t('beingCalled', { lane: ticket.calledLaneId ?? ticket.laneId ?? '' });
    case 'done':
      return t('ticketDone');
    case 'left':
      return t('ticketLeft');
    case 'no_show':
      return t('ticketNoShow');
    default:
      if (ticket.position === undefined) return t('planning');
      return t('positionAnnounce', {
        position: ticket.position,
        eta: ticket.etaAt ? formatTime(ticket.etaAt, timeZone, locale) : '—',
      });
  }
}

export async function queueView(ctx: AppContext, main: HTMLElement) {
  const live = h('div', { class: 'live', 'aria-live': 'polite', 'aria-atomic': 'true', id: 'ticket-live' });
  const errors = errorBox();
  const rules = venueRules(ctx);
  let ticket: QueueTicket | undefined;
  try {
    ticket = await activeTicket(ctx.api, ctx.config.venueId);
  } catch (error) {
    showError(errors, error);
  }
  const venue = await rules;
  if (ticket) followTicket(ctx, main, ticket, live, errors, venue);
  else joinForm(ctx, main, live, errors, venue);
}

function joinForm(
  ctx: AppContext,
  main: HTMLElement,
  live: HTMLElement,
  errors: HTMLElement,
  venue: VenueRulesView,
  previous?: QueueTicket,
): void {
  // the services this venue's queue takes, with the time each takes at the counter, when its
  // profile could be read
  const offers: ServiceOffer[] = venue.services ?? SERVICE_KINDS.map((serviceKind) => ({ serviceKind }));
  const service = select(
    'serviceKind',
    offers.map((o): [string, string] => [
      o.serviceKind,
      o.expectedMinutes === undefined
        ? serviceLabel(o.serviceKind)
        : t('serviceMinutes', { service: serviceLabel(o.serviceKind), minutes: o.expectedMinutes }),
    ]),
  );
  const partySize = h('input', {
    type: 'number',
    name: 'partySize',
    min: 1,
    max: venue.maxPartySize,
    value: 1,
  });
  const button = h('button', { type: 'submit' }, t('joinQueue'));
  const form = h(
    'form',
    { class: 'stack', 'aria-label': t('joinQueue') },
    field(t('serviceKind'), service),
    field(t('partySize'), partySize),
    checkbox(t('needsAccessibility'), 'accessibility', false),
    button,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await run(
      button,
      errors,
      async () => {
        const ticket = await ctx.api.joinQueue(ctx.config.venueId, {
          serviceKind: service.value,
          partySize: Number(partySize.value),
          accessibility: formChecked(form, 'accessibility'),
        });
        followTicket(ctx, main, ticket, live, errors, venue);
      },
      { fields: namedFields(form), focus: () => live },
    );
  });
  // Pre-tick the accessible lane for shoppers whose preferences say so (until they touch it).
  const accessible = form.querySelector<HTMLInputElement>('input[name="accessibility"]');
  let touched = false;
  accessible?.addEventListener('change', () => {
    touched = true;
  });
  ctx.api
    .getPreferences()
    .then((prefs) => {
      if (accessible && !touched) accessible.checked = prefs.accessibility;
    })
    .catch(() => undefined);
  if (previous) live.textContent = ticketAnnouncement(previous, ctx.config.timezone, ctx.locale());
  replace(main, h('h1', {}, t('queueTitle')), live, form, errors);
}

function followTicket(
  ctx: AppContext,
  main: HTMLElement,
  first: QueueTicket,
  live: HTMLElement,
  errors: HTMLElement,
  venue: VenueRulesView,
): void {
  const { timezone } = ctx.config;
  const position = h('dd', { id: 'ticket-position' });
  const eta = h('dd', { id: 'ticket-eta' });
  const lane = h('dd', { id: 'ticket-lane' });
  const status = h('dd', { id: 'ticket-status' });
  const leave = h('button', { type: 'button', class: 'secondary' }, t('leaveQueue'));
  const panel = h(
    'section',
    { class: 'ticket', 'aria-labelledby': 'ticket-heading' },
    h('h2', { id: 'ticket-heading' }, t('yourTicket'), ' · ', serviceLabel(first.serviceKind)),
    h(
      'dl',
      {},
      h('dt', {}, t('status')),
      status,
      h('dt', {}, t('position')),
      position,
      h('dt', {}, t('eta')),
      eta,
      h('dt', {}, t('lane')),
      lane,
    ),
    leave,
  );
  live.setAttribute('tabindex', '-1');
  let lastSaid = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const show = (ticket: QueueTicket) => {
    const called = ticket.status === 'called';
    panel.classList.toggle('called', called);
    status.textContent = called ? t('ticketCalled') : t('ticketWaiting');
    position.textContent = ticket.position !== undefined && !called ? String(ticket.position) : '—';
    eta.textContent = ticket.etaAt && !called ? formatTime(ticket.etaAt, timezone, ctx.locale()) : '—';
    lane.textContent = ticket.calledLaneId ?? ticket.laneId ?? '—';
    const said = ticketAnnouncement(ticket, timezone, ctx.locale());
    if (said !== lastSaid) {
      lastSaid = said;
      // being called is the one news that must not wait for the reader to pause
      live.setAttribute('aria-live', called ? 'assertive' : 'polite');
      live.textContent = said;
    }
    // and a shopper who has switched tabs sees it in the tab's title, on every poll: the router
    // titles the screen after its first draw, which may already show the call
    const title = `${t('queueTitle')} · ${t('appName')}`;
    document.title = called ? `${t('ticketCalled')} · ${title}` : title;
    if (ticket.status !== 'waiting' && ticket.status !== 'called') {
      stopped = true;
      joinForm(ctx, main, live, errors, venue, ticket);
      // a poll that ends the ticket removes the Leave button the reader may be on: focus goes
      // to what it says instead of falling to the page's body
      if (focusLost()) live.focus();
    }
  };

  const failures = new PollFailures();
  const poll = async () => {
    if (stopped) return;
    try {
      const ticket = await ctx.api.getTicket(first.ticketId);
      // the shopper may have left (or left the screen) while this poll was in flight
      if (stopped) return;
      if (failures.recovered()) errors.replaceChildren();
      show(ticket);
    } catch (error) {
      if (failures.failed(error)) showError(errors, error);
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  };

  leave.addEventListener('click', async () => {
    if (isBusy(leave)) return;
    if (!(await confirmAction(t('confirmLeaveQueue'), t('confirmLeaveYes'), t('stayInQueue')))) {
      leave.focus();
      return;
    }
    await run(
      leave,
      errors,
      async () => {
        const left = await ctx.api.leaveQueue(first.ticketId);
        stopped = true;
        clearTimeout(timer);
        show(left);
      },
      { focus: () => live },
    );
  });
  ctx.onLeave(() => {
    stopped = true;
    clearTimeout(timer);
  });

  replace(main, h('h1', {}, t('queueTitle')), live, panel, errors);
  show(first);
  timer = setTimeout(poll, POLL_MS);
}
