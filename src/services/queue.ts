/**
 * The virtual queue (routes 11, 12, 13, 19, 20, 21). Joining honours the `queue` feature, the
 * venue's local hours, an open lane for the service kind, `maxLength`, one active ticket and
 * the joins-per-hour cap (the last three inside the store's transaction). `call-next` takes the
 * head of the worker's plan for the lane, FIFO among eligible unplanned tickets when the lane
 * has no plan, and moves on to the next candidate when a concurrent writer won the version race.
 */
import { InvalidState, NotFound, QueueClosed, ValidationFailed } from '../domain/errors.ts';
import type { Caller, Page, PageRequest, QueueTicket, TicketOutcome, VenueEvent } from '../domain/model.ts';
import type { StoredTicket, TicketTransition } from '../domain/ports.ts';
import type { Lane, VenueRules } from '../domain/rules.ts';
import { eligible } from '../queue/jobs.ts';
import { checkParty } from './bookings.ts';
import { type Actor, canSee, newId, publishStored, type ServiceDeps, venueRules } from './context.ts';
import { byPlan, eligibleLanes, type LivePosition, livePositions } from './queue-position.ts';
import { offeredServiceKinds } from './venue-profile.ts';
import { isOpenAt } from './venue-time.ts';

export interface JoinRequest {
  serviceKind: string;
  partySize: number;
  accessibility?: boolean;
}

export interface QueueBoard {
  venueId: string;
  lanes: Array<Lane & { planned: QueueTicket[]; called: QueueTicket[] }>;
  waiting: QueueTicket[];
  stats: {
    waiting: number;
    called: number;
    unplanned: number;
    longestWaitMinutes: number;
    predictedWaitMinutes: number;
  };
  /**
   * Whether the queue worker plans (ADR 0507): `running` while a task began a cycle within
   * `PLANNER_STALE_SECONDS`; `seenAt`, when one last did. Without it positions and ETAs stand
   * still, which the board could not otherwise tell an operator.
   */
  planner: { running: boolean; seenAt?: string };
}

/** A planner not seen for longer than this counts as stopped (it cycles every few seconds). */
export const PLANNER_STALE_SECONDS = 60;

/** plan writes land every few seconds; a handful of fresh reads always outlasts them */
const LEAVE_ATTEMPTS = 5;
/**
 * How many of a lane plan's first tickets call-next tries before it asks the whole queue: a
 * few may have been called or moved a moment ago, and the index may not show it yet.
 */
const PLAN_HEAD_CANDIDATES = 5;
/** How often call-next calls one ticket that stays at its place while the worker rewrites it. */
const CALL_ATTEMPTS = 3;

function strip(ticket: QueueTicket | StoredTicket): QueueTicket {
  if (!('version' in ticket)) return ticket;
  const { version: _version, fairnessDeadlineAt: _deadline, ...rest } = ticket;
  return rest;
}

/**
 * The ticket with its live place: lane, position and ETA come from `live` only (none stale);
 * without a live place, the ticket as stored.
 */
function located(ticket: QueueTicket | StoredTicket, live: LivePosition | undefined): QueueTicket {
  if (!live) return strip(ticket);
  const { laneId: _lane, position: _position, etaAt: _eta, ...rest } = strip(ticket);
  return { ...rest, ...live };
}

export class QueueService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Route 11. */
  async join(actor: Actor, venueId: string, req: JoinRequest): Promise<QueueTicket> {
    const { venue } = await venueRules(this.deps, venueId, 'queue');
    checkParty(venue, req.partySize);
    if (!offeredServiceKinds(venue).includes(req.serviceKind))
      throw ValidationFailed.at('serviceKind', 'this venue offers no such service');
    const now = this.deps.clock.now();
    if (!isOpenAt(venue, now)) throw new QueueClosed('The venue is closed right now.');
    const accessibility = req.accessibility ?? false;
    if (eligibleLanes(venue, { serviceKind: req.serviceKind, accessibility }).length === 0) {
      throw new QueueClosed('No open lane serves this right now.');
    }
    const ticket = await this.deps.stores.queue.join({
      ticket: {
        ticketId: newId(this.deps),
        venueId,
        userId: actor.caller.userId,
        serviceKind: req.serviceKind,
        partySize: req.partySize,
        accessibility,
        status: 'waiting',
        joinedAt: now.toISOString(),
      },
      maxLength: venue.queue.maxLength,
      maxJoinsPerHour: venue.limits.queueJoinsPerHour,
    });
    return this.withLivePosition(ticket);
  }

  private async visibleTicket(caller: Caller, ticketId: string): Promise<StoredTicket> {
    const ticket = await this.deps.stores.queue.get(ticketId);
    if (!ticket || !canSee(caller, ticket.userId)) throw new NotFound('Ticket');
    return ticket;
  }

  /** A ticket as its owner sees it: a waiting one with its live position and ETA. */
  async withLivePosition(ticket: QueueTicket | StoredTicket): Promise<QueueTicket> {
    if (ticket.status !== 'waiting') return strip(ticket);
    const rules = (await this.deps.rules.current()).document.venues[ticket.venueId];
    if (!rules) return strip(ticket);
    const now = this.deps.clock.now();
    const live =
      (await this.lanePlanPosition(ticket, rules, now)) ??
      livePositions(await this.deps.stores.queue.listActive(ticket.venueId), rules, now).get(ticket.ticketId);
    return located(ticket, live);
  }

  /**
   * A planned ticket's live position from its lane alone: the tickets planned ahead of it that
   * still wait. This is what every shopper's poll reads, so it must not grow with the venue's
   * queue. Undefined when the lane plan cannot say: no plan, no open lane for the ticket (its
   * place is then among all who wait for those lanes), or the index does not hold the ticket
   * at its position yet (a plan written a moment ago).
   */
  private async lanePlanPosition(
    ticket: QueueTicket,
    rules: VenueRules,
    now: Date,
  ): Promise<LivePosition | undefined> {
    if (ticket.laneId === undefined || ticket.position === undefined) return undefined;
    if (eligibleLanes(rules, ticket).length === 0) return undefined;
    const upTo = await this.deps.stores.queue.lanePlanUpTo(ticket);
    // the list is the ticket's lane's; the ticket must be in it at its own position
    if (upTo.find((t) => t.ticketId === ticket.ticketId)?.position !== ticket.position) return undefined;
    const ahead = upTo.filter((t) => t.ticketId !== ticket.ticketId);
    return livePositions([...ahead, ticket], rules, now).get(ticket.ticketId);
  }

  /** Route 12. */
  async get(actor: Actor, ticketId: string): Promise<QueueTicket> {
    return this.withLivePosition(await this.visibleTicket(actor.caller, ticketId));
  }

  /**
   * The caller's own tickets, newest first; a waiting one with its live position and ETA. This
   * is how a shopper finds a ticket this device did not open: joined on another device, or
   * opened by an operator checking their pickup in (DESIGN.md has no such route; ADR 0415).
   */
  async listMine(actor: Actor, page: PageRequest): Promise<Page<QueueTicket>> {
    const found = await this.deps.stores.queue.listByUser(actor.caller.userId, page);
    const items = await Promise.all(found.items.map((ticket) => this.withLivePosition(ticket)));
    return { ...found, items };
  }

  /**
   * Route 13: leave; a waiting or called ticket becomes `left`. The worker re-plans waiting
   * tickets all the time (each plan write bumps the version), so a version race is retried on a
   * fresh read as long as the ticket can still be left: leaving never fails because of a plan.
   */
  async leave(actor: Actor, ticketId: string): Promise<QueueTicket> {
    let ticket = await this.visibleTicket(actor.caller, ticketId);
    for (let attempt = 1; ; attempt++) {
      if (ticket.status !== 'waiting' && ticket.status !== 'called') {
        throw new InvalidState(`A ${ticket.status} ticket cannot be left.`);
      }
      try {
        return strip(
          await this.deps.stores.queue.transition(ticket, {
            to: 'left',
            at: this.deps.clock.now().toISOString(),
          }),
        );
      } catch (error) {
        if (!(error instanceof InvalidState) || attempt >= LEAVE_ATTEMPTS) throw error;
        const fresh = await this.visibleTicket(actor.caller, ticketId);
        if (fresh.version === ticket.version) throw error; // not a race: the store refused
        ticket = fresh;
      }
    }
  }

  /** Route 19: the operators' board. */
  async board(venueId: string): Promise<QueueBoard> {
    const { venue } = await venueRules(this.deps, venueId);
    const now = this.deps.clock.now();
    const [active, plannerSeenAt] = await Promise.all([
      this.deps.stores.queue.listActive(venueId),
      this.deps.stores.queue.plannerSeenAt(),
    ]);
    const live = livePositions(active, venue, now);
    const waiting = active.filter((t) => t.status === 'waiting').map((t) => located(t, live.get(t.ticketId)));
    const called = active.filter((t) => t.status === 'called').map(strip);
    const lanes = venue.lanes.map((lane) => ({
      ...lane,
      planned: waiting
        .filter((t) => t.laneId === lane.laneId)
        .sort((a, b) => (a.position ?? 0) - (b.position ?? 0)),
      called: called.filter((t) => t.calledLaneId === lane.laneId),
    }));
    const minutesSince = (iso: string) => Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 60_000));
    const minutesUntil = (iso: string | undefined) =>
      iso === undefined ? 0 : Math.max(0, Math.round((Date.parse(iso) - now.getTime()) / 60_000));
    return {
      venueId,
      lanes,
      waiting,
      stats: {
        waiting: waiting.length,
        called: called.length,
        unplanned: waiting.filter((t) => t.laneId === undefined).length,
        longestWaitMinutes: Math.max(0, ...waiting.map((t) => minutesSince(t.joinedAt))),
        predictedWaitMinutes: Math.max(0, ...waiting.map((t) => minutesUntil(t.etaAt))),
      },
      planner:
        plannerSeenAt === undefined
          ? { running: false }
          : {
              running: now.getTime() - Date.parse(plannerSeenAt) <= PLANNER_STALE_SECONDS * 1000,
              seenAt: plannerSeenAt,
            },
    };
  }

  /**
   * Route 20: the next ticket for a lane, or undefined when nobody is waiting for it: the head
   * of the lane's plan, else (nothing planned there) the oldest unplanned ticket it may serve.
   * A closed lane calls nobody (INVALID_STATE).
   */
  async callNext(venueId: string, laneId: string): Promise<QueueTicket | undefined> {
    const { venue } = await venueRules(this.deps, venueId, 'queue');
    const lane = venue.lanes.find((l) => l.laneId === laneId);
    if (!lane) throw new NotFound('Lane');
    // a closed lane serves nobody new: its plan is stale until the worker re-plans, and the
    // shoppers an open lane would serve must not be sent to a closed desk
    if (!lane.open) throw new InvalidState(`Lane ${laneId} is closed.`);
    const at = this.deps.clock.now().toISOString();
    return (await this.callPlanHead(venueId, laneId, at)) ?? this.callFromQueue(venueId, lane, at);
  }

  /**
   * The head of the lane's plan, read from the lane alone (the lane plan index, in plan order):
   * the first entry that, read again, still waits at the place the index shows.
   * - One taken meanwhile (called by another operator, left) is passed over.
   * - A lost version race while it stays at its place (the worker wrote a new ETA) is retried
   *   on the fresh ticket.
   * - One that has moved means the index is behind a re-plan: the whole queue decides, and so
   *   it does when none of the first few can be called (undefined).
   */
  private async callPlanHead(venueId: string, laneId: string, at: string): Promise<QueueTicket | undefined> {
    const queue = this.deps.stores.queue;
    for (const entry of await queue.lanePlanHead(venueId, laneId, PLAN_HEAD_CANDIDATES)) {
      for (let attempt = 1; attempt <= CALL_ATTEMPTS; attempt++) {
        const ticket = await queue.get(entry.ticketId);
        if (ticket?.status !== 'waiting') break;
        const inPlace =
          ticket.venueId === venueId && ticket.laneId === laneId && ticket.position === entry.position;
        if (!inPlace) return undefined;
        const called = await this.tryCall(ticket, laneId, at);
        if (called) return called;
      }
    }
    return undefined;
  }

  /** Call-next from the venue's whole queue: the lane's planned tickets, else unplanned ones. */
  private async callFromQueue(venueId: string, lane: Lane, at: string): Promise<QueueTicket | undefined> {
    const waiting = (await this.deps.stores.queue.listActive(venueId)).filter((t) => t.status === 'waiting');
    const planned = waiting.filter((t) => t.laneId === lane.laneId && t.position !== undefined).sort(byPlan);
    const candidates =
      planned.length > 0
        ? planned
        : waiting.filter((t) => t.laneId === undefined && eligible(lane, t.serviceKind, t.accessibility));
    for (const ticket of candidates) {
      const called = await this.tryCall(ticket, lane.laneId, at);
      if (called) return called;
    }
    return undefined;
  }

  /** Calls the ticket, or undefined when another operator or the worker changed it first. */
  private async tryCall(ticket: StoredTicket, laneId: string, at: string): Promise<QueueTicket | undefined> {
    try {
      return strip(await this.deps.stores.queue.transition(ticket, { to: 'called', at, laneId }));
    } catch (error) {
      if (!(error instanceof InvalidState)) throw error;
      return undefined;
    }
  }

  /** Route 21: a called ticket is served or a no-show; a served pickup completes its reservation. */
  async complete(actor: Actor, ticketId: string, outcome: TicketOutcome): Promise<QueueTicket> {
    const ticket = await this.deps.stores.queue.get(ticketId);
    if (!ticket) throw new NotFound('Ticket');
    if (ticket.status !== 'called')
      throw new InvalidState(`Only a called ticket can be completed (it is ${ticket.status}).`);
    const at = this.deps.clock.now().toISOString();
    const change: TicketTransition = { to: outcome === 'served' ? 'done' : 'no_show', at, outcome };
    let event: VenueEvent | undefined;
    if (outcome === 'served' && ticket.serviceKind === 'pickup' && ticket.reservationId !== undefined) {
      event = {
        detailType: 'PickupCompleted',
        detail: {
          id: newId(this.deps),
          occurredAt: at,
          venueId: ticket.venueId,
          userId: ticket.userId,
          correlationId: actor.correlationId,
          reservationId: ticket.reservationId,
          ticketId,
        },
      };
      change.completeReservation = { reservationId: ticket.reservationId, event };
    }
    const done = await this.deps.stores.queue.transition(ticket, change);
    if (event) await publishStored(this.deps, [event], actor.correlationId);
    return strip(done);
  }
}
