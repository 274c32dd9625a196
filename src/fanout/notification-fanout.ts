/**
 * The notification fan-out (DESIGN.md §4), free of AWS: for one venue.hub event, validate it
 * against its schema, render the shopper's message on each channel their preferences allow,
 * and raise operator alerts (capacity threshold, predicted queue wait). Every message is
 * leased in the delivery ledger before it is published and confirmed after, so a redelivered
 * event sends nothing twice; a failed publish releases its lease and fails the event, a message
 * another attempt holds fails the event too, and a lease left by an attempt that died runs out
 * so that a retry sends the message (docs/decisions/0310-delivery-leases.md).
 */
import {
  DEFAULT_PREFERENCES,
  type Preferences,
  type VenueEventDetail,
  type VenueEventType,
} from '../domain/model.ts';
import {
  type CatalogStore,
  type Clock,
  DeliveryInFlight,
  type DeliveryLedger,
  type NotificationChannel,
  type Notifier,
  type PreferencesStore,
  type QueueStore,
  type RulesProvider,
  type SlotStore,
} from '../domain/ports.ts';
import type { VenueRules } from '../domain/rules.ts';
import { venueEventErrors } from '../events/venue-events.ts';
import { errorName, type Logger } from '../observability/log.ts';
import { type Delivery, deliver, type FanoutInvocation, leaseEnd } from './leased-delivery.ts';
import { renderShopperMessage, type VenuePlace } from './messages.ts';
import { alertLanguage, capacityAlert, predictWait, waitAlertText } from './operator-alerts.ts';

/** How long delivery markers live: well beyond EventBridge's 24 h of retries and any outbox replay. */
export const DELIVERY_MARKER_DAYS = 7;

export interface FanoutDeps {
  preferences: Pick<PreferencesStore, 'get'>;
  catalog: Pick<CatalogStore, 'get'>;
  slots: Pick<SlotStore, 'get'>;
  queue: Pick<QueueStore, 'listActive'>;
  ledger: DeliveryLedger;
  notifier: Notifier;
  rules: RulesProvider;
  clock: Clock;
  logger: Logger;
}

export interface FanoutOutcome {
  /** messages published */
  sent: number;
  /** messages already delivered for this event and channel (redelivery) */
  duplicates: number;
  /** messages whose publish failed (their claims released) */
  failed: number;
  /** messages another attempt holds a live lease on; the event fails so that a retry settles them */
  inFlight: number;
}

/** The event does not match its schema; retrying cannot help, it belongs in the DLQ. */
export class InvalidVenueEvent extends Error {
  constructor(
    readonly detailType: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(`invalid ${detailType} event: ${problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`);
    this.name = 'InvalidVenueEvent';
  }
}

/**
 * Some messages could not be published (their claims released) or are held by another attempt;
 * a retry sends what is still unsent.
 */
export class FanoutFailed extends Error {
  constructor(
    readonly outcome: FanoutOutcome,
    cause: unknown,
  ) {
    super(
      `${outcome.failed} notification(s) could not be published, ${outcome.inFlight} in flight elsewhere`,
      { cause },
    );
    this.name = 'FanoutFailed';
  }
}

const addDays = (now: Date, days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * The channels a shopper gets messages on: e-mail when switched on (the delivery service
 * resolves the account's address from `userId` when no address is saved); SMS only when
 * switched on and a phone number is saved, as nothing else knows one.
 */
export function shopperChannels(preferences: Preferences): ('email' | 'sms')[] {
  const channels: ('email' | 'sms')[] = [];
  if (preferences.channels.email) channels.push('email');
  if (preferences.channels.sms && preferences.phone) channels.push('sms');
  return channels;
}

/** Builds the fan-out of one event: `(detailType, detail) → outcome`, throwing on failure. */
export function createNotificationFanout(deps: FanoutDeps) {
  return async function fanOut(
    detailType: string,
    rawDetail: unknown,
    invocation: FanoutInvocation = {},
  ): Promise<FanoutOutcome> {
    const problems = venueEventErrors(detailType, rawDetail);
    if (problems.length > 0) throw new InvalidVenueEvent(detailType, problems);
    const type = detailType as VenueEventType;
    const detail = rawDetail as VenueEventDetail;
    const log = deps.logger.child({ correlationId: detail.correlationId, detailId: detail.id, detailType });

    const { document } = await deps.rules.current();
    const venue = document.venues[detail.venueId];
    if (!venue)
      log.warn('event for a venue without rules; times in UTC, no operator alerts', {
        venueId: detail.venueId,
      });
    const place: VenuePlace = venue ?? { name: detail.venueId, timezone: 'UTC' };
    const now = deps.clock.now();

    const preferences = (await deps.preferences.get(detail.userId)) ?? DEFAULT_PREFERENCES;
    const deliveries = shopperDeliveries(
      type,
      detail,
      place,
      preferences,
      addDays(now, DELIVERY_MARKER_DAYS),
    );
    if (venue) deliveries.push(...(await operatorDeliveries(deps, type, detail, venue, now)));

    const leaseUntil = leaseEnd(now, invocation);
    const outcome: FanoutOutcome = { sent: 0, duplicates: 0, failed: 0, inFlight: 0 };
    let firstError: unknown;
    for (const delivery of deliveries) {
      const where = { channel: delivery.channel, key: delivery.key };
      try {
        if (await deliver(deps, delivery, leaseUntil, log)) outcome.sent += 1;
        else {
          outcome.duplicates += 1;
          log.info('notification already delivered', where);
        }
      } catch (error) {
        firstError ??= error;
        if (error instanceof DeliveryInFlight) {
          outcome.inFlight += 1;
          log.warn('notification held by another attempt; failing the event so a retry settles it', {
            ...where,
            leaseUntil: error.leaseUntil,
          });
          continue;
        }
        outcome.failed += 1;
        log.error('notification not published; the retry sends it', {
          ...where,
          errorName: errorName(error),
        });
      }
    }
    if (outcome.failed + outcome.inFlight > 0) throw new FanoutFailed(outcome, firstError);
    log.info('event fanned out', { ...outcome, channels: deliveries.map((d) => d.channel) });
    return outcome;
  };
}

function ids(detail: VenueEventDetail): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['reservationId', 'ticketId', 'eventId', 'slotId'] as const) {
    const value = str(detail[key]);
    if (value) out[key] = value;
  }
  return out;
}

/** One message about `detail`: the body carries the event's type and ids beside the text. */
function delivery(
  type: VenueEventType,
  detail: VenueEventDetail,
  message: { key: string; channel: NotificationChannel; expiresAt: string; language: string; text: string },
  facts: Record<string, unknown>,
): Delivery {
  const { key, channel, expiresAt, language, text } = message;
  return {
    key,
    channel,
    expiresAt,
    notification: {
      topic: channel === 'operator' ? 'operator' : 'shopper',
      eventType: type,
      venueId: detail.venueId,
      channel,
      correlationId: detail.correlationId,
      body: {
        eventType: type,
        detailId: detail.id,
        venueId: detail.venueId,
        ...ids(detail),
        ...facts,
        channel,
        language,
        text,
      },
    },
  };
}

function shopperDeliveries(
  type: VenueEventType,
  detail: VenueEventDetail,
  place: VenuePlace,
  preferences: Preferences,
  expiresAt: string,
): Delivery[] {
  const message = renderShopperMessage(type, detail, place, preferences.language);
  return shopperChannels(preferences).map((channel) => {
    const address = channel === 'email' ? preferences.email : preferences.phone;
    const facts = {
      userId: detail.userId,
      ...(address ? { to: address } : {}),
      ...(channel === 'email' ? { subject: message.subject } : {}),
    };
    const { language, text } = message;
    return delivery(type, detail, { key: detail.id, channel, expiresAt, language, text }, facts);
  });
}

async function operatorDeliveries(
  deps: FanoutDeps,
  type: VenueEventType,
  detail: VenueEventDetail,
  venue: VenueRules,
  now: Date,
): Promise<Delivery[]> {
  const alert = (key: string, expiresAt: string, facts: Record<string, unknown>, text: string) =>
    delivery(
      type,
      detail,
      { key, channel: 'operator', expiresAt, language: alertLanguage(venue), text },
      facts,
    );

  if (type === 'BookingConfirmed') {
    const eventId = str(detail.eventId);
    const slotId = str(detail.slotId);
    const item = eventId ? await deps.catalog.get(eventId) : undefined;
    const slot = !eventId && slotId ? await deps.slots.get(slotId) : undefined;
    const found = item
      ? capacityAlert({ kind: 'event', item }, venue)
      : slot
        ? capacityAlert({ kind: 'pickup', item: slot }, venue)
        : undefined;
    if (!found) return [];
    // One alert per item: the marker outlives the item so a later booking does not repeat it.
    const endsAt = item?.endsAt ?? slot?.endsAt ?? now.toISOString();
    const expiresAt = addDays(new Date(Math.max(now.getTime(), Date.parse(endsAt) || 0)), 1);
    const { text, ...facts } = found;
    return [alert(`capacity:${found.targetId}`, expiresAt, { alert: 'capacity', ...facts }, text)];
  }

  if (type === 'CheckInCompleted') {
    const prediction = predictWait(await deps.queue.listActive(detail.venueId), venue, now);
    if (!prediction || prediction.minutes <= venue.alerts.predictedWaitMinutes) return [];
    // One wait alert per venue and clock hour (UTC), however many check-ins pass the threshold.
    // The hour is the check-in's, not this attempt's: a retry in the next hour is the same alert.
    const occurred = new Date(detail.occurredAt);
    const hour = (Number.isNaN(occurred.getTime()) ? now : occurred).toISOString().slice(0, 13);
    const facts = {
      alert: 'predictedWait',
      serviceKind: prediction.serviceKind,
      predictedWaitMinutes: Number.isFinite(prediction.minutes) ? Math.ceil(prediction.minutes) : null,
      thresholdMinutes: venue.alerts.predictedWaitMinutes,
      activeTickets: prediction.activeTickets,
      openLanes: prediction.openLanes,
    };
    return [
      alert(`wait:${detail.venueId}:${hour}`, addDays(now, 1), facts, waitAlertText(prediction, venue)),
    ];
  }
  return [];
}
