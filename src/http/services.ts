/** The use cases the routes call, built once from the ports. */
import { BookingService } from '../services/bookings.ts';
import { CatalogService } from '../services/catalog.ts';
import { CheckInService } from '../services/check-in.ts';
import type { ServiceDeps } from '../services/context.ts';
import { PreferencesService } from '../services/preferences.ts';
import { QueueService } from '../services/queue.ts';
import { SlotService } from '../services/slots.ts';
import { VenueProfileService } from '../services/venue-profile.ts';

export interface Services {
  catalog: CatalogService;
  slots: SlotService;
  bookings: BookingService;
  checkIn: CheckInService;
  queue: QueueService;
  preferences: PreferencesService;
  /** a venue's public profile (ADR 0417) */
  venues: VenueProfileService;
  /** the version of the venue rules in force (GET /health) */
  configVersion(): Promise<string>;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    catalog: new CatalogService(deps),
    slots: new SlotService(deps),
    bookings: new BookingService(deps),
    checkIn: new CheckInService(deps),
    queue: new QueueService(deps),
    preferences: new PreferencesService(deps),
    venues: new VenueProfileService(deps),
    configVersion: async () => (await deps.rules.current()).version,
  };
}
