/**
 * Shared pieces of the screens: error and status boxes, labels for the contract's enums, and
 * the catalog card.
 */
import { ApiError, type CatalogItem } from './api.ts';
import type { AppContext } from './app.ts';
import { h, replace } from './dom.ts';
import { errorMessage, type MessageKey, t } from './i18n.ts';
import { formatPrice, formatRange, formatTime } from './time.ts';

/** An assertive region for errors (role=alert), empty until something fails. */
export function errorBox(): HTMLElement {
  return h('div', { class: 'error', role: 'alert' });
}

/** A polite region for confirmations (role=status). */
export function statusBox(): HTMLElement {
  return h('div', { class: 'notice', role: 'status' });
}

/** Shows an API error in the reader's language, with field details for validation errors. */
export function showError(box: HTMLElement, error: unknown): void {
  if (!(error instanceof ApiError)) {
    replace(box, t('errorGeneric'));
    return;
  }
  if (error.code === 'NETWORK') {
    replace(box, t('errorNetwork'));
    return;
  }
  const details = error.details
    .filter((d) => d.message)
    .map((d) => h('li', {}, d.path ? `${d.path}: ${d.message}` : String(d.message)));
  replace(box, h('p', {}, errorMessage(error.code)), details.length > 0 && h('ul', {}, ...details));
}

/** Runs an action with the button disabled and errors shown in `box`; returns whether it succeeded. */
export async function run(
  button: HTMLButtonElement | null,
  box: HTMLElement,
  action: () => Promise<void>,
): Promise<boolean> {
  box.replaceChildren();
  if (button) button.disabled = true;
  try {
    await action();
    return true;
  } catch (error) {
    showError(box, error);
    return false;
  } finally {
    if (button) button.disabled = false;
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

export const reservationStatusLabel = labelFrom({
  confirmed: 'statusConfirmed',
  checked_in: 'statusCheckedIn',
  completed: 'statusCompleted',
  cancelled: 'statusCancelled',
  no_show: 'statusNoShow',
});

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
    h(heading, {}, h('a', { href: `#/events/${encodeURIComponent(item.eventId)}` }, item.title)),
    when && h('p', {}, when),
    item.priceCents !== undefined && h('p', {}, formatPrice(item.priceCents, ctx.locale())),
    placesText(item) && h('p', { class: 'places' }, placesText(item)),
  );
}

/** A fresh Idempotency-Key: one per rendered form, so a double submit books once. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
