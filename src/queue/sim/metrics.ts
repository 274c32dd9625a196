/**
 * The figures of one simulated day (the JSON keys `npm run bench:queue -- --json` prints).
 * Waits are minutes from joining to being called, over every called ticket. ETA figures count
 * only tickets that actually waited and were shown an ETA: error = actual call − ETA, and a
 * ticket is under-predicted when it was called more than one minute after its ETA.
 */
import type { SimTicket } from './arrivals.ts';
import { MINUTE_MS } from './arrivals.ts';
import type { TicketRecord } from './engine.ts';

export interface ClassFigures {
  tickets: number;
  meanWaitMin: number;
  p95WaitMin: number;
  maxWaitMin: number;
}

export interface DayFigures {
  tickets: number;
  unserved: number;
  meanWaitMin: number;
  p95WaitMin: number;
  maxWaitMin: number;
  meanWeightedWaitMin: number;
  etaMaeMin: number;
  etaWithin5MinShare: number;
  etaUnderShare: number;
  etaCount: number;
  appointmentsInWindowShare: number;
  byClass: Record<string, ClassFigures>;
}

/** The q-quantile (0–1) of values, nearest rank; 0 for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function classFigures(waits: readonly number[]): ClassFigures {
  return {
    tickets: waits.length,
    meanWaitMin: mean(waits),
    p95WaitMin: quantile(waits, 0.95),
    maxWaitMin: waits.length === 0 ? 0 : Math.max(...waits),
  };
}

function classesOf(ticket: SimTicket): string[] {
  const names = [ticket.kind];
  if (ticket.accessible) names.push('accessible');
  if (ticket.appointment !== undefined) names.push('appointment');
  return names;
}

export function dayFigures(records: readonly TicketRecord[]): DayFigures {
  const waits: number[] = [];
  const byClass = new Map<string, number[]>();
  let weighted = 0;
  let weights = 0;
  const errors: number[] = [];
  let punctual = 0;
  let inWindow = 0;
  let unserved = 0;
  for (const record of records) {
    const t = record.ticket;
    if (t.appointment?.punctual) {
      punctual++;
      if (record.calledMs !== undefined && record.calledMs <= t.appointment.endMs) inWindow++;
    }
    if (record.calledMs === undefined) {
      unserved++;
      continue;
    }
    const wait = (record.calledMs - t.arrivalMs) / MINUTE_MS;
    waits.push(wait);
    weighted += wait * t.partySize;
    weights += t.partySize;
    for (const name of classesOf(t)) {
      const list = byClass.get(name) ?? [];
      if (list.length === 0) byClass.set(name, list);
      list.push(wait);
    }
    if (wait > 0 && record.etaMs !== undefined) errors.push((record.calledMs - record.etaMs) / MINUTE_MS);
  }
  const overall = classFigures(waits);
  return {
    tickets: waits.length,
    unserved,
    meanWaitMin: overall.meanWaitMin,
    p95WaitMin: overall.p95WaitMin,
    maxWaitMin: overall.maxWaitMin,
    meanWeightedWaitMin: weights === 0 ? 0 : weighted / weights,
    etaMaeMin: mean(errors.map(Math.abs)),
    etaWithin5MinShare:
      errors.length === 0 ? 1 : errors.filter((e) => Math.abs(e) <= 5).length / errors.length,
    etaUnderShare: errors.length === 0 ? 0 : errors.filter((e) => e > 1).length / errors.length,
    etaCount: errors.length,
    appointmentsInWindowShare: punctual === 0 ? 1 : inWindow / punctual,
    byClass: Object.fromEntries([...byClass].sort().map(([name, list]) => [name, classFigures(list)])),
  };
}
