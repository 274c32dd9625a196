import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VenueEventDetail } from '../../src/domain/model.ts';
import { formatWhen, renderShopperMessage, resolveLanguage } from '../../src/fanout/messages.ts';

const NY = 'America/New_York';
const place = { name: 'Flagship Store', timezone: NY };

function pickupBooking(startsAt: string, endsAt: string): VenueEventDetail {
  return {
    id: '0b6f9a52-7c1d-4e8a-b3f4-5d2c1e0a9b87',
    occurredAt: '2026-03-01T12:00:00.000Z',
    venueId: 'flagship-001',
    userId: 'u-1',
    correlationId: 'c-1',
    reservationId: 'res-7',
    reservationType: 'pickup',
    slotId: 'slot-1',
    orderRef: 'A-77',
    title: 'Pickup A-77',
    startsAt,
    endsAt,
    partySize: 1,
  };
}

describe('shopper message rendering', () => {
  it('formats venue times across the DST changes of America/New_York', () => {
    assert.equal(formatWhen('2026-03-08T06:30:00.000Z', NY, 'en-US'), 'Sun, Mar 8, 1:30 AM EST');
    assert.equal(formatWhen('2026-03-08T07:30:00.000Z', NY, 'en-US'), 'Sun, Mar 8, 3:30 AM EDT');
    assert.equal(formatWhen('2026-11-01T05:30:00.000Z', NY, 'en-US'), 'Sun, Nov 1, 1:30 AM EDT');
    assert.equal(formatWhen('2026-11-01T06:30:00.000Z', NY, 'en-US'), 'Sun, Nov 1, 1:30 AM EST');
    assert.equal(formatWhen('2026-07-04T16:30:00.000Z', NY, 'en-US'), 'Sat, Jul 4, 12:30 PM EDT');
  });

  it('renders a pickup across the spring-forward hour with both ends in venue time', () => {
    const detail = pickupBooking('2026-03-08T06:45:00.000Z', '2026-03-08T07:15:00.000Z');
    const en = renderShopperMessage('BookingConfirmed', detail, place, 'en');
    assert.equal(en.subject, 'Pickup scheduled: order A-77');
    assert.equal(
      en.text,
      'Your pickup of order A-77 at Flagship Store is scheduled for Sun, Mar 8, 1:45 AM EST to 3:15 AM. Reservation res-7.',
    );
    const es = renderShopperMessage('BookingConfirmed', detail, place, 'es');
    assert.equal(
      es.text,
      'La recogida de tu pedido A-77 en Flagship Store está programada para el dom, 8 de mar, 1:45 a.m. EST hasta las 3:15 a.m. (reserva res-7).',
    );
  });

  it('takes the order reference from the "Pickup {orderRef}" title when the event has no orderRef', () => {
    const { orderRef: _omitted, ...detail } = pickupBooking(
      '2026-12-05T20:00:00.000Z',
      '2026-12-05T20:15:00.000Z',
    );
    const message = renderShopperMessage('BookingConfirmed', detail, place, 'en');
    assert.equal(message.subject, 'Pickup scheduled: order A-77');
    assert.match(message.text, /^Your pickup of order A-77 at Flagship Store/);
  });

  it('renders the same text whatever the zone of the machine', () => {
    const detail = pickupBooking('2026-12-05T20:00:00.000Z', '2026-12-05T20:15:00.000Z');
    const a = renderShopperMessage('BookingConfirmed', detail, place, 'en');
    const b = renderShopperMessage('BookingConfirmed', detail, { ...place, timezone: 'Europe/Madrid' }, 'en');
    assert.match(a.text, /Sat, Dec 5, 3:00 PM EST to 3:15 PM/);
    assert.match(b.text, /Sat, Dec 5, 9:00 PM GMT\+1 to 9:15 PM/);
  });

  it('resolves language tags to en or es, keeping a region for formatting', () => {
    assert.deepEqual(resolveLanguage('es'), { language: 'es', locale: 'es-US' });
    assert.deepEqual(resolveLanguage('ES-mx'), { language: 'es', locale: 'es-MX' });
    assert.deepEqual(resolveLanguage('fr'), { language: 'en', locale: 'en-US' });
    assert.deepEqual(resolveLanguage(undefined), { language: 'en', locale: 'en-US' });
    assert.deepEqual(resolveLanguage('es-!!'), { language: 'es', locale: 'es-US' });
  });

  it('says "1 person" and "1 persona" for a party of one', () => {
    const detail: VenueEventDetail = {
      ...pickupBooking('2026-12-05T20:00:00.000Z', '2026-12-05T21:00:00.000Z'),
      reservationType: 'event',
      eventId: 'e-1',
      title: 'Coffee tasting',
    };
    assert.match(renderShopperMessage('BookingConfirmed', detail, place, 'en').text, /for 1 person\./);
    assert.match(renderShopperMessage('BookingConfirmed', detail, place, 'es').text, /para 1 persona\./);
  });

  it('renders check-in without a ticket and pickup completion in both languages', () => {
    const base = pickupBooking('2026-12-05T20:00:00.000Z', '2026-12-05T21:00:00.000Z');
    assert.equal(
      renderShopperMessage('CheckInCompleted', base, place, 'en').text,
      "You're checked in at Flagship Store. Enjoy!",
    );
    assert.equal(
      renderShopperMessage('PickupCompleted', { ...base, ticketId: 't-1' }, place, 'es').text,
      'Tu recogida en Flagship Store se ha completado. ¡Gracias por tu visita!',
    );
  });
});
