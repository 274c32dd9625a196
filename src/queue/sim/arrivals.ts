/**
 * Draws the tickets of one venue day from a scenario and a seed, before any policy runs, so
 * that every policy sees the same customers with the same service times (common random
 * numbers: differences between policies are not noise from different draws).
 */
import { Random } from './random.ts';
import type { Appointments, Scenario } from './scenario.ts';

export const MINUTE_MS = 60_000;

export interface SimTicket {
  seq: number;
  ticketId: string;
  kind: string;
  partySize: number;
  accessible: boolean;
  arrivalMs: number;
  /** true service minutes (unknown to every policy until the service ends) */
  serviceMinutes: number;
  /** called but does not come: the lane loses `callNoShow.lostMinutes` */
  callNoShow: boolean;
  appointment?: { startMs: number; endMs: number; punctual: boolean };
}

function drawService(rng: Random, scenario: Scenario, kind: string): number {
  const mean = scenario.serviceMinutes[kind]!;
  return scenario.serviceDistribution === 'exponential'
    ? rng.exponential(mean)
    : rng.lognormal(mean, scenario.serviceCv);
}

function partySize(rng: Random, weights: readonly number[]): number {
  return rng.pick(weights) + 1;
}

/** The starts (minutes from the start of the day) of the appointment slots that fit in their span. */
export function slotStartMinutes(booked: Appointments): number[] {
  const starts: number[] = [];
  for (
    let start = booked.fromMinute;
    start + booked.slotMinutes <= booked.toMinute;
    start += booked.slotMinutes
  ) {
    starts.push(start);
  }
  return starts;
}

/** The day's tickets in arrival order, with ids `t000001`, … */
export function drawTickets(scenario: Scenario, seed: number): SimTicket[] {
  const rng = new Random(seed);
  const dayStart = Date.parse(scenario.startAt);
  const kinds = Object.keys(scenario.walkIns.kindShares);
  const shares = kinds.map((k) => scenario.walkIns.kindShares[k]!);
  const drafts: Omit<SimTicket, 'seq' | 'ticketId'>[] = [];
  for (const segment of scenario.walkIns.rates) {
    if (segment.perHour <= 0) continue;
    const meanGap = 60 / segment.perHour;
    for (
      let t = segment.fromMinute + rng.exponential(meanGap);
      t < segment.toMinute;
      t += rng.exponential(meanGap)
    ) {
      const kind = kinds[rng.pick(shares)]!;
      drafts.push({
        kind,
        partySize: partySize(rng, scenario.walkIns.partySizeWeights),
        accessible: rng.chance(scenario.walkIns.accessibilityShare),
        arrivalMs: dayStart + t * MINUTE_MS,
        serviceMinutes: drawService(rng, scenario, kind),
        callNoShow: rng.chance(scenario.callNoShow.share),
      });
    }
  }
  const booked = scenario.appointments;
  if (booked !== undefined) {
    for (const start of slotStartMinutes(booked)) {
      for (let b = 0; b < booked.bookingsPerSlot; b++) {
        if (rng.chance(booked.noShowShare)) continue;
        const u = rng.next();
        let offset: number;
        if (u < booked.punctualShare) offset = -5 + 10 * rng.next();
        else if (u < booked.punctualShare + booked.earlyShare) offset = -30 + 25 * rng.next();
        else offset = 5 + Math.max(0, booked.slotMinutes - 5) * rng.next();
        drafts.push({
          kind: booked.kind,
          partySize: partySize(rng, scenario.walkIns.partySizeWeights),
          accessible: rng.chance(scenario.walkIns.accessibilityShare),
          arrivalMs: dayStart + Math.max(0, start + offset) * MINUTE_MS,
          serviceMinutes: drawService(rng, scenario, booked.kind),
          callNoShow: false,
          appointment: {
            startMs: dayStart + start * MINUTE_MS,
            endMs: dayStart + (start + booked.slotMinutes) * MINUTE_MS,
            punctual: Math.abs(offset) <= 5,
          },
        });
      }
    }
  }
  drafts.sort((a, b) => a.arrivalMs - b.arrivalMs);
  return drafts.map((d, i) => ({ ...d, seq: i, ticketId: `t${String(i + 1).padStart(6, '0')}` }));
}
