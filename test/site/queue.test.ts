import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setLanguage } from '../../site/src/i18n.ts';
import { calledTickets, laneTitle, plannedFor, plannerWarning } from '../../site/src/operator/queue-board.ts';
import { ticketAnnouncement } from '../../site/src/views/queue.ts';
import type { QueueTicket } from '../../src/domain/model.ts';

function ticket(id: string, extra: Partial<QueueTicket> = {}): QueueTicket {
  return {
    ticketId: id,
    venueId: 'flagship-001',
    userId: 'u',
    serviceKind: 'pickup',
    partySize: 1,
    accessibility: false,
    status: 'waiting',
    joinedAt: '2026-12-01T15:00:00.000Z',
    ...extra,
  };
}

describe('queue screens', () => {
  it('warns on the board when the queue planner has stopped, and says nothing while it runs', () => {
    setLanguage('en');
    const tz = 'America/New_York';
    assert.equal(plannerWarning({ running: true, seenAt: '2026-12-01T15:00:00.000Z' }, tz, 'en-US'), '');
    assert.equal(plannerWarning(undefined, tz, 'en-US'), '', 'an API that does not say');
    assert.match(
      plannerWarning({ running: false, seenAt: '2026-12-01T15:00:00.000Z' }, tz, 'en-US'),
      /^The queue planner has not run since 10:00\sAM: lanes, positions and ETAs are not being updated\./,
    );
    assert.match(plannerWarning({ running: false }, tz, 'en-US'), /^The queue planner is not running/);
    setLanguage('es');
    assert.match(
      plannerWarning({ running: false, seenAt: '2026-12-01T15:00:00.000Z' }, tz, 'es-ES'),
      /^El planificador de la fila no funciona desde las 10:00/,
    );
    setLanguage('en');
  });

  it('titles a lane with its kinds, and a closed one with its announced return', () => {
    setLanguage('en');
    const tz = 'America/New_York';
    const lane = { laneId: 'L2', serviceKinds: ['pickup'], accessible: true, open: true };
    assert.equal(laneTitle(lane, tz, 'en-US'), 'Lane L2 — Order pickup · accessible');
    const closed = { ...lane, accessible: false, open: false, reopensAt: '2026-12-01T17:30:00.000Z' };
    assert.match(laneTitle(closed, tz, 'en-US'), /^Lane L2 — Order pickup · closed · back at 12:30\sPM$/);
    setLanguage('es');
    assert.match(laneTitle(closed, tz, 'es-US'), /cerrado · vuelve a las 12:30/);
    setLanguage('en');
  });

  it('announces position and ETA, being called, and the end of a ticket', () => {
    setLanguage('en');
    const tz = 'America/New_York';
    assert.equal(ticketAnnouncement(ticket('a'), tz, 'en-US'), 'Finding your place…');
    assert.match(
      ticketAnnouncement(ticket('a', { position: 3, etaAt: '2026-12-01T15:20:00.000Z' }), tz, 'en-US'),
      /^You are number 3 in line\. Expected at 10:20\sAM\.$/,
    );
    assert.equal(
      ticketAnnouncement(ticket('a', { status: 'called', laneId: 'L1', calledLaneId: 'L2' }), tz, 'en-US'),
      "You're being called! Please go to lane L2.",
    );
    assert.match(ticketAnnouncement(ticket('a', { status: 'done' }), tz, 'en-US'), /complete/);
    setLanguage('es');
    assert.match(ticketAnnouncement(ticket('a', { status: 'called', laneId: 'L1' }), tz, 'es-US'), /L1/);
    setLanguage('en');
  });

  it('lists a lane plan in position order, from nested or flat boards', () => {
    const flat = {
      lanes: [{ laneId: 'L1' }, { laneId: 'L2' }],
      waiting: [
        ticket('b', { laneId: 'L1', position: 2 }),
        ticket('a', { laneId: 'L1', position: 1 }),
        ticket('c', { laneId: 'L2', position: 1 }),
      ],
    };
    assert.deepEqual(
      plannedFor(flat, { laneId: 'L1' }).map((t) => t.ticketId),
      ['a', 'b'],
    );
    const nested = {
      lanes: [{ laneId: 'L1', tickets: [ticket('z', { position: 1 }), ticket('y', { status: 'called' })] }],
    };
    assert.deepEqual(
      plannedFor(nested, nested.lanes[0]!).map((t) => t.ticketId),
      ['z'],
    );
    assert.deepEqual(
      calledTickets(nested).map((t) => t.ticketId),
      ['y'],
    );
    const apiShape = {
      lanes: [
        {
          laneId: 'L1',
          planned: [ticket('p', { position: 1 })],
          called: [ticket('c', { status: 'called' })],
        },
      ],
      waiting: [ticket('p', { laneId: 'L1', position: 1 })],
    };
    assert.deepEqual(
      plannedFor(apiShape, apiShape.lanes[0]!).map((t) => t.ticketId),
      ['p'],
    );
    assert.deepEqual(
      calledTickets(apiShape).map((t) => t.ticketId),
      ['c'],
    );
    assert.deepEqual(
      calledTickets({ called: [ticket('q', { status: 'called' })] }).map((t) => t.ticketId),
      ['q'],
    );
  });
});
