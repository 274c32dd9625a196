/**
 * The route table: the 21 routes of DESIGN.md §3, a shopper's own tickets (ADR 0415), a
 * pickup slot's reservations for the desk (ADR 0416) and a venue's public profile (ADR 0417);
 * who may call each, and how each translates a request into a service call and its result into
 * a response. The router, the OpenAPI check and the security route matrix (which also holds it
 * against template.yaml) read this one table.
 */
import { ValidationFailed } from '../domain/errors.ts';
import type { Preferences, TicketOutcome } from '../domain/model.ts';
import type { CatalogChanges } from '../domain/ports.ts';
import type { CatalogFilters, NewCatalogItem } from '../services/catalog.ts';
import type { JoinRequest } from '../services/queue.ts';
import type { SlotDayRequest } from '../services/slots.ts';
import { parseBody, parsePage, parseQuery } from './request.ts';
import {
  bookingReply,
  cacheable,
  created,
  idempotencyKey,
  normalizeTimes,
  ok,
  pagedList,
  query,
  type Route,
} from './route-kit.ts';
import * as schemas from './schemas.ts';
import { catalogItemOut, preferencesOut, reservationOut, slotOut, ticketOut } from './serialize.ts';

export type { Access, Reply, Route, RouteContext } from './route-kit.ts';

/**
 * How long a venue's profile may be cached: the rules change only by an AppConfig deployment,
 * which itself takes minutes to reach every poller (and up to 15 s more in each API instance),
 * so a minute-old profile is no staler than the API's own view during a rollout.
 */
export const VENUE_PROFILE_MAX_AGE_SECONDS = 60;

export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/health',
    access: 'public',
    handle: async (ctx) => ok({ status: 'ok', configVersion: await ctx.services.configVersion() }),
  },
  {
    method: 'GET',
    path: '/venues/{venueId}/events',
    access: 'public',
    handle: async (ctx) => {
      const filters = normalizeTimes(
        parseQuery<CatalogFilters>(ctx.event, schemas.scheduleQuery, { paged: true }),
      );
      const { kind, from, to, category, campaignId } = filters;
      if (from !== undefined && to !== undefined && to <= from)
        throw ValidationFailed.at('to', 'must be after from');
      const page = await ctx.services.catalog.listSchedule(
        ctx.caller,
        ctx.params.venueId ?? '',
        { kind, from, to, category, campaignId },
        parsePage(query(ctx)),
      );
      return ok({ ...page, items: page.items.map(catalogItemOut) });
    },
  },
  {
    method: 'GET',
    path: '/venues/{venueId}/products',
    access: 'public',
    handle: async (ctx) => {
      const { category, campaignId } = parseQuery<CatalogFilters>(ctx.event, schemas.productsQuery, {
        paged: true,
      });
      const page = await ctx.services.catalog.listProducts(
        ctx.caller,
        ctx.params.venueId ?? '',
        { category, campaignId },
        parsePage(query(ctx)),
      );
      return ok({ ...page, items: page.items.map(catalogItemOut) });
    },
  },
  {
    method: 'GET',
    path: '/events/{eventId}',
    access: 'public',
    handle: async (ctx) =>
      ok({ event: catalogItemOut(await ctx.services.catalog.get(ctx.caller, ctx.params.eventId ?? '')) }),
  },
  {
    method: 'GET',
    path: '/venues/{venueId}/pickup-slots',
    access: 'public',
    handle: async (ctx) => {
      const { date } = parseQuery<{ date: string }>(ctx.event, schemas.slotsQuery, {
        paged: true,
        required: ['date'],
      });
      const page = await ctx.services.slots.listDay(ctx.params.venueId ?? '', date, parsePage(query(ctx)));
      return ok({ ...page, items: page.items.map(slotOut) });
    },
  },
  {
    method: 'GET',
    path: '/venues/{venueId}',
    access: 'public',
    handle: async (ctx) =>
      cacheable(
        ok({ venue: await ctx.services.venues.get(ctx.params.venueId ?? '') }),
        VENUE_PROFILE_MAX_AGE_SECONDS,
      ),
  },
  {
    method: 'POST',
    path: '/events/{eventId}/reservations',
    access: 'shopper',
    handle: async (ctx) => {
      const body = parseBody<{ partySize: number }>(ctx.event, schemas.bookEventBody);
      const key = idempotencyKey(ctx);
      return bookingReply(
        await ctx.services.bookings.bookEvent(ctx.actor, ctx.params.eventId ?? '', body, key),
      );
    },
  },
  {
    method: 'GET',
    path: '/me/reservations',
    access: 'shopper',
    handle: (ctx) =>
      pagedList(ctx, (page) => ctx.services.bookings.listMine(ctx.actor, page), reservationOut),
  },
  {
    method: 'DELETE',
    path: '/reservations/{reservationId}',
    access: 'shopper',
    owned: true,
    handle: async (ctx) => {
      parseBody(ctx.event, schemas.noFieldsBody);
      return ok({
        reservation: reservationOut(
          await ctx.services.bookings.cancel(ctx.actor, ctx.params.reservationId ?? ''),
        ),
      });
    },
  },
  {
    method: 'POST',
    path: '/pickup-slots/{slotId}/bookings',
    access: 'shopper',
    handle: async (ctx) => {
      const body = parseBody<{ orderRef: string; partySize?: number }>(ctx.event, schemas.bookPickupBody);
      const request = { orderRef: body.orderRef, partySize: body.partySize ?? 1 };
      const key = idempotencyKey(ctx);
      return bookingReply(
        await ctx.services.bookings.bookPickup(ctx.actor, ctx.params.slotId ?? '', request, key),
      );
    },
  },
  {
    method: 'GET',
    path: '/pickup-slots/{slotId}/reservations',
    access: 'operator',
    handle: (ctx) =>
      pagedList(
        ctx,
        (page) => ctx.services.bookings.listForSlot(ctx.params.slotId ?? '', page),
        reservationOut,
      ),
  },
  {
    method: 'POST',
    path: '/reservations/{reservationId}/check-in',
    access: 'shopper',
    owned: true,
    handle: async (ctx) => {
      parseBody(ctx.event, schemas.noFieldsBody);
      const result = await ctx.services.checkIn.checkIn(ctx.actor, ctx.params.reservationId ?? '');
      return ok({
        reservation: reservationOut(result.reservation),
        ...(result.ticket
          ? { ticket: ticketOut(await ctx.services.queue.withLivePosition(result.ticket)) }
          : {}),
      });
    },
  },
  {
    method: 'POST',
    path: '/venues/{venueId}/queue/tickets',
    access: 'shopper',
    handle: async (ctx) => {
      const body = parseBody<JoinRequest>(ctx.event, schemas.joinQueueBody);
      return created({
        ticket: ticketOut(await ctx.services.queue.join(ctx.actor, ctx.params.venueId ?? '', body)),
      });
    },
  },
  {
    method: 'GET',
    path: '/queue/tickets/{ticketId}',
    access: 'shopper',
    owned: true,
    handle: async (ctx) =>
      ok({ ticket: ticketOut(await ctx.services.queue.get(ctx.actor, ctx.params.ticketId ?? '')) }),
  },
  {
    method: 'DELETE',
    path: '/queue/tickets/{ticketId}',
    access: 'shopper',
    owned: true,
    handle: async (ctx) => {
      parseBody(ctx.event, schemas.noFieldsBody);
      return ok({ ticket: ticketOut(await ctx.services.queue.leave(ctx.actor, ctx.params.ticketId ?? '')) });
    },
  },
  {
    method: 'GET',
    path: '/me/queue/tickets',
    access: 'shopper',
    handle: (ctx) => pagedList(ctx, (page) => ctx.services.queue.listMine(ctx.actor, page), ticketOut),
  },
  {
    method: 'GET',
    path: '/me/preferences',
    access: 'shopper',
    handle: async (ctx) => ok({ preferences: preferencesOut(await ctx.services.preferences.get(ctx.actor)) }),
  },
  {
    method: 'PUT',
    path: '/me/preferences',
    access: 'shopper',
    handle: async (ctx) => {
      const body = parseBody<Preferences>(ctx.event, schemas.preferencesBody);
      return ok({ preferences: preferencesOut(await ctx.services.preferences.put(ctx.actor, body)) });
    },
  },
  {
    method: 'POST',
    path: '/venues/{venueId}/events',
    access: 'operator',
    handle: async (ctx) => {
      const body = normalizeTimes(parseBody<NewCatalogItem>(ctx.event, schemas.createEventBody));
      return created({
        event: catalogItemOut(await ctx.services.catalog.create(ctx.params.venueId ?? '', body)),
      });
    },
  },
  {
    method: 'PATCH',
    path: '/events/{eventId}',
    access: 'operator',
    handle: async (ctx) => {
      const changes = normalizeTimes(parseBody<CatalogChanges>(ctx.event, schemas.patchEventBody));
      if (Object.keys(changes).length === 0) throw ValidationFailed.at('(body)', 'nothing to change');
      return ok({
        event: catalogItemOut(await ctx.services.catalog.patch(ctx.params.eventId ?? '', changes)),
      });
    },
  },
  {
    method: 'POST',
    path: '/venues/{venueId}/pickup-slots',
    access: 'operator',
    handle: async (ctx) => {
      const body = parseBody<SlotDayRequest>(ctx.event, schemas.slotDayBody);
      const slots = await ctx.services.slots.generate(ctx.params.venueId ?? '', body);
      return created({ items: slots.map(slotOut) });
    },
  },
  {
    method: 'GET',
    path: '/venues/{venueId}/queue',
    access: 'operator',
    handle: async (ctx) => {
      const board = await ctx.services.queue.board(ctx.params.venueId ?? '');
      return ok({
        ...board,
        lanes: board.lanes.map((l) => ({
          laneId: l.laneId,
          serviceKinds: l.serviceKinds,
          accessible: l.accessible,
          open: l.open,
          planned: l.planned.map(ticketOut),
          called: l.called.map(ticketOut),
        })),
        waiting: board.waiting.map(ticketOut),
      });
    },
  },
  {
    method: 'POST',
    path: '/venues/{venueId}/lanes/{laneId}/call-next',
    access: 'operator',
    handle: async (ctx) => {
      parseBody(ctx.event, schemas.noFieldsBody);
      const ticket = await ctx.services.queue.callNext(ctx.params.venueId ?? '', ctx.params.laneId ?? '');
      return ticket ? ok({ ticket: ticketOut(ticket) }) : { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/queue/tickets/{ticketId}/complete',
    access: 'operator',
    handle: async (ctx) => {
      const { outcome } = parseBody<{ outcome: TicketOutcome }>(ctx.event, schemas.completeTicketBody);
      return ok({
        ticket: ticketOut(await ctx.services.queue.complete(ctx.actor, ctx.params.ticketId ?? '', outcome)),
      });
    },
  },
];

export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
