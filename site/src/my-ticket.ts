/**
 * The shopper's active queue ticket at a venue, asked of the API (`GET /me/queue/tickets`, ADR
 * 0415) rather than remembered by this browser: it is found wherever it was opened — here, on
 * another device, or by an operator checking the shopper's pickup in.
 */
import type { Page, QueueTicket } from './api.ts';

/** Pages of 100: more than a week of tickets at other venues, which is all the API keeps. */
const MAX_PAGES = 10;

export interface TicketLister {
  myTickets(query: { limit: number; cursor?: string }): Promise<Page<QueueTicket>>;
}

/** The caller's waiting or called ticket at `venueId`, or undefined when they hold none. */
export async function activeTicket(api: TicketLister, venueId: string): Promise<QueueTicket | undefined> {
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await api.myTickets(cursor === undefined ? { limit: 100 } : { limit: 100, cursor });
    // Newest first, and nobody joins a venue again while a ticket there is active: the newest
    // ticket at this venue is the active one, if any is.
    const here = page.items.find((t) => t.venueId === venueId);
    if (here) return here.status === 'waiting' || here.status === 'called' ? here : undefined;
    if (page.nextCursor === undefined) return undefined;
    cursor = page.nextCursor;
  }
  return undefined;
}
