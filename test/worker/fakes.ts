/** In-memory fakes of the ports the worker uses, with the same version semantics as the store. */
import { InvalidState } from '../../src/domain/errors.ts';
import type { VenueEvent } from '../../src/domain/model.ts';
import type {
  EventSweepPublisher,
  ObservedServiceTimes,
  OutboxStore,
  PlanWrite,
  PublishOutcome,
  RefusedEvent,
  RulesProvider,
  ServiceTimeStore,
  SlotCheckIns,
  SlotStore,
  StoredTicket,
  TicketTransition,
  WorkerLeaseStore,
} from '../../src/domain/ports.ts';
import type { RulesDocument, RulesSnapshot } from '../../src/domain/rules.ts';
import type { Logger } from '../../src/observability/log.ts';
import type { WorkerQueueStore } from '../../src/worker/venue-cycle.ts';
import { applyPlanWrite } from '../fakes/memory-queue.ts';
import { deferEntries, pendingEntries } from '../fakes/memory-reservations.ts';
import type { OutboxEntry } from '../fakes/memory-state.ts';

export class FakeQueueStore implements WorkerQueueStore {
  readonly tickets = new Map<string, StoredTicket>();
  applied: PlanWrite[][] = [];
  /** the venue of each `applied` plan */
  appliedVenues: string[] = [];
  failListActive = false;

  put(ticket: StoredTicket): void {
    this.tickets.set(ticket.ticketId, structuredClone(ticket));
  }
  async get(ticketId: string): Promise<StoredTicket | undefined> {
    const t = this.tickets.get(ticketId);
    return t === undefined ? undefined : structuredClone(t);
  }
  async listActive(venueId: string): Promise<StoredTicket[]> {
    if (this.failListActive) throw new Error('store down');
    return [...this.tickets.values()]
      .filter((t) => t.venueId === venueId && (t.status === 'waiting' || t.status === 'called'))
      .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt))
      .map((t) => structuredClone(t));
  }
  async transition(ticket: StoredTicket, change: TicketTransition): Promise<StoredTicket> {
    const current = this.tickets.get(ticket.ticketId);
    if (current === undefined || current.version !== ticket.version) throw new InvalidState('ticket changed');
    const next: StoredTicket = { ...current, status: change.to, version: current.version + 1 };
    if (change.to === 'called') {
      next.calledAt = change.at;
      next.calledLaneId = change.laneId;
    } else {
      next.completedAt = change.at;
      if (change.outcome !== undefined) next.outcome = change.outcome;
    }
    this.tickets.set(ticket.ticketId, next);
    return structuredClone(next);
  }
  async applyPlan(venueId: string, writes: PlanWrite[]): Promise<{ written: number; skipped: number }> {
    this.applied.push(writes);
    this.appliedVenues.push(venueId);
    let written = 0;
    for (const w of writes) {
      const t = this.tickets.get(w.ticketId);
      if (t === undefined || t.version !== w.version || t.status !== 'waiting') continue;
      this.tickets.set(w.ticketId, applyPlanWrite(t, w));
      written++;
    }
    return { written, skipped: writes.length - written };
  }
}

/** Pickup slots' reservations still to check in, as the worker asks for them. */
export class FakeSlots implements Pick<SlotStore, 'awaitingCheckIns'> {
  slots: SlotCheckIns[] = [];
  readonly asked: { venueId: string; from: string; to: string }[] = [];
  fail = false;
  async awaitingCheckIns(venueId: string, range: { from: string; to: string }): Promise<SlotCheckIns[]> {
    this.asked.push({ venueId, ...range });
    if (this.fail) throw new Error('AccessDeniedException');
    return this.slots.filter((s) => s.startsAt >= range.from && s.startsAt < range.to);
  }
}

export class FakeOutbox implements OutboxStore {
  readonly events: OutboxEntry[] = [];
  async listPending(olderThan: string, limit: number): Promise<VenueEvent[]> {
    return pendingEntries(this.events, olderThan, limit).map((e) => e.event);
  }
  async deferRefused(refused: RefusedEvent[], now: string): Promise<string[]> {
    return deferEntries(new Map(this.events.map((e) => [e.event.detail.id, e])), refused, now);
  }
  async markPublished(eventIds: string[], now: string): Promise<void> {
    for (const e of this.events) if (eventIds.includes(e.event.detail.id)) e.publishedAt = now;
  }
}

/** The bus as the sweep sees it: down altogether (`fail`), or refusing some events (`refuse`). */
export class FakePublisher implements EventSweepPublisher {
  readonly published: VenueEvent[] = [];
  fail = false;
  readonly refuse = new Set<string>();
  async publishEach(events: VenueEvent[]): Promise<PublishOutcome> {
    if (this.fail) return { accepted: [], refused: [], unreachable: new Error('bus down') };
    const outcome: PublishOutcome = { accepted: [], refused: [] };
    for (const event of events) {
      if (this.refuse.has(event.detail.id))
        outcome.refused.push({ id: event.detail.id, reason: 'MalformedDetail' });
      else {
        this.published.push(event);
        outcome.accepted.push(event.detail.id);
      }
    }
    return outcome;
  }
}

export function staticRules(document: RulesDocument): RulesProvider & { document: RulesDocument } {
  return {
    document,
    async current(): Promise<RulesSnapshot> {
      return { document: this.document, version: '1' };
    },
  };
}

export function collectingLogger(lines: Record<string, unknown>[] = []): Logger & { lines: typeof lines } {
  const log =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, ...fields });
    };
  const logger = {
    lines,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: () => logger,
  };
  return logger;
}

/** The worker lease with the store's semantics: one holder until its lease ends. */
export class FakeLease implements WorkerLeaseStore {
  holder?: { owner: string; untilMs: number };
  fail = false;
  async acquire(owner: string, nowMs: number, untilMs: number): Promise<boolean> {
    if (this.fail) throw new Error('store down');
    const held = this.holder;
    if (held !== undefined && held.owner !== owner && held.untilMs >= nowMs) return false;
    this.holder = { owner, untilMs };
    return true;
  }
  async release(owner: string): Promise<void> {
    if (this.holder?.owner === owner) this.holder = undefined;
  }
}

/** Saved service times per venue, as the store keeps them (a copy, as JSON would). */
export class FakeServiceTimes implements ServiceTimeStore {
  readonly saved = new Map<string, { times: ObservedServiceTimes; at: string }>();
  failLoad = false;
  async load(venueId: string): Promise<ObservedServiceTimes | undefined> {
    if (this.failLoad) throw new Error('store down');
    const entry = this.saved.get(venueId);
    return entry === undefined ? undefined : structuredClone(entry.times);
  }
  async save(venueId: string, times: ObservedServiceTimes, at: Date): Promise<void> {
    this.saved.set(venueId, { times: structuredClone(times), at: at.toISOString() });
  }
}
