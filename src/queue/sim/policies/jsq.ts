/**
 * `jsq`: per-lane lines. A ticket joins, on arrival, the eligible open lane with the fewest
 * people (waiting plus the one being served) and stays there; a lane serves its own line in
 * order. When a lane closes, its line re-joins the others the same way; tickets no open lane
 * serves wait aside until one opens. The ETA is the lane's expected remaining work.
 */
import { eligible, expectedFreeMs, type Policy, type SimContext, type TicketRecord } from '../engine.ts';

export function jsqPolicy(): Policy {
  let queues: TicketRecord[][] = [];
  let aside: TicketRecord[] = [];

  const join = (record: TicketRecord, ctx: SimContext): boolean => {
    let best = -1;
    let bestLength = Number.POSITIVE_INFINITY;
    for (const lane of ctx.lanes) {
      if (!lane.lane.open || !eligible(lane.lane, record.ticket)) continue;
      const length = queues[lane.index]!.length + (lane.current === undefined ? 0 : 1);
      if (length < bestLength) {
        best = lane.index;
        bestLength = length;
      }
    }
    if (best < 0) return false;
    const lane = ctx.lanes[best]!;
    let eta = expectedFreeMs(lane, ctx);
    for (const ahead of queues[best]!) eta += ctx.expectedMs(ahead.ticket.kind);
    record.etaMs ??= eta;
    queues[best]!.push(record);
    return true;
  };

  return {
    name: 'jsq',
    replanMs: [],
    arrive(record, ctx) {
      if (queues.length === 0) queues = ctx.lanes.map(() => []);
      if (!join(record, ctx)) aside.push(record);
    },
    select(lane) {
      return queues[lane.index]?.shift();
    },
    lanesChanged(ctx) {
      if (queues.length === 0) queues = ctx.lanes.map(() => []);
      const moving = [...aside];
      for (const lane of ctx.lanes) {
        if (lane.lane.open) continue;
        moving.push(...queues[lane.index]!);
        queues[lane.index] = [];
      }
      moving.sort((a, b) => a.ticket.seq - b.ticket.seq);
      aside = moving.filter((record) => !join(record, ctx));
    },
  };
}
