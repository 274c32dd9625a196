/**
 * Cancelling an event lets its bookings go (route 17), as a scenario the memory fakes and the
 * DynamoDB stores both run through the API: the confirmed reservations become cancelled, their
 * seats and the users' active counts come back, a checked-in one stays, other events are not
 * touched, and cancelling again changes nothing more.
 */
import assert from 'node:assert/strict';
import { demoRules } from '../fakes/demo-rules.ts';
import { createEvent, type Harness } from './api-harness.ts';

export async function cancellingAnEventReleasesItsBookings(h: Harness): Promise<void> {
  // one active reservation per user: a released count shows as a booking allowed again
  h.rules.deploy(demoRules({ limits: { activeReservationsPerUser: 1, queueJoinsPerHour: 6 } }));
  // starts in 10 minutes, so that a reservation can be checked in now
  const event = await createEvent(h, {
    startsAt: '2026-12-01T15:10:00.000Z',
    endsAt: '2026-12-01T16:00:00.000Z',
  });
  const other = await createEvent(h, { title: 'Other' });
  const book = (as: 'alice' | 'bob', eventId: string, partySize: number) =>
    h.call('POST', `/events/${eventId}/reservations`, { as, body: { partySize } });
  const used = (await book('alice', event.eventId, 2)).body.reservation;
  assert.equal(
    (await h.call('POST', `/reservations/${used.reservationId}/check-in`, { as: 'alice' })).status,
    200,
  );
  const held = (await book('bob', event.eventId, 3)).body.reservation;
  assert.equal(held.status, 'confirmed');
  assert.equal((await book('bob', other.eventId, 1)).status, 429);

  const cancel = () =>
    h.call('PATCH', `/events/${event.eventId}`, { as: 'olivia', body: { status: 'cancelled' } });
  assert.equal((await cancel()).status, 200);
  const statusOf = async (as: 'alice' | 'bob', id: string) =>
    (await h.call('GET', '/me/reservations', { as })).body.items.find(
      (r: { reservationId: string }) => r.reservationId === id,
    )?.status;
  assert.equal(await statusOf('bob', held.reservationId), 'cancelled');
  assert.equal(await statusOf('alice', used.reservationId), 'checked_in');
  const after = (await h.call('GET', `/events/${event.eventId}`)).body.event;
  assert.equal(after.booked, 2, 'the checked-in party keeps its seats; the cancelled one gives them back');
  // Bob's active count is free again: he may book the other event
  assert.equal((await book('bob', other.eventId, 1)).status, 201);
  // cancelling again is a no-op for what was already let go
  assert.equal((await cancel()).status, 200);
  assert.equal((await h.call('GET', `/events/${event.eventId}`)).body.event.booked, 2);
  assert.equal((await h.call('GET', `/events/${other.eventId}`)).body.event.booked, 1);
}
