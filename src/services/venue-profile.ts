/**
 * A venue's public profile (`GET /venues/{venueId}`, ADR 0417): the part of its rules a
 * shopper may see, built field by field from the rules in force (an allow-list, OWASP API3),
 * so that per-user limits, operator alerts, queue capacity and planner tuning never leave the
 * API whatever the rules document gains later.
 */
import type { Features, Lane, VenueRules, Weekday } from '../domain/rules.ts';
import { type ServiceDeps, venueRules } from './context.ts';

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A lane as a shopper sees it: what it serves and whether it is open (or when it reopens). */
export type LaneProfile = Pick<Lane, 'laneId' | 'serviceKinds' | 'accessible' | 'open' | 'reopensAt'>;

/** A service the queue takes, with its expected minutes at the counter when the rules give them. */
export interface ServiceOffer {
  serviceKind: string;
  expectedMinutes?: number;
}

/** The rules of a venue that a shopper may see, as they stand in the rules document. */
type PublicVenueRules = Pick<
  VenueRules,
  'name' | 'timezone' | 'hours' | 'closedDates' | 'maxPartySize' | 'checkInWindowMinutes'
>;

export interface VenueProfile extends PublicVenueRules {
  venueId: string;
  lanes: LaneProfile[];
  services: ServiceOffer[];
  features: Features;
}

/**
 * The service kinds a venue's queue takes (route 11 accepts exactly these): those its lanes
 * serve, in lane order, then those the rules only give a service time for.
 */
export function offeredServiceKinds(venue: VenueRules): string[] {
  const kinds = new Set(venue.lanes.flatMap((lane) => lane.serviceKinds));
  for (const kind of Object.keys(venue.queue.serviceMinutes)) kinds.add(kind);
  return [...kinds];
}

/** The profile of one venue, pure: new objects throughout, none shared with the rules document. */
export function venueProfile(venueId: string, venue: VenueRules, features: Features): VenueProfile {
  const hours: Partial<Record<Weekday, [string, string]>> = {};
  for (const day of WEEKDAYS) {
    const span = venue.hours[day];
    if (span) hours[day] = [span[0], span[1]];
  }
  return {
    venueId,
    name: venue.name,
    timezone: venue.timezone,
    hours,
    closedDates: [...venue.closedDates],
    maxPartySize: venue.maxPartySize,
    checkInWindowMinutes: {
      before: venue.checkInWindowMinutes.before,
      after: venue.checkInWindowMinutes.after,
    },
    lanes: venue.lanes.map((lane) => ({
      laneId: lane.laneId,
      serviceKinds: [...lane.serviceKinds],
      accessible: lane.accessible,
      open: lane.open,
      ...(lane.reopensAt === undefined ? {} : { reopensAt: lane.reopensAt }),
    })),
    services: offeredServiceKinds(venue).map((serviceKind) => {
      const minutes = Object.hasOwn(venue.queue.serviceMinutes, serviceKind)
        ? venue.queue.serviceMinutes[serviceKind]
        : undefined;
      return minutes === undefined ? { serviceKind } : { serviceKind, expectedMinutes: minutes };
    }),
    features: { queue: features.queue, pickup: features.pickup, campaigns: features.campaigns },
  };
}

export class VenueProfileService {
  constructor(private readonly deps: ServiceDeps) {}

  /** `GET /venues/{venueId}`: the profile from the rules in force; an unknown venue is a 404. */
  async get(venueId: string): Promise<VenueProfile> {
    const { venue, features } = await venueRules(this.deps, venueId);
    return venueProfile(venueId, venue, features);
  }
}
