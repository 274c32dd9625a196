/**
 * Operator alerts: when is a booking or a check-in worth telling the venue's operators about,
 * and what the alert says. Pure functions over what the stores return; the fan-out reads the
 * counters and tickets and de-duplicates the alerts through the delivery ledger.
 */
import type { CatalogItem, PickupSlot, QueueTicket } from '../domain/model.ts';
import type { VenueRules } from '../domain/rules.ts';
import { formatWhen, type Language } from './messages.ts';

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
  const language = alertLanguage(venue);
  const when = target.item.startsAt ? formatWhen(target.item.startsAt, venue.timezone, `${language}-US`) : '';
  const targetId = target.kind === 'event' ? target.item.eventId : target.item.slotId;
  const facts = { venue: venue.name, when, percent: Math.floor(ratio * 100), booked, capacity };
  return {
    targetId,
    booked,
    capacity,
    ratio,
    threshold,
    text:
      target.kind === 'event'
        ? TEXTS[language].eventFull({ ...facts, title: target.item.title })
        : TEXTS[language].slotFull(facts),
  };
}

/** The operators' language: the venue's `alerts.language`, English unless set. */
export function alertLanguage(venue: VenueRules): Language {
  return venue.alerts.language ?? 'en';
}

interface CapacityFacts {
  venue: string;
  when: string;
  percent: number;
  booked: number;
  capacity: number;
}

interface WaitFacts {
  venue: string;
  kind: string;
  /** whole minutes; undefined when no open lane serves the kind */
  minutes?: number;
  active: number;
  lanes: number;
  threshold: number;
}

const TEXTS: Record<
  Language,
  {
    eventFull: (f: CapacityFacts & { title: string }) => string;
    slotFull: (f: CapacityFacts) => string;
    wait: (f: WaitFacts) => string;
  }
> = {
  en: {
    eventFull: (f) =>
      `Capacity alert at ${f.venue}: ${f.title}${f.when ? ` (${f.when})` : ''} is ${f.percent}% booked (${f.booked} of ${f.capacity}).`,
    slotFull: (f) =>
      `Capacity alert at ${f.venue}: The pickup slot of ${f.when} is ${f.percent}% booked (${f.booked} of ${f.capacity}).`,
    wait: (f) =>
      `Queue alert at ${f.venue}: ${f.kind} — ${f.minutes === undefined ? 'no open lane serves it' : `predicted wait ${f.minutes} min`} ` +
      `(${f.active} active tickets, ${f.lanes} open lane${f.lanes === 1 ? '' : 's'}); threshold ${f.threshold} min.`,
  },
  es: {
    eventFull: (f) =>
      `Alerta de aforo en ${f.venue}: ${f.title}${f.when ? ` (${f.when})` : ''} está reservado al ${f.percent} % (${f.booked} de ${f.capacity}).`,
    slotFull: (f) =>
      `Alerta de aforo en ${f.venue}: la franja de recogida del ${f.when} está reservada al ${f.percent} % (${f.booked} de ${f.capacity}).`,
    wait: (f) =>
      `Alerta de fila en ${f.venue}: ${f.kind} — ${f.minutes === undefined ? 'ningún mostrador abierto lo atiende' : `espera prevista de ${f.minutes} min`} ` +
      `(${f.active} turnos activos, ${f.lanes} mostrador${f.lanes === 1 ? '' : 'es'} abierto${f.lanes === 1 ? '' : 's'}); umbral de ${f.threshold} min.`,
  },
};

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

/** The text of a predicted-wait alert, in the operators' language. */
export function waitAlertText(prediction: WaitPrediction, venue: VenueRules): string {
  return TEXTS[alertLanguage(venue)].wait({
    venue: venue.name,
    kind: prediction.serviceKind,
    ...(Number.isFinite(prediction.minutes) ? { minutes: Math.ceil(prediction.minutes) } : {}),
    active: prediction.activeTickets,
    lanes: prediction.openLanes,
    threshold: venue.alerts.predictedWaitMinutes,
  });
}
