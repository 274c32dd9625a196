/**
 * Times in the venue's time zone. The API speaks UTC ISO instants; people read and type wall
 * times of the venue. Only Intl is used (no time-zone library); wall time → instant is the
 * API's own conversion.
 */
import { addDays, localParts, localToInstant } from '../../src/services/venue-time.ts';

export { addDays };

/**
 * The instant at which the venue's clocks show `date` + `time` (`YYYY-MM-DD`, `HH:MM`): the
 * API's own conversion (src/services/venue-time.ts), tested across DST changes.
 */
export function zonedToUtc(date: string, time: string, timeZone: string): Date {
  return localToInstant(date, time, timeZone);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The venue's calendar date (`YYYY-MM-DD`) at `instant`. */
export function venueDate(instant: Date, timeZone: string): string {
  return localParts(instant, timeZone).date;
}

/** `YYYY-MM-DDTHH:MM` as a `datetime-local` input shows `instant` in the venue's zone. */
export function toLocalInput(iso: string, timeZone: string): string {
  const { date, minutes } = localParts(new Date(iso), timeZone);
  return `${date}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** The UTC ISO instant of a `datetime-local` value read as venue wall time. */
export function fromLocalInput(value: string, timeZone: string): string {
  const [date, time] = value.split('T') as [string, string];
  return zonedToUtc(date, time.slice(0, 5), timeZone).toISOString();
}

/** The UTC bounds `[from, to)` of a venue day, for the API's `from`/`to` filters. */
export function venueDayRange(date: string, timeZone: string): { from: string; to: string } {
  return {
    from: zonedToUtc(date, '00:00', timeZone).toISOString(),
    to: zonedToUtc(addDays(date, 1), '00:00', timeZone).toISOString(),
  };
}

/** "Thu, Nov 26, 3:00 PM" in the venue's zone and the reader's language. */
export function formatDateTime(iso: string, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** "3:00 PM" in the venue's zone. */
export function formatTime(iso: string, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, hour: 'numeric', minute: '2-digit' }).format(
    new Date(iso),
  );
}

/** "3:00 – 4:30 PM" style range; the end's date is shown only when it differs. */
export function formatRange(startIso: string, endIso: string, timeZone: string, locale: string): string {
  const sameDay = venueDate(new Date(startIso), timeZone) === venueDate(new Date(endIso), timeZone);
  const end = sameDay ? formatTime(endIso, timeZone, locale) : formatDateTime(endIso, timeZone, locale);
  return `${formatDateTime(startIso, timeZone, locale)} – ${end}`;
}

/** "Thursday, November 26" for a `YYYY-MM-DD` venue date. */
export function formatDay(date: string, locale: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
  }).format(new Date(Date.UTC(y, m - 1, d, 12)));
}

/** Price in dollars for the reader's language. */
export function formatPrice(cents: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' }).format(cents / 100);
}
