/**
 * What every use case needs: the ports, passed in (STYLE.md 2). Services orchestrate over
 * these and import nothing from AWS; the handler (or a test) builds them once.
 */
import { randomUUID } from 'node:crypto';
import { FeatureDisabled, NotFound } from '../domain/errors.ts';
import type { Caller, VenueEvent } from '../domain/model.ts';
import type {
  CatalogStore,
  Clock,
  EventPublisher,
  OutboxStore,
  PreferencesStore,
  QueueStore,
  ReservationStore,
  RulesProvider,
  SlotStore,
} from '../domain/ports.ts';
import type { Features, VenueRules } from '../domain/rules.ts';
import type { Logger } from '../observability/log.ts';

export interface Stores {
  catalog: CatalogStore;
  slots: SlotStore;
  reservations: ReservationStore;
  queue: QueueStore;
  outbox: OutboxStore;
  preferences: PreferencesStore;
}

export interface ServiceDeps {
  stores: Stores;
  rules: RulesProvider;
  publisher: EventPublisher;
  clock: Clock;
  logger: Logger;
  /** id generator (uuid v4 unless a test pins it) */
  newId?: () => string;
}

/** Who asks, and the correlation id their request carries into events and logs. */
export interface Actor {
  caller: Caller;
  correlationId: string;
}

export function newId(deps: ServiceDeps): string {
  return deps.newId ? deps.newId() : randomUUID();
}

/**
 * The rules of one venue (404 for a venue the rules do not know) and the feature flags; with
 * `feature`, also 503 FEATURE_DISABLED when that feature is off (checked after the venue).
 */
export async function venueRules(
  deps: ServiceDeps,
  venueId: string,
  feature?: keyof Features,
): Promise<{ venue: VenueRules; features: Features }> {
  const { document } = await deps.rules.current();
  const venue = Object.hasOwn(document.venues, venueId) ? document.venues[venueId] : undefined;
  if (!venue) throw new NotFound('Venue');
  if (feature !== undefined && !document.features[feature]) throw new FeatureDisabled(feature);
  return { venue, features: document.features };
}

export async function requireFeature(deps: ServiceDeps, feature: keyof Features): Promise<void> {
  const { document } = await deps.rules.current();
  if (!document.features[feature]) throw new FeatureDisabled(feature);
}

/**
 * Publishes events a write has already stored in the outbox, then marks them published. A
 * failure is logged and swallowed: the request succeeded, and the scheduled outbox sweep
 * delivers the event later (at least once; consumers de-duplicate by `detail.id`).
 */
export async function publishStored(
  deps: ServiceDeps,
  events: VenueEvent[],
  correlationId: string,
): Promise<void> {
  if (events.length === 0) return;
  try {
    await deps.publisher.publish(events, correlationId);
  } catch (error) {
    deps.logger.warn('event publish failed; left to the outbox sweep', {
      correlationId,
      eventIds: events.map((e) => e.detail.id),
      errorName: error instanceof Error ? error.name : 'unknown',
    });
    return;
  }
  try {
    await deps.stores.outbox.markPublished(
      events.map((e) => e.detail.id),
      deps.clock.now().toISOString(),
    );
  } catch (error) {
    // the event went out; the sweep may send it again, which consumers de-duplicate
    deps.logger.warn('marking events published failed', {
      correlationId,
      errorName: error instanceof Error ? error.name : 'unknown',
    });
  }
}

/** A shopper sees only their own objects; anyone else's answers 404, as if it did not exist. */
export function canSee(caller: Caller, ownerId: string): boolean {
  return caller.isOperator || caller.userId === ownerId;
}
