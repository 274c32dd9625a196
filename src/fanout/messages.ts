/**
 * Shopper messages in the user's language (English and Spanish), with times and place in the
 * venue's time zone ("Sat, Dec 5, 3:00 PM EST"). Rendering is pure: the same event, venue and
 * language always give the same text, whatever the machine's own locale or zone.
 */
import type { VenueEventDetail, VenueEventType } from '../domain/model.ts';

export type Language = 'en' | 'es';

export const SUPPORTED_LANGUAGES: Language[] = ['en', 'es'];

/** The venue facts a message needs: its name and IANA time zone. */
export interface VenuePlace {
  name: string;
  timezone: string;
}

export interface RenderedMessage {
  language: Language;
  /** short line for an e-mail subject */
  subject: string;
  /** the message itself, short enough for an SMS */
  text: string;
}

/**
 * The supported language of a preference tag (`es`, `es-MX`, `EN`); English otherwise. The
 * formatting locale keeps the tag's region, else the US one (the venues are in the US).
 */
export function resolveLanguage(tag: string | undefined): { language: Language; locale: string } {
  const [primary = '', region] = (tag ?? '').trim().split(/[-_]/);
  const language = SUPPORTED_LANGUAGES.find((l) => l === primary.toLowerCase()) ?? 'en';
  const locale =
    language === primary.toLowerCase() && region ? `${language}-${region.toUpperCase()}` : `${language}-US`;
  try {
    return { language, locale: Intl.DateTimeFormat.supportedLocalesOf(locale)[0] ?? `${language}-US` };
  } catch {
    return { language, locale: `${language}-US` };
  }
}

// ICU separates "3:00" and "PM" with a narrow no-break space; SMS gateways and tests want a space.
const normalizeSpaces = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

/** "Sat, Dec 5, 3:00 PM EST" in the venue's zone. */
export function formatWhen(iso: string, timezone: string, locale: string): string {
  const format = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: timezone,
    timeZoneName: 'short',
  });
  return normalizeSpaces(format.format(new Date(iso)));
}

/** "3:30 PM" in the venue's zone. */
export function formatTime(iso: string, timezone: string, locale: string): string {
  const format = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: timezone });
  return normalizeSpaces(format.format(new Date(iso)));
}

interface Facts {
  venue: string;
  title: string;
  when: string;
  until: string;
  party: number;
  orderRef: string;
  reservationId: string;
  queued: boolean;
}

type Texts = Record<VenueEventType, { subject: (f: Facts) => string; text: (f: Facts) => string }> & {
  pickupBooked: { subject: (f: Facts) => string; text: (f: Facts) => string };
};

const TEXTS: Record<Language, Texts> = {
  en: {
    BookingConfirmed: {
      subject: (f) => `Booking confirmed: ${f.title}`,
      text: (f) =>
        `You're booked for ${f.title} at ${f.venue} on ${f.when} for ${f.party} ${f.party === 1 ? 'person' : 'people'}. Reservation ${f.reservationId}.`,
    },
    pickupBooked: {
      subject: (f) => `Pickup scheduled: order ${f.orderRef}`,
      text: (f) =>
        `Your pickup of order ${f.orderRef} at ${f.venue} is scheduled for ${f.when} to ${f.until}. Reservation ${f.reservationId}.`,
    },
    CheckInCompleted: {
      subject: (f) => `Checked in at ${f.venue}`,
      text: (f) =>
        f.queued
          ? `You're checked in at ${f.venue} and in the pickup queue. We'll call you when it's your turn.`
          : `You're checked in at ${f.venue}. Enjoy!`,
    },
    PickupCompleted: {
      subject: (f) => `Pickup complete at ${f.venue}`,
      text: (f) => `Your pickup at ${f.venue} is complete. Thank you for visiting!`,
    },
  },
  es: {
    BookingConfirmed: {
      subject: (f) => `Reserva confirmada: ${f.title}`,
      text: (f) =>
        `Tienes una reserva para ${f.title} en ${f.venue} el ${f.when} para ${f.party} ${f.party === 1 ? 'persona' : 'personas'}. Reserva ${f.reservationId}.`,
    },
    pickupBooked: {
      subject: (f) => `Recogida programada: pedido ${f.orderRef}`,
      text: (f) =>
        `La recogida de tu pedido ${f.orderRef} en ${f.venue} está programada para el ${f.when} hasta las ${f.until} (reserva ${f.reservationId}).`,
    },
    CheckInCompleted: {
      subject: (f) => `Llegada registrada en ${f.venue}`,
      text: (f) =>
        f.queued
          ? `Tu llegada a ${f.venue} está registrada y estás en la fila de recogida. Te llamaremos cuando sea tu turno.`
          : `Tu llegada a ${f.venue} está registrada. ¡Que lo disfrutes!`,
    },
    PickupCompleted: {
      subject: (f) => `Recogida completada en ${f.venue}`,
      text: (f) => `Tu recogida en ${f.venue} se ha completado. ¡Gracias por tu visita!`,
    },
  },
};

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** The shopper message for a (schema-valid) event, in the language of `languageTag`. */
export function renderShopperMessage(
  detailType: VenueEventType,
  detail: VenueEventDetail,
  place: VenuePlace,
  languageTag: string | undefined,
): RenderedMessage {
  const { language, locale } = resolveLanguage(languageTag);
  const startsAt = str(detail.startsAt);
  const endsAt = str(detail.endsAt);
  const facts: Facts = {
    venue: place.name,
    title: str(detail.title),
    when: startsAt ? formatWhen(startsAt, place.timezone, locale) : '',
    until: endsAt ? formatTime(endsAt, place.timezone, locale) : '',
    party: typeof detail.partySize === 'number' ? detail.partySize : 1,
    orderRef: str(detail.orderRef) || str(detail.title).replace(/^Pickup\s*/, ''),
    reservationId: str(detail.reservationId),
    queued: typeof detail.ticketId === 'string',
  };
  const texts = TEXTS[language];
  const entry =
    detailType === 'BookingConfirmed' && detail.reservationType === 'pickup'
      ? texts.pickupBooked
      : texts[detailType];
  return { language, subject: entry.subject(facts), text: entry.text(facts) };
}
