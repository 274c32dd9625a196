/**
 * Wall-clock time in a venue's time zone, with Intl only (no date library in the bundle).
 * Local times are converted to instants through the zone's offset at that moment, so slot
 * generation and opening hours stay right across daylight-saving changes.
 */
import type { VenueRules, Weekday } from '../domain/rules.ts';

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(ms: number, timeZone: string): Record<string, number> {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  return Object.fromEntries(parts.filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(
    w.year ?? 0,
    (w.month ?? 1) - 1,
    w.day ?? 1,
    w.hour ?? 0,
    w.minute ?? 0,
    w.second ?? 0,
  );
  return asUtc - (ms - (ms % 1000));
}

/** `YYYY-MM-DD` shifted by whole days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

/**
 * The instant of a local date and `HH:MM` (`24:00` is the next midnight). A time skipped by a
 * spring-forward change maps to the instant after the gap; a repeated time maps to its first
 * occurrence.
 */
export function localToInstant(date: string, time: string, timeZone: string): Date {
  const [h, min] = time.split(':').map(Number);
  const [y, m, d] = date.split('-').map(Number);
  const naive = Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1, h ?? 0, min ?? 0);
  const first = naive - offsetAt(naive, timeZone);
  const second = naive - offsetAt(first, timeZone);
  // the earlier of the candidates that still reads back as the requested wall time
  const candidates = [Math.min(first, second), Math.max(first, second)];
  const exact = candidates.find((c) => c + offsetAt(c, timeZone) === naive);
  return new Date(exact ?? Math.max(first, second));
}

/** The local date, weekday and minutes since local midnight of an instant. */
export function localParts(
  instant: Date,
  timeZone: string,
): { date: string; weekday: Weekday; minutes: number } {
  const w = wallClock(instant.getTime(), timeZone);
  const date = `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
  const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? 'sun';
  return { date, weekday, minutes: (w.hour ?? 0) * 60 + (w.minute ?? 0) };
}

export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? 'sun';
}

/** `HH:MM` → minutes since midnight (`24:00` → 1440). */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The venue's opening hours of a local date, or undefined when it is closed that day. */
export function hoursOn(venue: VenueRules, date: string): [string, string] | undefined {
  if (venue.closedDates.includes(date)) return undefined;
  return venue.hours[weekdayOf(date)];
}

/** Whether the venue is open at an instant, by its local hours and closed dates. */
export function isOpenAt(venue: VenueRules, instant: Date): boolean {
  const local = localParts(instant, venue.timezone);
  const hours = hoursOn(venue, local.date);
  if (!hours) return false;
  return local.minutes >= minutesOf(hours[0]) && local.minutes < minutesOf(hours[1]);
}

/**
 * When the venue next closes, seen from an instant: the end of the opening hours in force, or
 * the instant itself when it is closed. Hours that end at 24:00 and go on from 00:00 the next
 * day run on (a venue open around the clock closes at most a week ahead, as far as it looks).
 */
export function closesAt(venue: VenueRules, instant: Date): Date {
  if (!isOpenAt(venue, instant)) return instant;
  let date = localParts(instant, venue.timezone).date;
  for (let day = 0; day < 7; day++) {
    const hours = hoursOn(venue, date)!;
    const next = addDays(date, 1);
    const continues = hours[1] === '24:00' && hoursOn(venue, next)?.[0] === '00:00';
    if (!continues) return localToInstant(date, hours[1], venue.timezone);
    date = next;
  }
  return localToInstant(date, '00:00', venue.timezone);
}

/**
 * When the opening hours in force began, seen from an instant (the mirror of `closesAt`), or
 * the instant itself when the venue is closed. Hours that start at 00:00 after a day that ran
 * to 24:00 go back to that day's opening (at most a week back).
 */
export function opensAt(venue: VenueRules, instant: Date): Date {
  if (!isOpenAt(venue, instant)) return instant;
  let date = localParts(instant, venue.timezone).date;
  for (let day = 0; day < 7; day++) {
    const hours = hoursOn(venue, date)!;
    const previous = addDays(date, -1);
    const continued = hours[0] === '00:00' && hoursOn(venue, previous)?.[1] === '24:00';
    if (!continued) return localToInstant(date, hours[0], venue.timezone);
    date = previous;
  }
  return localToInstant(date, '00:00', venue.timezone);
}
