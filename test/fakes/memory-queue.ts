/** In-memory QueueStore: the guards and counters of the real one, checked before any change. */
import { AlreadyQueued, InvalidState, NotFound, QueueFull, RateLimited } from '../../src/domain/errors.ts';
import type {
  JoinCommand,
  LanePlanEntry,
  PlanWrite,
  QueueStore,
  StoredTicket,
  TicketTransition,
} from '../../src/domain/ports.ts';
import { ACTIVE_TICKET, type MemoryState } from './memory-state.ts';
import { byTimeThenId, copy, pageOf } from './paging.ts';

const byJoined = (newestFirst = false) =>
  byTimeThenId<StoredTicket>(
    (t) => t.joinedAt,
    (t) => t.ticketId,
    newestFirst,
  );

function joinKey(ticket: { venueId: string; userId: string; joinedAt: string }): string {
  return `${ticket.venueId}#${ticket.userId}#${ticket.joinedAt.slice(0, 13)}`;
}

/** Checks every join rule; throws before anything changes. */
export function checkJoin(state: MemoryState, cmd: JoinCommand): void {
  const { ticket } = cmd;
  const venueTickets = [...state.tickets.values()].filter((t) => t.venueId === ticket.venueId);
  if (venueTickets.some((t) => t.userId === ticket.userId && ACTIVE_TICKET.has(t.status)))
    throw new AlreadyQueued();
  if (venueTickets.filter((t) => t.status === 'waiting').length >= cmd.maxLength) throw new QueueFull();
  if ((state.joins.get(joinKey(ticket)) ?? 0) >= cmd.maxJoinsPerHour) {
    throw new RateLimited('Too many queue joins this hour; please try again later.');
  }
}

/** Writes a join that `checkJoin` accepted. */
export function applyJoin(state: MemoryState, cmd: JoinCommand): StoredTicket {
  const stored: StoredTicket = { ...copy(cmd.ticket), version: 1 };
  state.tickets.set(stored.ticketId, stored);
  state.joins.set(joinKey(stored), (state.joins.get(joinKey(stored)) ?? 0) + 1);
  return copy(stored);
}

export function memoryQueueStore(state: MemoryState): QueueStore {
  return {
    async join(cmd) {
      checkJoin(state, cmd);
      return applyJoin(state, cmd);
    },
    async get(ticketId) {
      const ticket = state.tickets.get(ticketId);
      return ticket && copy(ticket);
    },
    async listByUser(userId, page) {
      const all = [...state.tickets.values()]
        .filter((t) => t.userId === userId)
        // as the store's index: newest first, by id among those joining in the same millisecond
        .sort(byJoined(true));
      const result = pageOf(all, page);
      return { ...result, items: result.items.map(copy) };
    },
    async listActive(venueId) {
      return (
        [...state.tickets.values()]
          .filter((t) => t.venueId === venueId && ACTIVE_TICKET.has(t.status))
          // as the store: oldest first, by id among those joining in the same millisecond
          .sort(byJoined())
          .map(copy)
      );
    },
    async lanePlanUpTo(ticket) {
      return lanePlanUpTo(state.tickets.values(), ticket);
    },
    async lanePlanHead(venueId, laneId, limit) {
      return lanePlanHead(state.tickets.values(), venueId, laneId, limit);
    },
    async transition(ticket: StoredTicket, change: TicketTransition) {
      const current = state.tickets.get(ticket.ticketId);
      if (!current) throw new NotFound('Ticket');
      if (current.version !== ticket.version)
        throw new InvalidState('The ticket changed meanwhile; try again.');
      const completion = change.completeReservation;
      const reservation = completion && state.reservations.get(completion.reservationId);
      if (completion && reservation?.status !== 'checked_in') {
        throw new InvalidState('The reservation is not checked in.');
      }
      const next: StoredTicket = { ...current, status: change.to, version: current.version + 1 };
      if (change.to === 'called') {
        next.calledAt = change.at;
        if (change.laneId !== undefined) next.calledLaneId = change.laneId;
      } else {
        next.completedAt = change.at;
        if (change.outcome !== undefined) next.outcome = change.outcome;
      }
      delete next.position;
      state.tickets.set(next.ticketId, next);
      if (completion && reservation) {
        state.reservations.set(reservation.reservationId, {
          ...reservation,
          status: 'completed',
          updatedAt: change.at,
        });
        state.outbox.set(completion.event.detail.id, { event: copy(completion.event) });
      }
      return copy(next);
    },
    async plannerSeenAt() {
      return state.plannerSeenAt;
    },
    async applyPlan(_venueId, writes) {
      let written = 0;
      let skipped = 0;
      for (const w of writes) {
        const current = state.tickets.get(w.ticketId);
        if (!current || current.version !== w.version || current.status !== 'waiting') {
          skipped += 1;
          continue;
        }
        state.tickets.set(w.ticketId, applyPlanWrite(current, w));
        written += 1;
      }
      return { written, skipped };
    },
  };
}

/**
 * What the lane plan index answers: the waiting tickets on `ticket`'s lane at its position or
 * ahead, with only the fields it projects.
 */
export function lanePlanUpTo(
  tickets: Iterable<StoredTicket>,
  ticket: Pick<StoredTicket, 'venueId' | 'laneId' | 'position'>,
): LanePlanEntry[] {
  const { laneId, position } = ticket;
  if (laneId === undefined || position === undefined) return [];
  return lanePlan(tickets, ticket.venueId, laneId).filter((t) => (t.position ?? 0) <= position);
}

/** What the index answers for a lane's head: its first `limit` tickets (position, then id). */
export function lanePlanHead(
  tickets: Iterable<StoredTicket>,
  venueId: string,
  laneId: string,
  limit: number,
): LanePlanEntry[] {
  return lanePlan(tickets, venueId, laneId)
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || (a.ticketId < b.ticketId ? -1 : 1))
    .slice(0, limit);
}

/** The index's entries of a lane: its planned waiting tickets, the fields it projects. */
function lanePlan(tickets: Iterable<StoredTicket>, venueId: string, laneId: string): LanePlanEntry[] {
  return [...tickets]
    .filter(
      (t) =>
        t.venueId === venueId && t.status === 'waiting' && t.laneId === laneId && t.position !== undefined,
    )
    .map((t) => ({
      ticketId: t.ticketId,
      status: t.status,
      serviceKind: t.serviceKind,
      accessibility: t.accessibility,
      laneId,
      position: t.position,
      joinedAt: t.joinedAt,
    }));
}

/** The ticket after one plan write (the store's update expression, in memory). */
export function applyPlanWrite(ticket: StoredTicket, w: PlanWrite): StoredTicket {
  const next: StoredTicket = { ...ticket, version: ticket.version + 1 };
  if ('unplanned' in w) {
    delete next.laneId;
    delete next.position;
    delete next.etaAt;
  } else {
    next.laneId = w.laneId;
    next.position = w.position;
    next.etaAt = w.etaAt;
    if (w.fairnessDeadlineAt !== undefined) next.fairnessDeadlineAt = w.fairnessDeadlineAt;
  }
  return next;
}
