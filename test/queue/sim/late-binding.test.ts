import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MINUTE_MS, type SimTicket } from '../../../src/queue/sim/arrivals.ts';
import { runDay } from '../../../src/queue/sim/engine.ts';
import { optimizerPolicy } from '../../../src/queue/sim/policies/optimizer.ts';
import { parseScenario } from '../../../src/queue/sim/scenario.ts';

// Two lanes serving both kinds; the worker re-plans only every 10 minutes, so whatever lane A
// does when it frees early comes from the call itself, not from a periodic re-plan.
const scenario = parseScenario({
  name: 'late-binding',
  durationMinutes: 60,
  lanes: [
    { laneId: 'A', serviceKinds: ['pickup', 'consultation'] },
    { laneId: 'B', serviceKinds: ['pickup', 'consultation'] },
  ],
  serviceMinutes: { pickup: 3, consultation: 15 },
  walkIns: { rates: [{ fromMinute: 0, toMinute: 60, perHour: 1 }], kindShares: { pickup: 1 } },
  callNoShow: { share: 0, lostMinutes: 2 },
  replanSeconds: 600,
});

function ticket(seq: number, kind: string, atSeconds: number, serviceMinutes: number): SimTicket {
  return {
    seq,
    ticketId: `t${seq}`,
    kind,
    partySize: 1,
    accessible: false,
    arrivalMs: Date.parse(scenario.startAt) + atSeconds * 1000,
    serviceMinutes,
    callNoShow: false,
  };
}

describe('optimizer policy: late binding', () => {
  it('a lane that frees earlier than expected takes what a plan made at that moment gives it', () => {
    const tickets = [
      ticket(0, 'consultation', 1, 1), // lane A, expected 15 min, done after 1
      ticket(1, 'pickup', 2, 3), // lane B until minute ~3
      ticket(2, 'consultation', 3, 15),
      ticket(3, 'pickup', 4, 3),
    ];
    const records = runDay(scenario, tickets, optimizerPolicy());
    const freedAt = tickets[0]!.arrivalMs + MINUTE_MS;
    // Lane A does not idle until the next periodic re-plan, nor take the plan it was given
    // while busy: free first, it calls the ticket with the highest cμ index, the pickup.
    assert.equal(records[3]!.calledMs, freedAt);
    assert.equal(records[3]!.laneIndex, 0);
    // The consultation goes to lane B when its pickup ends, well before the 10-minute tick.
    assert.equal(records[2]!.laneIndex, 1);
    assert.ok(records[2]!.calledMs! < tickets[0]!.arrivalMs + 5 * MINUTE_MS);
    for (const record of records) assert.equal(record.status, 'done');
  });
});
