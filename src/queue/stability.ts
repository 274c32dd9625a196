/**
 * Stability between re-plans: a ticket that stays on its lane moves back at most `bound`
 * places. The optimized order of one lane is repaired position by position: a ticket whose
 * limit (previous position + bound) has come is placed first (earliest limit first); otherwise
 * the optimized order goes on. Limits of one lane's previous plan are distinct, so the repair
 * always meets them. Tickets that change lanes (or whose lane closed) carry no limit here.
 */
import type { Job } from './jobs.ts';

/** Reorders one lane's jobs so that no ticket from this lane's previous plan drops more than `bound`. */
export function stabilize(laneId: string, jobs: readonly Job[], bound: number): Job[] {
  const limited: { job: Job; limit: number }[] = [];
  for (const job of jobs) {
    const previous = job.ticket.position;
    if (job.ticket.laneId === laneId && previous !== undefined && previous >= 1) {
      limited.push({ job, limit: previous + bound });
    }
  }
  if (limited.length === 0) return [...jobs];
  limited.sort((a, b) => a.limit - b.limit);
  const result: Job[] = [];
  const placed = new Set<Job>();
  let next = 0; // next limited ticket (earliest limit)
  let cursor = 0; // next job of the optimized order
  while (result.length < jobs.length) {
    while (next < limited.length && placed.has(limited[next]!.job)) next++;
    const position = result.length + 1;
    const due = limited[next];
    let job: Job | undefined;
    if (due !== undefined && due.limit <= position) job = due.job;
    else {
      while (placed.has(jobs[cursor]!)) cursor++;
      job = jobs[cursor]!;
    }
    placed.add(job);
    result.push(job);
  }
  return result;
}
