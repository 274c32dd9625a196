/**
 * Venue-local dates and times for the demo data and the end-to-end suite. The arithmetic is
 * the API's own (src/services/venue-time.ts, tested across daylight-saving changes), so the
 * hub's demo slots and the API agree on every local time.
 */
import { addDays, localParts, localToInstant } from '../services/venue-time.ts';

export { addDays, localToInstant };

/** `YYYY-MM-DD` of `instant` in `timezone`. */
export function localDate(instant: Date, timezone: string): string {
  return localParts(instant, timezone).date;
}
