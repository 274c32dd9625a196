/**
 * The two list schedules of the planner. Both replay the lanes forward in time from now: the
 * lane that is free first calls next.
 *
 * - `fifoTurns`: the single shared line (each ticket, oldest first, goes to the eligible lane
 *   free first). A ticket's start there is its FIFO turn; the fairness deadline is anchored on it.
 * - `dispatch`: the optimized order. A free lane calls, in this order of precedence:
 *   1. a class with no slack left for the lane's next choice: its head would miss its
 *      deadline (FIFO turn + fairness, or appointment slot end), or the class could not call
 *      all its tickets by their deadlines on its lanes (`Slack`). Least slack first, and
 *      appointments (promises, urgent one service earlier) before walk-ins; a lone head that
 *      another lane of its class reaches in time may wait;
 *   2. on an accessible lane, an accessible ticket (accessibility is preferred ahead);
 *   3. the class with the highest index: weight / expected service (Smith's WSPT ratio, the
 *      cμ rule of multi-class queues), times how loaded the class's eligible lanes are
 *      relative to the venue (plain cμ would let flexible lanes take every short ticket and
 *      leave the kinds few lanes serve to those few lanes; the factor raises a class whose
 *      lanes carry more backlog per lane than the venue's average), times 1 + wait / aging
 *      (the generalized cμ rule for a convex waiting cost: long waits rise smoothly, before
 *      the hard deadline of step 1 is needed).
 *   Within a class, walk-ins go oldest first and appointments by slot end.
 */
import type { Job, JobClass, OpenLane } from './jobs.ts';
import { MinHeap } from './min-heap.ts';

/** True when the jobs are already in joining order. */
export function isOldestFirst(jobs: readonly Job[]): boolean {
  for (let i = 1; i < jobs.length; i++) if (jobs[i]!.joinedMs < jobs[i - 1]!.joinedMs) return false;
  return true;
}

/** Start time (epoch ms) of each job under one shared FIFO line, in `jobs` order. */
export function fifoTurns(
  jobs: readonly Job[],
  classes: readonly JobClass[],
  open: readonly OpenLane[],
): number[] {
  const free = open.map((o) => o.freeMs);
  const order = jobs.map((_, i) => i);
  // Stores list tickets oldest first; sort only when they are not.
  if (!isOldestFirst(jobs)) order.sort((a, b) => jobs[a]!.joinedMs - jobs[b]!.joinedMs);
  const starts = new Array<number>(jobs.length);
  for (const i of order) {
    const job = jobs[i]!;
    let best = -1;
    for (const lane of classes[job.cls]!.lanes) if (best < 0 || free[lane]! < free[best]!) best = lane;
    // a ticket that joins later (a forecast one) cannot be called before it joins
    starts[i] = Math.max(free[best]!, job.joinedMs);
    free[best] = starts[i]! + classes[job.cls]!.serviceMs;
  }
  return starts;
}

/**
 * Scarcity-weighted cμ index of each class (higher is called first). Scarcity is a property of
 * the set of lanes that may serve a class, not of the class's size: the backlog of all classes
 * with that lane set, per lane, against the venue's backlog per lane. The plan takes the
 * backlog of now for the whole replay: the worker re-plans every few seconds, so only the
 * first calls of a plan are ever made, each with the scarcity of its moment. The ETA forecast
 * instead follows the backlog through the replay (`follow`): as the short kinds drain, the
 * kinds few lanes serve rise, which is what the re-plans to come will do.
 */
class Indices {
  private readonly cmu: number[];
  private readonly setOf: number[];
  private readonly setLanes: number[];
  private readonly setWork: number[];
  private readonly joined: number[];
  private readonly current: number[];

  constructor(
    private readonly classes: readonly JobClass[],
    private readonly heads: readonly number[],
    private readonly laneCount: number,
    private readonly scarcityWeight: number,
    private readonly follow: boolean,
  ) {
    // The weight is the mean party size of the kind, not of the class: classes of one kind
    // (walk-ins, appointments, accessible) then share c and μ and go oldest first.
    const kindWeight = new Map<string, { sum: number; count: number }>();
    for (const c of classes) {
      const w = kindWeight.get(c.kind) ?? { sum: 0, count: 0 };
      for (const job of c.jobs) w.sum += job.weight;
      w.count += c.jobs.length;
      kindWeight.set(c.kind, w);
    }
    this.cmu = classes.map((c) => {
      const w = kindWeight.get(c.kind)!;
      return w.count === 0 ? 0 : w.sum / w.count / c.serviceMs;
    });
    const sets = new Map<string, number>();
    this.setLanes = [];
    this.setOf = classes.map((c) => {
      const key = c.lanes.join(',');
      let id = sets.get(key);
      if (id === undefined) {
        id = sets.size;
        sets.set(key, id);
        this.setLanes.push(c.lanes.length);
      }
      return id;
    });
    this.setWork = this.setLanes.map(() => 0);
    this.joined = classes.map(() => 0);
    this.current = classes.map(() => 0);
  }

  private computed = false;

  /**
   * Every class's index for the backlog at `t` (jobs joined by then, not yet called); computed
   * once unless it follows the backlog.
   */
  at(t: number): readonly number[] {
    if (this.computed && !this.follow) return this.current;
    this.computed = true;
    const { classes, heads, joined, setWork, setOf } = this;
    setWork.fill(0);
    let total = 0;
    classes.forEach((c, ci) => {
      let n = joined[ci]!;
      while (n < c.jobs.length && c.jobs[n]!.joinedMs <= t) n++;
      joined[ci] = n;
      const work = Math.max(0, n - heads[ci]!) * c.serviceMs;
      setWork[setOf[ci]!] = setWork[setOf[ci]!]! + work;
      total += work;
    });
    const venueLoad = total / Math.max(1, this.laneCount);
    classes.forEach((_, ci) => {
      const cmu = this.cmu[ci]!;
      if (this.scarcityWeight === 0 || venueLoad === 0) {
        this.current[ci] = cmu;
        return;
      }
      const setLoad = setWork[setOf[ci]!]! / this.setLanes[setOf[ci]!]!;
      const ratio = Math.min(4, Math.max(0.25, setLoad / venueLoad));
      this.current[ci] = cmu * ratio ** this.scarcityWeight;
    });
    return this.current;
  }
}

function anotherLaneInTime(
  lanes: readonly number[],
  except: number,
  free: readonly number[],
  by: number,
): boolean {
  for (const l of lanes) if (l !== except && free[l]! <= by) return true;
  return false;
}

/**
 * Per class, what its deadlines leave of slack, from the jobs still to be called. The class's
 * jobs are called in their order; if its m lanes served nothing else, job k would be called
 * (work of the jobs before it) ÷ m after the head (the fluid schedule of the class's lanes).
 * `suffixMin[h]` = min over k ≥ h of (deadline_k − work before k ÷ m), so the slack of head h
 * at time t is `suffixMin[h] + work before h ÷ m − t`: O(1) per dispatch step after an O(n)
 * pass. A single deadline is the special case of a class of one.
 */
class Slack {
  private readonly suffixMin: Float64Array;
  private readonly workBefore: Float64Array;
  constructor(
    jobs: readonly Job[],
    serviceMs: number,
    private readonly lanes: number,
  ) {
    const n = jobs.length;
    this.workBefore = new Float64Array(n + 1);
    for (let k = 0; k < n; k++) this.workBefore[k + 1] = this.workBefore[k]! + serviceMs;
    this.suffixMin = new Float64Array(n + 1);
    this.suffixMin[n] = Number.POSITIVE_INFINITY;
    for (let k = n - 1; k >= 0; k--) {
      const own = jobs[k]!.deadlineMs - this.workBefore[k]! / lanes;
      this.suffixMin[k] = Math.min(own, this.suffixMin[k + 1]!);
    }
  }
  /** ms the class can still give away at `t` with `head` its next job (negative: late already) */
  at(head: number, t: number): number {
    return this.suffixMin[head]! + this.workBefore[head]! / this.lanes - t;
  }
}

/**
 * Per open lane, the jobs it will call, in order. Every job of a class with lanes is placed.
 * A job is not called before it joins (forecast jobs join in the future; a lane with nothing
 * to call yet waits for the next one). The ETA replay (`forecast`) lets scarcity follow the
 * backlog and records each job's call time in its `forecastMs`.
 */
export function dispatch(
  classes: readonly JobClass[],
  open: readonly OpenLane[],
  tuning: { scarcityWeight: number; agingMs: number; forecast?: boolean },
): Job[][] {
  const { agingMs } = tuning;
  const forecast = tuning.forecast === true;
  const heads = classes.map(() => 0);
  const scarcity = new Indices(classes, heads, open.length, tuning.scarcityWeight, forecast);
  const laneClasses: number[][] = open.map(() => []);
  classes.forEach((c, ci) => {
    for (const lane of c.lanes) laneClasses[lane]!.push(ci);
  });
  const free = open.map((o) => o.freeMs);
  const slacks = classes.map((c) => new Slack(c.jobs, c.serviceMs, Math.max(1, c.lanes.length)));
  const plans: Job[][] = open.map(() => []);
  // lanes by free time, ties: lower index first
  const heap = new MinHeap<number>((a, b) => free[a]! < free[b]! || (free[a] === free[b] && a < b));
  open.forEach((_, i) => {
    if (laneClasses[i]!.length > 0) heap.push(i);
  });
  while (heap.size > 0) {
    const lane = heap.pop();
    const t = free[lane]!;
    const accessibleLane = open[lane]!.lane.accessible;
    const indices = scarcity.at(t);
    let best = -1;
    let bestKey = Number.NEGATIVE_INFINITY;
    let bestJoined = Number.POSITIVE_INFINITY;
    let nextJoin = Number.POSITIVE_INFINITY;
    for (const ci of laneClasses[lane]!) {
      const head = classes[ci]!.jobs[heads[ci]!];
      if (head === undefined) continue;
      if (head.joinedMs > t) {
        nextJoin = Math.min(nextJoin, head.joinedMs);
        continue;
      }
      // Generalized cμ (convex waiting cost): the index grows with the head's wait, so that
      // long waits are not left to the hard deadline alone. Accessible tickets rank above
      // every index on an accessible lane. Equal indices (walk-ins and appointments of one
      // kind) go oldest first.
      const waited = Math.max(0, t - head.joinedMs);
      const key =
        indices[ci]! * (1 + waited / agingMs) + (accessibleLane && classes[ci]!.accessible ? 1e9 : 0);
      if (key > bestKey || (key === bestKey && head.joinedMs < bestJoined)) {
        best = ci;
        bestKey = key;
        bestJoined = head.joinedMs;
      }
    }
    if (best < 0) {
      // nothing this lane can serve has joined yet: it waits for the next join, else it is done
      if (Number.isFinite(nextJoin)) {
        free[lane] = nextJoin;
        heap.push(lane);
      }
      continue;
    }
    // Serving `best` first keeps this lane for its service. A class whose slack is less than
    // that must go now instead (least slack first): its head would miss its deadline, or the
    // class could no longer call all of its jobs by their deadlines on its lanes. Deadlines
    // that are bunched (an overload's backlog) are so served in time rather than one by one
    // once each is due.
    const busy = classes[best]!.serviceMs;
    let chosen = best;
    let least = Number.POSITIVE_INFINITY;
    let promise = false;
    for (const ci of laneClasses[lane]!) {
      const head = classes[ci]!.jobs[heads[ci]!];
      if (head === undefined || head.joinedMs > t) continue;
      const c = classes[ci]!;
      const slack = slacks[ci]!.at(heads[ci]!, t);
      // Appointments are promises, walk-in deadlines a fairness bound: an appointment class is
      // urgent one service earlier, and goes before urgent walk-ins.
      const margin = c.appointment ? c.serviceMs : 0;
      if (slack >= busy + margin) continue;
      if (promise && !c.appointment) continue;
      if (promise === c.appointment && slack >= least) continue;
      // A lone head that another lane of its class reaches before its deadline can wait.
      const alone = head.deadlineMs - t - slack < 1; // ms: the head itself is the bottleneck
      if (ci !== best && alone && anotherLaneInTime(c.lanes, lane, free, head.deadlineMs - margin)) continue;
      chosen = ci;
      least = slack;
      promise = c.appointment;
    }
    const job = classes[chosen]!.jobs[heads[chosen]!]!;
    heads[chosen] = heads[chosen]! + 1;
    plans[lane]!.push(job);
    if (forecast) job.forecastMs = t;
    free[lane] = t + classes[chosen]!.serviceMs;
    heap.push(lane);
  }
  return plans;
}
