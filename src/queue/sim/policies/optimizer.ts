/**
 * `optimizer`: the worker's behaviour, simulated. Every `replanSeconds` (when something
 * changed) it calls the same `planQueue` the worker calls, with a PlannerMemory and the
 * observed service times, and records each ticket's first ETA. A free lane calls the head of
 * its plan, or the oldest eligible unplanned ticket when it has none, as `call-next` does.
 */
import { performance } from 'node:perf_hooks';
import type { StoredTicket } from '../../../domain/ports.ts';
import { ArrivalRateEstimator } from '../../arrival-rates.ts';
import { PlannerMemory } from '../../memory.ts';
import { planQueue } from '../../planner.ts';
import { eligible, type Policy, type SimContext, type SimLane, type TicketRecord } from '../engine.ts';

export function optimizerPolicy(): Policy {
  const memory = new PlannerMemory();
  const arrivals = new ArrivalRateEstimator();
  const stored = new Map<TicketRecord, StoredTicket>();
  const waiting = new Set<TicketRecord>();
  const fresh = new Set<TicketRecord>();
  let plans = new Map<string, { records: TicketRecord[]; head: number }>();
  let dirty = false;
  /** check-ins seen per slot start (ms), as the slot store counts them */
  const checkedIn = new Map<number, number>();
  const replanMs: number[] = [];

  const toStored = (record: TicketRecord, ctx: SimContext): StoredTicket => {
    let ticket = stored.get(record);
    if (ticket === undefined) {
      const t = record.ticket;
      ticket = {
        ticketId: t.ticketId,
        venueId: 'sim',
        userId: `u${t.seq}`,
        serviceKind: t.kind,
        partySize: t.partySize,
        accessibility: t.accessible,
        status: 'waiting',
        joinedAt: new Date(t.arrivalMs).toISOString(),
        version: 1,
      };
      if (t.appointment !== undefined) {
        ticket.appointment = {
          startsAt: new Date(t.appointment.startMs).toISOString(),
          endsAt: new Date(t.appointment.endMs).toISOString(),
        };
      }
      stored.set(record, ticket);
    }
    if (record.status === 'called' && ticket.status !== 'called') {
      ticket.status = 'called';
      ticket.calledAt = new Date(record.calledMs!).toISOString();
      ticket.calledLaneId = ctx.lanes[record.laneIndex!]!.lane.laneId;
      ticket.version++;
    }
    return ticket;
  };

  const replan = (ctx: SimContext) => {
    const tickets: StoredTicket[] = [];
    for (const record of waiting) tickets.push(toStored(record, ctx));
    for (const lane of ctx.lanes) {
      if (lane.current !== undefined) tickets.push(toStored(ctx.records[lane.current.seq]!, ctx));
    }
    const started = performance.now();
    const plan = planQueue(
      {
        tickets,
        lanes: ctx.lanes.map((l) => l.lane),
        rules: ctx.rules,
        now: new Date(ctx.now),
        observedServiceMinutes: ctx.estimator.snapshot(),
        etaServiceMinutes: ctx.estimator.steadySnapshot(),
        // the venue opens at the start of the day: every join since then is seen
        arrivalsPerMinute: arrivals.perMinute(ctx.now, ctx.opensAt),
        accessibleArrivalsPerMinute: arrivals.accessiblePerMinute(ctx.now, ctx.opensAt),
        joinsUntil: new Date(ctx.joinsUntil),
        // as the worker reads the slot store: bookings not checked in, of slots to come
        expectedCheckIns: ctx.bookedSlots
          .filter((slot) => slot.endMs > ctx.now && slot.startMs < ctx.joinsUntil)
          .map((slot) => ({
            kind: slot.kind,
            startsAt: new Date(slot.startMs).toISOString(),
            endsAt: new Date(slot.endMs).toISOString(),
            count: Math.max(0, slot.booked - (checkedIn.get(slot.startMs) ?? 0)),
          })),
      },
      memory,
    );
    replanMs.push(performance.now() - started);
    const byId = new Map<string, TicketRecord>();
    for (const record of waiting) byId.set(record.ticket.ticketId, record);
    for (const a of plan.assignments) {
      const record = byId.get(a.ticketId)!;
      const ticket = stored.get(record)!;
      if (ticket.laneId !== a.laneId || ticket.position !== a.position) ticket.version++;
      ticket.laneId = a.laneId;
      ticket.position = a.position;
      record.etaMs ??= Date.parse(a.etaAt);
    }
    plans = new Map(
      plan.lanes.map((l) => [l.laneId, { records: l.ticketIds.map((id) => byId.get(id)!), head: 0 }]),
    );
    for (const id of plan.unplannedTicketIds) {
      const ticket = stored.get(byId.get(id)!)!;
      ticket.laneId = undefined;
      ticket.position = undefined;
    }
    fresh.clear();
    dirty = false;
  };

  const head = (lane: SimLane): TicketRecord | undefined => {
    const plan = plans.get(lane.lane.laneId);
    if (plan === undefined) return undefined;
    while (plan.head < plan.records.length) {
      const record = plan.records[plan.head++]!;
      if (record.status === 'waiting') return record;
    }
    return undefined;
  };

  return {
    name: 'optimizer',
    replanMs,
    arrive(record) {
      const t = record.ticket;
      arrivals.observe(t.ticketId, t.kind, t.arrivalMs, {
        accessible: t.accessible,
        appointment: t.appointment !== undefined,
      });
      if (t.appointment !== undefined) {
        checkedIn.set(t.appointment.startMs, (checkedIn.get(t.appointment.startMs) ?? 0) + 1);
      }
      waiting.add(record);
      fresh.add(record);
      dirty = true;
    },
    select(lane) {
      // As call-next does: the head of the lane's plan, else the oldest eligible ticket the
      // worker has not planned yet. The plan is the last one the worker made, up to
      // `replanSeconds` old, computed while this lane was still busy.
      let next = head(lane);
      if (next === undefined) {
        for (const record of fresh) {
          if (
            eligible(lane.lane, record.ticket) &&
            (next === undefined || record.ticket.seq < next.ticket.seq)
          ) {
            next = record;
          }
        }
      }
      if (next !== undefined) {
        waiting.delete(next);
        fresh.delete(next);
        stored.delete(next);
      }
      // A lane that frees is news to the worker either way (the real one re-plans every loop).
      dirty = true;
      return next;
    },
    lanesChanged(ctx) {
      replan(ctx);
    },
    tick(ctx) {
      if (dirty) replan(ctx);
    },
  };
}
