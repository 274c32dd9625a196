/**
 * Operator alerts: when is a booking or a check-in worth telling the venue's operators about,
 * and what the alert says. Pure functions over what the stores return; the fan-out reads the
 * counters and tickets and de-duplicates the alerts through the delivery ledger.
 */
import type { CatalogItem, PickupSlot, QueueTicket } from '../domain/model.ts';
import type { VenueRules } from '../domain/rules.ts';
import { formatWhen } from './messages.ts';

export interface CapacityAlert {
  targetId: string;
  booked: number;
  capacity: number;
  /** booked / capacity, 0–1 (rounded to 3 places) */
  ratio: number;
  threshold: number;
  text: string;
}

/**
 * The alert for an event or slot whose booked share reached the venue's threshold, or
 * undefined. Items without a positive capacity (products, campaigns) never alert.
 */
export function capacityAlert(
  target: { kind: 'event'; item: CatalogItem } | { kind: 'pickup'; item: PickupSlot },
  venue: VenueRules,
): CapacityAlert | undefined {
  const capacity = target.item.capacity ?? 0;
  const booked = target.item.booked ?? 0;
  const threshold = venue.alerts.capacityThreshold;
  if (capacity <= 0 || booked / capacity < threshold) return undefined;
  const ratio = Math.round((booked / capacity) * 1000) / 1000;
  const when = target.item.startsAt ? formatWhen(target.item.startsAt, venue.timezone, 'en-US') : '';
  const what =
    target.kind === 'event'
      ? `${target.item.title}${when ? ` (${when})` : ''}`
      : `The pickup slot of ${when}`;
  const targetId = target.kind === 'event' ? target.item.eventId : target.item.slotId;
  return {
    targetId,
    booked,
    capacity,
    ratio,
    threshold,
    text: `Capacity alert at ${venue.name}: ${what} is ${Math.floor(ratio * 100)}% booked (${booked} of ${capacity}).`,
  };
}

export interface WaitPrediction {
  /** the service kind with the longest predicted wait */
  serviceKind: string;
  /** minutes; Infinity when tickets wait for a kind that no open lane serves */
  minutes: number;
  activeTickets: number;
  openLanes: number;
}

/**
 * The venue's predicted wait at `now`: per service kind with active tickets, the longest one
 * and its wait. Where the queue worker has planned the kind's waiting tickets, it is the wait
 * until the latest ETA among them: what the last shopper in line is shown (the ticket just
 * checked in is behind them). Otherwise — nothing planned yet, or only ETAs already past, as
 * when the worker is down — a rough bound: active tickets × expected service minutes ÷ open
 * lanes serving the kind. Undefined when no ticket is active.
 */
export function predictWait(
  tickets: QueueTicket[],
  venue: VenueRules,
  now: Date,
): WaitPrediction | undefined {
  const byKind = new Map<string, { active: number; latestEta: number }>();
  for (const t of tickets) {
    if (t.status !== 'waiting' && t.status !== 'called') continue;
    const kind = byKind.get(t.serviceKind) ?? { active: 0, latestEta: Number.NEGATIVE_INFINITY };
    kind.active++;
    const eta = t.status === 'waiting' && t.etaAt !== undefined ? Date.parse(t.etaAt) : Number.NaN;
    if (Number.isFinite(eta)) kind.latestEta = Math.max(kind.latestEta, eta);
    byKind.set(t.serviceKind, kind);
  }
  let worst: WaitPrediction | undefined;
  for (const [serviceKind, { active, latestEta }] of byKind) {
    const openLanes = venue.lanes.filter((l) => l.open && l.serviceKinds.includes(serviceKind)).length;
    const perTicket = venue.queue.serviceMinutes[serviceKind] ?? 0;
    let minutes: number;
    if (openLanes === 0) minutes = Number.POSITIVE_INFINITY;
    else if (latestEta >= now.getTime()) minutes = (latestEta - now.getTime()) / 60_000;
    else minutes = (active * perTicket) / openLanes;
    if (!worst || minutes > worst.minutes) worst = { serviceKind, minutes, activeTickets: active, openLanes };
  }
  return worst;
}

/** The text of a predicted-wait alert. */
export function waitAlertText(prediction: WaitPrediction, venue: VenueRules): string {
  const lanes = `${prediction.openLanes} open lane${prediction.openLanes === 1 ? '' : 's'}`;
  const wait = Number.isFinite(prediction.minutes)
    ? `predicted wait ${Math.ceil(prediction.minutes)} min`
    : 'no open lane serves it';
  return (
    `Queue alert at ${venue.name}: ${prediction.serviceKind} — ${wait} ` +
    `(${prediction.activeTickets} active tickets, ${lanes}); threshold ${venue.alerts.predictedWaitMinutes} min.`
  );
}
