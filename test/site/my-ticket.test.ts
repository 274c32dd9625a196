import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page, QueueTicket } from '../../site/src/api.ts';
import { activeTicket } from '../../site/src/my-ticket.ts';

function ticket(id: string, venueId: string, status: QueueTicket['status']): QueueTicket {
  return {
    ticketId: id,
    venueId,
    userId: 'u',
    serviceKind: 'pickup',
    partySize: 1,
    accessibility: false,
    status,
    joinedAt: '2026-12-01T15:00:00.000Z',
  };
}

/** The API's list, newest first, cut into pages of `size`; it records what was asked. */
function lister(newestFirst: QueueTicket[], size = 2) {
  const asked: { limit: number; cursor?: string }[] = [];
  return {
    asked,
    async myTickets(query: { limit: number; cursor?: string }): Promise<Page<QueueTicket>> {
      asked.push(query);
      const from = Number(query.cursor ?? 0);
      const items = newestFirst.slice(from, from + size);
      return from + size < newestFirst.length ? { items, nextCursor: String(from + size) } : { items };
    },
  };
}

describe('the shopper’s active ticket, asked of the API', () => {
  it('is the newest ticket at the venue when it waits or is called, found on a later page', async () => {
    const api = lister([
      ticket('t5', 'elsewhere', 'waiting'),
      ticket('t4', 'elsewhere', 'done'),
      ticket('t3', 'elsewhere', 'left'),
      ticket('t2', 'flagship-001', 'called'),
      ticket('t1', 'flagship-001', 'done'),
    ]);
    assert.equal((await activeTicket(api, 'flagship-001'))?.ticketId, 't2');
    assert.deepEqual(api.asked, [{ limit: 100 }, { limit: 100, cursor: '2' }]);
    assert.equal((await activeTicket(api, 'elsewhere'))?.ticketId, 't5');
  });

  it('is none when the newest ticket at the venue is over, or there is none', async () => {
    const over = lister([ticket('t2', 'flagship-001', 'no_show'), ticket('t1', 'flagship-001', 'waiting')]);
    assert.equal(await activeTicket(over, 'flagship-001'), undefined);
    assert.equal(over.asked.length, 1);
    const none = lister([ticket('t1', 'elsewhere', 'waiting')]);
    assert.equal(await activeTicket(none, 'flagship-001'), undefined);
    assert.equal(await activeTicket(lister([]), 'flagship-001'), undefined);
  });

  it('stops after ten pages', async () => {
    const api = lister(
      Array.from({ length: 30 }, (_, i) => ticket(`t${i}`, 'elsewhere', 'done')),
      1,
    );
    assert.equal(await activeTicket(api, 'flagship-001'), undefined);
    assert.equal(api.asked.length, 10);
  });
});
