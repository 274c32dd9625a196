/**
 * What the planner remembers between two re-plans of one venue: each ticket's fairness
 * deadline, fixed the first time the ticket is planned. Without it the deadline would be
 * recomputed from a queue the optimizer has already reordered, and every overtaking would push
 * it later (a ticket could be deferred forever). A restarted worker starts empty and reads
 * the deadline back from the ticket (`fairnessDeadlineAt`, written with its first plan); only
 * a ticket never planned before gets a fresh one.
 */
export class PlannerMemory {
  private readonly deadlines = new Map<string, number>();

  /** the ticket's deadline (epoch ms), if it was planned before */
  deadline(ticketId: string): number | undefined {
    return this.deadlines.get(ticketId);
  }

  remember(ticketId: string, deadlineMs: number): void {
    this.deadlines.set(ticketId, deadlineMs);
  }

  /** Forgets tickets that are no longer waiting, so memory stays the size of the queue. */
  retain(activeTicketIds: ReadonlySet<string>): void {
    for (const id of this.deadlines.keys()) if (!activeTicketIds.has(id)) this.deadlines.delete(id);
  }
}
