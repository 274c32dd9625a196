/**
 * A check-in's window as the screens show it, the shopper's reservations and the operators'
 * pickup desk alike: a Check in button held until the window opens, with a note saying when,
 * and a refusal (409 INVALID_STATE) worded by the booked times.
 */
import { ApiError } from './api.ts';
import type { AppContext } from './app.ts';
import { h, replace } from './dom.ts';
import { t } from './i18n.ts';
import { formatTime } from './time.ts';
import { hold, release } from './ui.ts';
import { type CheckInWindowMinutes, checkInWindow } from './venue-rules.ts';

const DAY = 86_400_000;
/** numbers the "check-in opens at" notes, for the buttons they describe */
let notes = 0;

/** The booked times a check-in window is counted from (a reservation's, a pickup slot's). */
export interface BookedTimes {
  startsAt: string;
  endsAt: string;
}

/** A check-in window that has not opened: its note, and the buttons it holds until then. */
export interface CheckInHold {
  /** "Check-in opens at 9:30 AM.", which describes the held buttons */
  note: HTMLElement;
  /** holds a Check in button until the window opens (nothing once it has) */
  hold(button: HTMLButtonElement): void;
}

/**
 * The hold of a check-in window that opens later, or undefined when it is open (or closed), or
 * when the rules could not be read (the API then decides, see `checkInRefusal`). At the opening,
 * if the screen is still shown then (and it opens within a day), the note goes and the buttons
 * are released. Held buttons say `aria-disabled`, so that the keyboard still reaches them and
 * a screen reader reads the note with them; `run()` does not start them (see `hold`).
 */
export function checkInHold(
  ctx: AppContext,
  times: BookedTimes,
  window: CheckInWindowMinutes | undefined,
): CheckInHold | undefined {
  const where = checkInWindow(times, window, Date.now());
  if (where.state !== 'early' || !where.opensAt) return undefined;
  notes += 1;
  const time = formatTime(where.opensAt, ctx.config.timezone, ctx.locale());
  const note = h('p', { class: 'hint', id: `check-in-opens-${notes}` }, t('checkInOpensAt', { time }));
  const held: HTMLButtonElement[] = [];
  let opened = false;
  const wait = Date.parse(where.opensAt) - Date.now();
  if (wait < DAY) {
    const timer = setTimeout(() => {
      opened = true;
      for (const button of held) release(button);
      note.remove();
    }, wait);
    ctx.onLeave(() => clearTimeout(timer));
  }
  return {
    note,
    hold: (button) => {
      if (opened) return;
      held.push(button);
      hold(button, note);
    },
  };
}

/**
 * Why the API refused a check-in (409 INVALID_STATE), in words, when the booked times say:
 * not open yet (when it opens, or "shortly before" the start without the rules), or closed.
 * Undefined when the times do not explain it.
 */
export function checkInRefusal(
  ctx: AppContext,
  times: BookedTimes,
  window: CheckInWindowMinutes | undefined,
): string | undefined {
  const { timezone } = ctx.config;
  const where = checkInWindow(times, window, Date.now());
  if (where.state === 'late') return t('checkInClosed');
  if (where.state !== 'early') return undefined;
  return where.opensAt
    ? t('checkInOpensAt', { time: formatTime(where.opensAt, timezone, ctx.locale()) })
    : t('checkInNotYet', { time: formatTime(times.startsAt, timezone, ctx.locale()) });
}

/**
 * Runs a check-in. A refusal the booked times explain (409 INVALID_STATE: not open yet, or
 * closed) is written into `box` in words, as `checkInRefusal` puts it, and answers undefined;
 * any other error is thrown on, for `run()` to show.
 */
export async function checkInExplained<T>(
  ctx: AppContext,
  times: BookedTimes,
  window: CheckInWindowMinutes | undefined,
  box: HTMLElement,
  attempt: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await attempt();
  } catch (error) {
    const why =
      error instanceof ApiError && error.code === 'INVALID_STATE' && checkInRefusal(ctx, times, window);
    if (!why) throw error;
    replace(box, why);
    return undefined;
  }
}
