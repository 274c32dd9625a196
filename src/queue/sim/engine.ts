/**
 * The discrete-event core of the venue-day simulator: arrivals, calls, service ends and lane
 * openings/closings, in time order (ties in insertion order). A policy decides which ticket a
 * free lane calls; the engine owns the clock, the lanes and the facts that are measured.
 */
import type { Lane, QueueRules } from '../../domain/rules.ts';
import { MinHeap } from '../min-heap.ts';
import { ServiceTimeEstimator } from '../service-times.ts';
import { MINUTE_MS, type SimTicket, slotStartMinutes } from './arrivals.ts';
import type { Scenario } from './scenario.ts';

export interface SimLane {
  index: number;
  lane: Lane;
  current?: SimTicket;
  calledMs?: number;
}

/** What the engine records per ticket; the policy sets `etaMs` (first prediction shown). */
export interface TicketRecord {
  ticket: SimTicket;
  status: 'waiting' | 'called' | 'done';
  calledMs?: number;
  laneIndex?: number;
  etaMs?: number;
}

export interface SimContext {
  now: number;
  lanes: readonly SimLane[];
  rules: QueueRules;
  estimator: ServiceTimeEstimator;
  records: readonly TicketRecord[];
  /** the start of the day (epoch ms): the venue's opening time, which the worker knows */
  opensAt: number;
  /** the end of the day's arrivals (epoch ms): the venue's closing time, which the worker knows */
  joinsUntil: number;
  /** the day's booked appointment slots, as the venue's slot store holds them (bookings, no-shows included) */
  bookedSlots: readonly { kind: string; startMs: number; endMs: number; booked: number }[];
  /** expected service ms of a kind, as a policy would know it (rules corrected by observations) */
  expectedMs(kind: string): number;
  eligible(lane: Lane, ticket: SimTicket): boolean;
}

export interface Policy {
  readonly name: string;
  arrive(record: TicketRecord, ctx: SimContext): void;
  /** the ticket a free, open lane calls now, or undefined to stay idle */
  select(lane: SimLane, ctx: SimContext): TicketRecord | undefined;
  lanesChanged(ctx: SimContext): void;
  /** periodic work (the worker's loop), every `replanSeconds` while tickets wait */
  tick?(ctx: SimContext): void;
  /** planner durations, ms (optimizer only) */
  readonly replanMs: number[];
}

type SimEvent =
  | { at: number; seq: number; type: 'arrive'; record: TicketRecord }
  | { at: number; seq: number; type: 'free'; lane: SimLane }
  | { at: number; seq: number; type: 'lane'; laneId: string; open: boolean; reopensAt?: string }
  | { at: number; seq: number; type: 'tick' };

type NewEvent = SimEvent extends infer E ? (E extends SimEvent ? Omit<E, 'seq'> : never) : never;

function before(a: SimEvent, b: SimEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export function eligible(lane: Lane, ticket: SimTicket): boolean {
  return lane.serviceKinds.includes(ticket.kind) && (!ticket.accessible || lane.accessible);
}

/**
 * When a lane is expected to call again, as the baselines' ETAs see it: now if it is idle,
 * else when its current service is expected to end (never before now).
 */
export function expectedFreeMs(lane: SimLane, ctx: SimContext): number {
  if (lane.current === undefined) return ctx.now;
  return Math.max(ctx.now, lane.calledMs! + ctx.expectedMs(lane.current.kind));
}

function bookedSlots(scenario: Scenario, dayStart: number): SimContext['bookedSlots'] {
  const booked = scenario.appointments;
  if (booked === undefined || booked.bookingsPerSlot === 0) return [];
  return slotStartMinutes(booked).map((start) => ({
    kind: booked.kind,
    startMs: dayStart + start * MINUTE_MS,
    endMs: dayStart + (start + booked.slotMinutes) * MINUTE_MS,
    booked: booked.bookingsPerSlot,
  }));
}

/** Runs one venue day under a policy; returns every ticket's record and the lanes. */
export function runDay(scenario: Scenario, tickets: readonly SimTicket[], policy: Policy): TicketRecord[] {
  const dayStart = Date.parse(scenario.startAt);
  const rules: QueueRules = {
    maxLength: Number.MAX_SAFE_INTEGER,
    noShowGraceMinutes: scenario.queue.noShowGraceMinutes,
    serviceMinutes: scenario.rulesServiceMinutes,
    fairnessMinutes: scenario.queue.fairnessMinutes,
    acceptableWaitMinutes: scenario.queue.acceptableWaitMinutes,
    agingMinutes: scenario.queue.agingMinutes,
    stabilityPositions: scenario.queue.stabilityPositions,
    appointmentEarlyMinutes: scenario.queue.appointmentEarlyMinutes,
    scarcityWeight: scenario.queue.scarcityWeight,
  };
  const estimator = new ServiceTimeEstimator(scenario.rulesServiceMinutes);
  const lanes: SimLane[] = scenario.lanes.map((lane, index) => ({ index, lane: { ...lane } }));
  const records: TicketRecord[] = tickets.map((ticket) => ({ ticket, status: 'waiting' }));
  const ctx: SimContext = {
    now: dayStart,
    lanes,
    rules,
    estimator,
    records,
    opensAt: dayStart,
    joinsUntil: dayStart + scenario.durationMinutes * MINUTE_MS,
    bookedSlots: bookedSlots(scenario, dayStart),
    expectedMs: (kind) => (estimator.estimate(kind) ?? 5) * MINUTE_MS,
    eligible,
  };
  const events = new MinHeap<SimEvent>(before);
  let seq = 0;
  const schedule = (event: NewEvent) => events.push({ ...event, seq: seq++ } as SimEvent);
  for (const record of records) schedule({ at: record.ticket.arrivalMs, type: 'arrive', record });
  for (const change of scenario.laneChanges) {
    schedule({
      at: dayStart + change.atMinute * MINUTE_MS,
      type: 'lane',
      laneId: change.laneId,
      open: change.open,
      ...(change.open || change.backAtMinute === undefined
        ? {}
        : { reopensAt: new Date(dayStart + change.backAtMinute * MINUTE_MS).toISOString() }),
    });
  }
  const tickMs = scenario.replanSeconds * 1000;
  let pendingArrivals = records.length;
  let waiting = 0;
  if (policy.tick !== undefined) schedule({ at: dayStart, type: 'tick' });

  const call = (lane: SimLane, record: TicketRecord) => {
    record.status = 'called';
    record.calledMs = ctx.now;
    record.laneIndex = lane.index;
    waiting--;
    lane.current = record.ticket;
    lane.calledMs = ctx.now;
    const busy = record.ticket.callNoShow ? scenario.callNoShow.lostMinutes : record.ticket.serviceMinutes;
    schedule({ at: ctx.now + busy * MINUTE_MS, type: 'free', lane });
  };
  const fillIdleLanes = () => {
    for (const lane of lanes) {
      if (!lane.lane.open || lane.current !== undefined) continue;
      const next = policy.select(lane, ctx);
      if (next !== undefined) call(lane, next);
    }
  };

  while (events.size > 0) {
    const event = events.pop();
    ctx.now = event.at;
    switch (event.type) {
      case 'arrive':
        pendingArrivals--;
        waiting++;
        policy.arrive(event.record, ctx);
        fillIdleLanes();
        break;
      case 'free': {
        const lane = event.lane;
        const served = lane.current!;
        const record = records[served.seq]!;
        record.status = 'done';
        if (!served.callNoShow) estimator.observe(served.kind, served.serviceMinutes);
        lane.current = undefined;
        lane.calledMs = undefined;
        if (lane.lane.open) {
          const next = policy.select(lane, ctx);
          if (next !== undefined) call(lane, next);
        }
        break;
      }
      case 'lane': {
        const lane = lanes.find((l) => l.lane.laneId === event.laneId)!;
        const { reopensAt: _announced, ...rest } = lane.lane;
        lane.lane = { ...rest, open: event.open, ...(event.reopensAt ? { reopensAt: event.reopensAt } : {}) };
        policy.lanesChanged(ctx);
        fillIdleLanes();
        break;
      }
      case 'tick':
        policy.tick!(ctx);
        fillIdleLanes();
        // Only ticks left means nothing can change any more: tickets no lane serves stay unserved.
        if ((pendingArrivals > 0 || waiting > 0) && events.size > 0) {
          schedule({ at: ctx.now + tickMs, type: 'tick' });
        }
        break;
    }
  }
  return records;
}
