/**
 * The live queue board: each lane with its planned tickets and a "call next" button, the
 * called tickets with served / no-show, and the stats. Polled every few seconds; lanes and
 * ticket rows are updated in place (keyed by id) so keyboard focus survives a refresh.
 */
import type { BoardLane, QueueBoard, QueueTicket } from '../api.ts';
import type { AppContext } from '../app.ts';
import { h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { formatTime } from '../time.ts';
import {
  errorBox,
  focusFirst,
  hold,
  labelFrom,
  laneFlags,
  PollFailures,
  release,
  run,
  serviceLabel,
  showError,
  statusBox,
} from '../ui.ts';

const POLL_MS = 3000;

/** The lane's planned tickets in plan order, whether the board nests them or lists them flat. */
export function plannedFor(board: QueueBoard, lane: BoardLane): QueueTicket[] {
  const nested = lane.tickets ?? lane.planned;
  const tickets = nested ?? (board.waiting ?? []).filter((ticket) => ticket.laneId === lane.laneId);
  return tickets
    .filter((ticket) => ticket.status === 'waiting')
    .sort((a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER));
}

/** Called tickets, from the board's own list or gathered from lanes. */
export function calledTickets(board: QueueBoard): QueueTicket[] {
  if (board.called) return board.called;
  const all = [
    ...(board.waiting ?? []),
    ...(board.lanes ?? []).flatMap((l) => [...(l.tickets ?? l.planned ?? []), ...(l.called ?? [])]),
  ];
  const seen = new Map(all.filter((ticket) => ticket.status === 'called').map((x) => [x.ticketId, x]));
  return [...seen.values()];
}

function ticketLabel(ctx: AppContext, ticket: QueueTicket): string {
  const parts = [
    `#${ticket.ticketId.slice(0, 8)}`,
    serviceLabel(ticket.serviceKind),
    t('partyOf', { n: ticket.partySize }),
  ];
  if (ticket.orderRef) parts.splice(2, 0, ticket.orderRef);
  if (ticket.accessibility) parts.push('♿');
  if (ticket.etaAt && ticket.status === 'waiting') {
    parts.push(`${t('eta')} ${formatTime(ticket.etaAt, ctx.config.timezone, ctx.locale())}`);
  }
  return parts.join(' · ');
}

const statLabel = labelFrom({
  waiting: 'statWaiting',
  called: 'statCalled',
  unplanned: 'statUnplanned',
  longestWaitMinutes: 'statLongestWait',
  predictedWaitMinutes: 'statPredictedWait',
});

/**
 * What the board says of the queue planner: nothing while it runs (or when the API does not
 * say), else that it has stopped and since when.
 */
export function plannerWarning(planner: QueueBoard['planner'], timeZone: string, locale: string): string {
  if (planner?.running !== false) return '';
  return planner.seenAt === undefined
    ? t('plannerNeverRan')
    : t('plannerStopped', { time: formatTime(planner.seenAt, timeZone, locale) });
}

export async function queueBoardView(ctx: AppContext, main: HTMLElement) {
  const { venueId } = ctx.config;
  const errors = errorBox();
  const notice = statusBox();
  // an alert, changed only when what it says changes: announced once, not at every poll
  const plannerEl = h('div', { class: 'warning', role: 'alert' });
  const lanesEl = h('div', { class: 'lanes' });
  const calledList = h('ul', { class: 'called-list' });
  const statsEl = h('dl', { class: 'stats' });
  const unplannedList = h('ul', { class: 'unplanned' });
  const laneEls = new Map<
    string,
    { section: HTMLElement; list: HTMLElement; title: HTMLElement; call: HTMLButtonElement }
  >();
  const calledEls = new Map<string, HTMLElement>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const laneSection = (lane: BoardLane) => {
    const title = h('h2', { id: `lane-${lane.laneId}` });
    const list = h('ol', { class: 'planned' });
    const call = h('button', { type: 'button', 'data-lane': lane.laneId }, t('callNext'));
    call.setAttribute('aria-label', `${t('callNext')} · ${t('lane')} ${lane.laneId}`);
    // held while the lane is closed (see holdWhileClosed): run() does not start it then
    call.addEventListener('click', () =>
      run(call, errors, async () => {
        const ticket = await ctx.api.callNext(venueId, lane.laneId);
        replace(notice, ticket ? `${t('ticketCalled')}: ${ticketLabel(ctx, ticket)}` : t('nobodyWaiting'));
        await refresh();
      }),
    );
    const section = h(
      'section',
      { class: 'lane', 'aria-labelledby': title.id, 'data-lane': lane.laneId },
      title,
      list,
      call,
    );
    return { section, list, title, call };
  };

  const calledRow = (ticket: QueueTicket) => {
    const laneId = ticket.calledLaneId ?? ticket.laneId ?? '';
    const li = h('li', { 'data-ticket': ticket.ticketId, 'data-lane': laneId });
    const label = h('span', {}, `${ticketLabel(ctx, ticket)} · ${t('lane')} ${laneId}`);
    // the row goes once the ticket is done: focus moves on to its lane's "call next"
    const complete = (outcome: 'served' | 'no_show', button: HTMLButtonElement) =>
      run(
        button,
        errors,
        async () => {
          await ctx.api.completeTicket(ticket.ticketId, outcome);
          await refresh();
        },
        { focus: () => laneEls.get(laneId)?.call },
      );
    const served = h('button', { type: 'button', 'data-outcome': 'served' }, t('served'));
    const noShow = h(
      'button',
      { type: 'button', class: 'secondary', 'data-outcome': 'no_show' },
      t('noShow'),
    );
    served.setAttribute('aria-label', `${t('served')}: #${ticket.ticketId.slice(0, 8)}`);
    noShow.setAttribute('aria-label', `${t('noShow')}: #${ticket.ticketId.slice(0, 8)}`);
    served.addEventListener('click', () => complete('served', served));
    noShow.addEventListener('click', () => complete('no_show', noShow));
    li.append(label, h('span', { class: 'actions' }, served, noShow));
    return li;
  };

  const draw = (board: QueueBoard) => {
    for (const lane of board.lanes ?? []) {
      let entry = laneEls.get(lane.laneId);
      if (!entry) {
        entry = laneSection(lane);
        laneEls.set(lane.laneId, entry);
        lanesEl.append(entry.section);
      }
      entry.title.textContent = laneTitle(lane, ctx.config.timezone, ctx.locale());
      holdWhileClosed(entry.call, entry.title, lane.open === false);
      const planned = plannedFor(board, lane);
      replace(
        entry.list,
        ...(planned.length > 0
          ? planned.map((ticket) => h('li', { 'data-ticket': ticket.ticketId }, ticketLabel(ctx, ticket)))
          : [h('li', { class: 'empty' }, t('nobodyWaiting'))]),
      );
    }
    const unplanned = (board.waiting ?? []).filter((ticket) => !ticket.laneId);
    replace(
      unplannedList,
      ...(unplanned.length > 0
        ? unplanned.map((ticket) => h('li', { 'data-ticket': ticket.ticketId }, ticketLabel(ctx, ticket)))
        : [h('li', { class: 'empty' }, t('none'))]),
    );
    const called = calledTickets(board);
    const keep = new Set(called.map((ticket) => ticket.ticketId));
    for (const [id, el] of calledEls) {
      if (!keep.has(id)) {
        // done elsewhere (another desk) while the reader was on its Served / No-show: focus
        // moves on to its lane's "call next" rather than falling to the page's body
        const focused = el.contains(document.activeElement);
        el.remove();
        calledEls.delete(id);
        if (focused) focusFirst(laneEls.get(el.dataset.lane ?? '')?.call, main.querySelector('h1'));
      }
    }
    for (const ticket of called) {
      if (!calledEls.has(ticket.ticketId)) {
        const row = calledRow(ticket);
        calledEls.set(ticket.ticketId, row);
        calledList.append(row);
      }
    }
    const warning = plannerWarning(board.planner, ctx.config.timezone, ctx.locale());
    if (plannerEl.textContent !== warning) replace(plannerEl, warning);
    replace(
      statsEl,
      ...Object.entries(board.stats ?? {})
        .filter(([, value]) => typeof value === 'number' || typeof value === 'string')
        .flatMap(([name, value]) => [h('dt', {}, statLabel(name)), h('dd', {}, String(value))]),
    );
  };

  const failures = new PollFailures();
  const refresh = async () => {
    try {
      draw(await ctx.api.queueBoard(venueId));
      if (failures.recovered()) errors.replaceChildren();
    } catch (error) {
      if (failures.failed(error)) showError(errors, error);
    }
  };
  const poll = async () => {
    await refresh();
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  };
  ctx.onLeave(() => {
    stopped = true;
    clearTimeout(timer);
  });

  await refresh();
  replace(
    main,
    h('h1', {}, t('boardTitle')),
    plannerEl,
    notice,
    errors,
    lanesEl,
    h(
      'section',
      { 'aria-labelledby': 'called-heading' },
      h('h2', { id: 'called-heading' }, t('calledTickets')),
      calledList,
    ),
    h(
      'section',
      { 'aria-labelledby': 'unplanned-heading' },
      h('h2', { id: 'unplanned-heading' }, t('statUnplanned')),
      unplannedList,
    ),
    h(
      'section',
      { 'aria-labelledby': 'stats-heading' },
      h('h2', { id: 'stats-heading' }, t('stats')),
      statsEl,
    ),
  );
  timer = setTimeout(poll, POLL_MS);
}

/**
 * A closed lane calls nobody (the API answers 409): its "call next" is held (`hold`: it says
 * `aria-disabled`, is described by the lane's heading, which says "closed", and `run` does not
 * start it); the keyboard still reaches it, as it does a check-in that has not opened.
 */
function holdWhileClosed(call: HTMLButtonElement, title: HTMLElement, closed: boolean): void {
  if (closed) hold(call, title);
  else release(call);
}

/** A lane's heading on the board: its kinds, accessible, closed (and when it is announced back). */
export function laneTitle(lane: BoardLane, timeZone: string, locale: string): string {
  const flags = laneFlags(lane, timeZone, locale);
  return `${t('lane')} ${lane.laneId}${flags.length > 0 ? ` — ${flags.join(' · ')}` : ''}`;
}
