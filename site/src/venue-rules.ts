/**
 * What the site can know of the venue rules: the venue's public profile, `GET /venues/{venueId}`
 * (ADR 0417), in AWS and locally alike. Every field is read as optional, so that a screen whose
 * read failed falls back to the API's own answers (which enforce the rules anyway).
 */
import type { ServiceOffer, VenueProfile } from '../../src/services/venue-profile.ts';
import type { AppContext } from './app.ts';

export type { ServiceOffer };

/** A venue's rules as far as a shopper may see them (its profile); `{}` when it could not be read. */
export type VenueRulesView = Partial<Omit<VenueProfile, 'venueId'>>;

export type CheckInWindowMinutes = VenueProfile['checkInWindowMinutes'];

/** A venue in the whole rules document, which also holds what only operators see. */
export interface DocumentVenueRules extends VenueRulesView {
  limits?: Record<string, number>;
}

/** The whole rules document, as the local hub serves it to the operators' rules screen. */
export interface RulesView {
  venues?: Record<string, DocumentVenueRules>;
  features?: Record<string, boolean>;
}

/** The document's shapes vary by version; `GET /local/appconfig` may wrap it in `{document}`. */
export function rulesDocument(raw: unknown): RulesView {
  const value = (raw ?? {}) as { document?: unknown; venues?: unknown };
  return (value.venues ? value : (value.document ?? {})) as RulesView;
}

/** The rules of the site's venue from its public profile, or none when it cannot be read. */
export async function venueRules(ctx: AppContext): Promise<VenueRulesView> {
  try {
    return await ctx.api.venueProfile(ctx.config.venueId);
  } catch {
    return {};
  }
}

const MINUTE = 60_000;

/**
 * Where `now` stands in a reservation's check-in window: `early` (with the opening time when
 * the rules give the window), `open`, or `late`. Without the rules only the booked times are
 * known, so the window counts as open from start to end and the API decides around them.
 */
export function checkInWindow(
  reservation: { startsAt: string; endsAt: string },
  window: CheckInWindowMinutes | undefined,
  now: number,
): { state: 'early'; opensAt?: string } | { state: 'open' | 'late' } {
  const opens = Date.parse(reservation.startsAt) - (window?.before ?? 0) * MINUTE;
  const closes = Date.parse(reservation.endsAt) + (window?.after ?? 0) * MINUTE;
  if (now < opens)
    return window ? { state: 'early', opensAt: new Date(opens).toISOString() } : { state: 'early' };
  return { state: now > closes ? 'late' : 'open' };
}
