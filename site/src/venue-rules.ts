/**
 * What the site can know of the venue rules. Locally the hub serves the live document
 * (`GET /local/appconfig`); in AWS the API exposes only its version, so every field here is
 * optional and the screens fall back to the API's answers when one is missing.
 */
import type { AppContext } from './app.ts';

export interface LaneRules {
  laneId: string;
  serviceKinds: string[];
  accessible: boolean;
  open: boolean;
  reopensAt?: string;
}

export interface CheckInWindowMinutes {
  before: number;
  after: number;
}

export interface VenueRulesView {
  name?: string;
  timezone?: string;
  hours?: Record<string, [string, string]>;
  maxPartySize?: number;
  checkInWindowMinutes?: CheckInWindowMinutes;
  lanes?: LaneRules[];
  limits?: Record<string, number>;
}

export interface RulesView {
  venues?: Record<string, VenueRulesView>;
  features?: Record<string, boolean>;
}

/** The document's shapes vary by version; `GET /local/appconfig` may wrap it in `{document}`. */
export function rulesDocument(raw: unknown): RulesView {
  const value = (raw ?? {}) as { document?: unknown; venues?: unknown };
  return (value.venues ? value : (value.document ?? {})) as RulesView;
}

/** The rules of the site's venue, or none when the site cannot read them (always in AWS). */
export async function venueRules(ctx: AppContext): Promise<VenueRulesView> {
  if (ctx.config.auth.mode !== 'local') return {};
  try {
    return rulesDocument(await ctx.api.localRules()).venues?.[ctx.config.venueId] ?? {};
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
