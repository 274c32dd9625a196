/**
 * Shared pieces of the screens: error and status boxes, labels for the contract's enums, and
 * the catalog card.
 */
import { ApiError, type CatalogItem, type Reservation } from './api.ts';
import type { AppContext } from './app.ts';
import { h, replace } from './dom.ts';
import { detailText, type FormFields, fieldName, labelOf, setErrorRef } from './field-errors.ts';
import { errorMessage, type MessageKey, t } from './i18n.ts';
import { formatPrice, formatRange, formatTime } from './time.ts';

let errorBoxes = 0;

/** An assertive region for errors (role=alert), empty until something fails. */
export function errorBox(): HTMLElement {
  errorBoxes += 1;
  return h('div', { class: 'error', role: 'alert', id: `error-${errorBoxes}` });
}

/** A polite region for confirmations (role=status). */
export function statusBox(): HTMLElement {
  return h('div', { class: 'notice', role: 'status' });
}

/** How long a live region drawn with its screen waits before it speaks (see `announceDrawn`). */
const ANNOUNCE_DELAY_MS = 150;

/**
 * Writes `text` into a live region that has just been drawn with its screen (a result carried
 * over a navigation: "Created.", "3 slots created."). Screen readers announce a region's
 * changes, not what it held when it appeared, so the text comes a moment after the region.
 */
export function announceDrawn(box: HTMLElement, text: string): void {
  setTimeout(() => {
    if (box.isConnected) box.textContent = text;
  }, ANNOUNCE_DELAY_MS);
}

/**
 * Shows an API error in the reader's language. Validation details that name a field of
 * `fields` mark it invalid and describe it by its message, as does an error whose code
 * `codeFields` ties to one of them; returns the first such field.
 */
export function showError(
  box: HTMLElement,
  error: unknown,
  fields: FormFields = {},
  codeFields: Record<string, string> = {},
): HTMLElement | undefined {
  if (!(error instanceof ApiError)) {
    replace(box, t('errorGeneric'));
    return undefined;
  }
  if (error.code === 'NETWORK') {
    replace(box, t('errorNetwork'));
    return undefined;
  }
  let first: HTMLElement | undefined;
  const details = error.details
    .filter((d) => d.message)
    .map((detail, i) => {
      const name = fieldName(detail.path ?? '', Object.keys(fields));
      const control = name ? fields[name] : undefined;
      const item = h('li', { id: `${box.id}-${i}` }, detailText(detail, control && labelOf(control)));
      if (control) {
        setErrorRef(control, item.id);
        first ??= control;
      }
      return item;
    });
  const message = h('p', { id: `${box.id}-${details.length}` }, errorMessage(error.code));
  // a refusal about one field (a capacity below what is booked) marks that field like a detail
  const about = fields[codeFields[error.code] ?? ''];
  if (about && !first) {
    setErrorRef(about, message.id);
    first = about;
  }
  replace(box, message, details.length > 0 && h('ul', {}, ...details));
  return first;
}

export interface RunOptions {
  /** a confirmation box, emptied when the action starts (an old success never stands beside a new try) */
  status?: HTMLElement;
  /** the form's fields, marked by a VALIDATION_FAILED answer (the first one takes focus) */
  fields?: FormFields;
  /** refusals about one of `fields` without a detail naming it: the error code → the field's name */
  codeFields?: Record<string, string>;
  /** where focus goes after a success that removed the button (a replaced card, a removed row) */
  focus?: () => HTMLElement | null | undefined;
}

/**
 * Runs an action with its button busy and errors shown in `box`; returns whether it succeeded
 * (false at once while the button's previous action still runs, or it says `aria-disabled`). The busy button keeps the
 * keyboard focus: it says `aria-disabled` and `aria-busy` instead of turning `disabled`, which
 * would drop the focus to the page's body for as long as the API takes. Focus is never left on
 * the body, nor on a hidden or removed element: when the action lost it (replaced content, a
 * button that hid itself) it goes to `options.focus`, else back to the button, else to the
 * screen's heading.
 */
export async function run(
  button: HTMLButtonElement | null,
  box: HTMLElement,
  action: () => Promise<void>,
  options: RunOptions = {},
): Promise<boolean> {
  // busy with its previous action, or held (a check-in whose window has not opened)
  if (button && (isBusy(button) || isHeld(button))) return false;
  box.replaceChildren();
  options.status?.replaceChildren();
  for (const control of Object.values(options.fields ?? {})) setErrorRef(control, undefined);
  setBusy(button, true);
  let ok = false;
  let invalid: HTMLElement | undefined;
  try {
    await action();
    ok = true;
  } catch (error) {
    invalid = showError(box, error, options.fields, options.codeFields);
  } finally {
    setBusy(button, false);
  }
  if (invalid) invalid.focus();
  else if (focusLost()) focusFirst(ok ? options.focus?.() : undefined, button, screenHeading(box));
  return ok;
}

/** Whether the button's action is still running (see `run`). */
export function isBusy(button: HTMLButtonElement): boolean {
  return button.getAttribute('aria-busy') === 'true';
}

/**
 * Busy says `aria-busy` and `aria-disabled`; once done, the button stays `aria-disabled` if it
 * was held meanwhile (a lane closed while its "Call next" ran), as `hold` asked.
 */
function setBusy(button: HTMLButtonElement | null, busy: boolean): void {
  if (!button) return;
  if (busy) {
    button.setAttribute('aria-busy', 'true');
    button.setAttribute('aria-disabled', 'true');
    return;
  }
  button.removeAttribute('aria-busy');
  if (!isHeld(button)) button.removeAttribute('aria-disabled');
}

/** Whether the button is held unavailable (see `hold`). */
export function isHeld(button: HTMLButtonElement): boolean {
  return button.dataset.held !== undefined;
}

/**
 * Holds an action's button unavailable, described by `reason` (the note saying when check-in
 * opens, a lane's heading saying it is closed), until `release`: it says `aria-disabled`
 * rather than turning `disabled`, so the keyboard still reaches it and a screen reader reads
 * why with it; `run()` does not start it. Busy and held are told apart (`aria-busy`,
 * `data-held`), so the end of a busy action never releases a held button.
 */
export function hold(button: HTMLButtonElement, reason: HTMLElement): void {
  button.dataset.held = reason.id;
  button.setAttribute('aria-disabled', 'true');
  button.setAttribute('aria-describedby', reason.id);
}

/** Ends `hold`: the button is available again, unless its action still runs. */
export function release(button: HTMLButtonElement): void {
  if (!isHeld(button)) return;
  delete button.dataset.held;
  button.removeAttribute('aria-describedby');
  if (!isBusy(button)) button.removeAttribute('aria-disabled');
}

/** The `h1` of the screen `element` is on (the router makes it focusable). */
function screenHeading(element: HTMLElement): HTMLElement | null {
  return (element.closest('main') ?? document.getElementById('main'))?.querySelector('h1') ?? null;
}

/** Whether the keyboard focus is nowhere a reader can follow: the body, or a removed or hidden element. */
export function focusLost(): boolean {
  const active = document.activeElement;
  return (
    !active ||
    active === document.body ||
    !active.isConnected ||
    (active instanceof HTMLElement && !isShown(active))
  );
}

/**
 * Whether `element` is rendered: not `display: none`, itself or by an ancestor (`hidden`).
 * `checkVisibility()` where the browser has it; Safari has it only from 17.4 and the site
 * targets Safari 16, where an element that renders no box is the same test.
 */
export function isShown(element: Element): boolean {
  return typeof element.checkVisibility === 'function'
    ? element.checkVisibility()
    : element.getClientRects().length > 0;
}

/** Focuses the first of `candidates` that takes the focus (connected, shown, focusable). */
export function focusFirst(...candidates: (HTMLElement | null | undefined)[]): void {
  for (const candidate of candidates) {
    if (!candidate?.isConnected || !isShown(candidate)) continue;
    candidate.focus();
    if (document.activeElement === candidate) return;
  }
}

/**
 * Asks before an action that cannot be undone, in a modal dialog (the browser's own: focus
 * stays inside, Escape answers no, screen readers announce it). Focus starts on the safe
 * answer. Resolves true only for the confirming button.
 */
export function confirmAction(question: string, yes: string, no: string): Promise<boolean> {
  const text = h('p', { id: `confirm-${Date.now()}` }, question);
  const confirm = h('button', { type: 'button' }, yes);
  const keep = h('button', { type: 'button', class: 'secondary', autofocus: true }, no);
  const dialog = h('dialog', { class: 'confirm' }, text, h('div', { class: 'actions' }, keep, confirm));
  dialog.setAttribute('aria-labelledby', text.id);
  document.body.append(dialog);
  return new Promise((resolve) => {
    const answer = (value: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    confirm.addEventListener('click', () => answer(true));
    keep.addEventListener('click', () => answer(false));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      answer(false);
    });
    dialog.showModal();
    keep.focus();
  });
}

/** A function that names a contract value in the reader's language (unknown values as they are). */
export function labelFrom(keys: Record<string, MessageKey>): (value: string) => string {
  return (value) => {
    const key = keys[value];
    return key ? t(key) : value;
  };
}

export const kindLabel = labelFrom({
  event: 'kindEvent',
  program: 'kindProgram',
  campaign: 'kindCampaign',
  product: 'kindProduct',
});

const reservationStatusLabel = labelFrom({
  confirmed: 'statusConfirmed',
  checked_in: 'statusCheckedIn',
  completed: 'statusCompleted',
  cancelled: 'statusCancelled',
  no_show: 'statusNoShow',
});

/** A reservation's status badge and party size, as its card shows them. */
export function reservationFacts(reservation: Pick<Reservation, 'status' | 'partySize'>): HTMLElement {
  return h(
    'p',
    {},
    h('span', { class: `badge status-${reservation.status}` }, reservationStatusLabel(reservation.status)),
    ` · ${t('partyOf', { n: reservation.partySize })}`,
  );
}

export const itemStatusLabel = labelFrom({
  draft: 'statusDraft',
  published: 'statusPublished',
  cancelled: 'statusCancelledItem',
});

export const SERVICE_KINDS = ['pickup', 'returns', 'consultation'];

export const serviceLabel = labelFrom({
  pickup: 'servicePickup',
  returns: 'serviceReturns',
  consultation: 'serviceConsultation',
});

/** What a lane's heading says of it: its kinds, accessible, closed (and when it is announced back). */
export function laneFlags(
  lane: { serviceKinds?: string[]; accessible?: boolean; open?: boolean; reopensAt?: string },
  timeZone: string,
  locale: string,
): string[] {
  return [
    (lane.serviceKinds ?? []).map(serviceLabel).join(', '),
    lane.accessible ? t('accessibleLane') : '',
    lane.open === false ? t('closedLane') : '',
    lane.open === false && lane.reopensAt
      ? t('laneBackAt', { time: formatTime(lane.reopensAt, timeZone, locale) })
      : '',
  ].filter(Boolean);
}

/** Remaining places, or "Full". */
export function placesText(item: { remaining?: number; capacity?: number }): string {
  if (item.remaining === undefined || item.capacity === undefined) return '';
  return item.remaining > 0 ? t('placesLeft', { n: item.remaining, capacity: item.capacity }) : t('soldOut');
}

/** One catalog item in a list, linking to its detail screen. */
export function itemCard(ctx: AppContext, item: CatalogItem, heading: 'h2' | 'h3' = 'h2'): HTMLElement {
  const tz = ctx.config.timezone;
  const when = item.startsAt && item.endsAt ? formatRange(item.startsAt, item.endsAt, tz, ctx.locale()) : '';
  return h(
    'li',
    { class: `card kind-${item.kind}` },
    h('p', { class: 'tag' }, kindLabel(item.kind), item.category ? ` · ${item.category}` : ''),
    h(
      heading,
      {},
      // the same event on several days has one title: a link names its time too, so that a
      // list of links or headings tells them apart (the title first, as it is shown)
      h(
        'a',
        {
          href: `#/events/${encodeURIComponent(item.eventId)}`,
          'aria-label': when ? `${item.title}, ${when}` : undefined,
        },
        item.title,
      ),
    ),
    when && h('p', {}, when),
    item.priceCents !== undefined && h('p', {}, formatPrice(item.priceCents, ctx.locale())),
    placesText(item) && h('p', { class: 'places' }, placesText(item)),
  );
}

/**
 * The Idempotency-Key of one booking attempt: the same while the same body is sent again (a
 * double submit or a retry after a lost answer books once), a new one once the body changed
 * or the booking succeeded (the next booking is a new attempt).
 */
export class BookingAttempt {
  private key = '';
  private body = '';

  keyFor(body: unknown): string {
    const text = JSON.stringify(body);
    if (!this.key || text !== this.body) {
      this.key = crypto.randomUUID();
      this.body = text;
    }
    return this.key;
  }

  succeeded(): void {
    this.key = '';
  }
}

/**
 * A polling screen's failures: the same failure is shown (and so announced) once while it
 * lasts, not on every poll, and cleared once a poll succeeds again.
 */
export class PollFailures {
  private shown: string | undefined;

  /** Whether this failure is news and should be shown. */
  failed(error: unknown): boolean {
    const key = error instanceof ApiError ? error.code : 'UNKNOWN';
    if (key === this.shown) return false;
    this.shown = key;
    return true;
  }

  /** Whether a shown failure should now be cleared. */
  recovered(): boolean {
    const was = this.shown !== undefined;
    this.shown = undefined;
    return was;
  }
}
