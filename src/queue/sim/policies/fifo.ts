/**
 * `fifo`: one shared line. A free lane calls the oldest waiting ticket it may serve. The ETA
 * shown at joining is the list schedule of the line as it stands (expected service times).
 */
import {
  eligible,
  expectedFreeMs,
  type Policy,
  type SimContext,
  type SimLane,
  type TicketRecord,
} from '../engine.ts';

export function fifoPolicy(): Policy {
  // One array per (kind, accessibility) class, oldest first, with lazy head pointers.
  const classes = new Map<string, { records: TicketRecord[]; head: number; sample: TicketRecord }>();
  const line: TicketRecord[] = [];
  let lineHead = 0;

  const predict = (ctx: SimContext): number => {
    const free = ctx.lanes.map((l) => expectedFreeMs(l, ctx));
    let start = Number.NaN;
    for (let i = lineHead; i < line.length; i++) {
      const record = line[i]!;
      if (record.status !== 'waiting') continue;
      let best = -1;
      for (const lane of ctx.lanes) {
        if (!lane.lane.open || !eligible(lane.lane, record.ticket)) continue;
        if (best < 0 || free[lane.index]! < free[best]!) best = lane.index;
      }
      if (best < 0) {
        start = Number.NaN;
        continue;
      }
      start = free[best]!;
      free[best] = start + ctx.expectedMs(record.ticket.kind);
    }
    return start;
  };

  return {
    name: 'fifo',
    replanMs: [],
    arrive(record, ctx) {
      const key = `${record.ticket.kind}|${record.ticket.accessible}`;
      let c = classes.get(key);
      if (c === undefined) {
        c = { records: [], head: 0, sample: record };
        classes.set(key, c);
      }
      c.records.push(record);
      line.push(record);
      while (lineHead < line.length && line[lineHead]!.status !== 'waiting') lineHead++;
      const eta = predict(ctx);
      if (!Number.isNaN(eta)) record.etaMs = eta;
    },
    select(lane: SimLane) {
      let best: { records: TicketRecord[]; head: number } | undefined;
      for (const c of classes.values()) {
        while (c.head < c.records.length && c.records[c.head]!.status !== 'waiting') c.head++;
        const head = c.records[c.head];
        if (head === undefined || !eligible(lane.lane, c.sample.ticket)) continue;
        if (best === undefined || head.ticket.seq < best.records[best.head]!.ticket.seq) best = c;
      }
      if (best === undefined) return undefined;
      const chosen = best.records[best.head]!;
      best.head++;
      return chosen;
    },
    lanesChanged() {},
  };
}
