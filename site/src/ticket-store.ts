/**
 * Remembers the shopper's active queue ticket id per user (the API has no "my ticket" route),
 * in localStorage so it survives closing the tab while waiting in the venue.
 */

function key(userId: string): string {
  return `venue-hub.ticket.${userId}`;
}

export function rememberTicket(userId: string, ticketId: string): void {
  localStorage.setItem(key(userId), ticketId);
}

export function rememberedTicket(userId: string): string | undefined {
  return localStorage.getItem(key(userId)) ?? undefined;
}

export function forgetTicket(userId: string): void {
  localStorage.removeItem(key(userId));
}
