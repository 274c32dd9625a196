/**
 * Queue tickets (queue-state table), with the items that keep joins honest: the user's guard
 * `ACTIVE#{venueId}#{userId}`, the venue's waiting counter and the user's joins per hour.
 * Every change of a ticket is conditional on its `version`, and moves the guard and the
 * counter in the same transaction, so they never drift from the tickets.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidState, NotFound } from '../../domain/errors.ts';
import type { Page, PageRequest, TicketStatus } from '../../domain/model.ts';
import type {
  JoinCommand,
  LanePlanEntry,
  PlanWrite,
  QueueStore,
  StoredTicket,
  TicketTransition,
} from '../../domain/ports.ts';
import { type Db, epochSeconds, isConditionFailure, mapLimit } from './db.ts';
import { versionedUpdate } from './expressions.ts';
import { queueKeys, RETENTION_SECONDS, reservationKeys } from './keys.ts';
import { outboxPut } from './outbox-store.ts';
import { queryAll, timeOrderedPage } from './pagination.ts';
import { joinActions, toLanePlanEntries, toStoredTicket } from './queue-items.ts';
import { moveReservation, releaseGuard, toReservation } from './reservation-items.ts';
import { type TxAction, transactWrite } from './transactions.ts';

const FINAL: TicketStatus[] = ['done', 'left', 'no_show'];
const PLAN_CONCURRENCY = 8;

export class DynamoQueueStore implements QueueStore {
  constructor(private readonly db: Db) {}

  private get table(): string {
    return this.db.tables.queueState;
  }

  async join(cmd: JoinCommand): Promise<StoredTicket> {
    await transactWrite(this.db, joinActions(this.db.tables, cmd));
    return { ...cmd.ticket, status: 'waiting', version: 1 };
  }

  async get(ticketId: string): Promise<StoredTicket | undefined> {
    const out = await this.db.run(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.table, Key: queueKeys.ticket(ticketId), ConsistentRead: true }),
      ),
    );
    return out.Item && toStoredTicket(out.Item);
  }

  async listByUser(userId: string, page: PageRequest): Promise<Page<StoredTicket>> {
    return timeOrderedPage(
      this.db,
      {
        table: this.table,
        index: 'byUser',
        keys: ['gsi2pk', 'gsi2sk'],
        partition: queueKeys.user(userId),
        map: toStoredTicket,
      },
      page,
    );
  }

  async listActive(venueId: string): Promise<StoredTicket[]> {
    const byStatus = await Promise.all(
      (['waiting', 'called'] as const).map((status) =>
        queryAll(this.db, {
          TableName: this.table,
          IndexName: 'byVenueStatus',
          KeyConditionExpression: 'gsi1pk = :partition',
          ExpressionAttributeValues: { ':partition': queueKeys.venueStatus(venueId, status) },
        }),
      ),
    );
    return byStatus
      .flat()
      .map(toStoredTicket)
      .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt) || a.ticketId.localeCompare(b.ticketId));
  }

  async lanePlanUpTo(
    ticket: Pick<StoredTicket, 'venueId' | 'laneId' | 'position'>,
  ): Promise<LanePlanEntry[]> {
    if (ticket.laneId === undefined || ticket.position === undefined) return [];
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: 'byLanePlan',
      KeyConditionExpression: 'gsi3pk = :lane AND gsi3sk < :below',
      ExpressionAttributeValues: {
        ':lane': queueKeys.lanePlan(ticket.venueId, ticket.laneId),
        ':below': queueKeys.lanePlacesBelow(ticket.position + 1),
      },
    });
    return toLanePlanEntries(items, ticket.venueId);
  }

  async lanePlanHead(venueId: string, laneId: string, limit: number): Promise<LanePlanEntry[]> {
    const out = await this.db.run(() =>
      this.db.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byLanePlan',
          KeyConditionExpression: 'gsi3pk = :lane',
          ExpressionAttributeValues: { ':lane': queueKeys.lanePlan(venueId, laneId) },
          Limit: limit,
        }),
      ),
    );
    return toLanePlanEntries(out.Items ?? [], venueId);
  }

  async transition(ticket: StoredTicket, change: TicketTransition): Promise<StoredTicket> {
    const next: StoredTicket = { ...ticket, status: change.to, version: ticket.version + 1 };
    const sets: Record<string, unknown> = {
      status: change.to,
      gsi1pk: queueKeys.venueStatus(ticket.venueId, change.to),
    };
    const removes: string[] = [];
    if (change.to === 'called') {
      sets.calledAt = change.at;
      next.calledAt = change.at;
      if (change.laneId !== undefined) {
        sets.calledLaneId = change.laneId;
        next.calledLaneId = change.laneId;
      }
    }
    const final = FINAL.includes(change.to);
    if (final) {
      sets.completedAt = change.at;
      next.completedAt = change.at;
      if (change.outcome !== undefined) {
        sets.outcome = change.outcome;
        next.outcome = change.outcome;
      }
      sets.expiresAt = epochSeconds(change.at) + RETENTION_SECONDS;
    }
    // every transition target is past `waiting`
    const leavesWaiting = ticket.status === 'waiting';
    if (leavesWaiting) {
      // position and ETA only mean something among waiting tickets; so does the lane plan
      removes.push('position', 'etaAt', 'gsi3pk', 'gsi3sk');
      delete next.position;
      delete next.etaAt;
    }
    const actions: TxAction[] = [
      {
        item: {
          Update: {
            TableName: this.table,
            Key: queueKeys.ticket(ticket.ticketId),
            ...versionedUpdate(sets, removes, ticket.version),
          },
        },
        onConditionFailed: (old) =>
          old ? new InvalidState('The ticket changed meanwhile; read it again.') : new NotFound('Ticket'),
      },
    ];
    if (leavesWaiting) {
      actions.push({
        item: {
          Update: {
            TableName: this.table,
            Key: queueKeys.venueCounter(ticket.venueId),
            UpdateExpression: 'SET #waiting = if_not_exists(#waiting, :one) - :one',
            ExpressionAttributeNames: { '#waiting': 'waiting' },
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
      });
    }
    if (final) {
      actions.push({
        item: {
          Delete: {
            TableName: this.table,
            Key: queueKeys.guard(ticket.venueId, ticket.userId),
            // only this ticket's guard: a newer ticket's guard is never released by an old one
            ConditionExpression: 'attribute_not_exists(pk) OR #ticketId = :ticketId',
            ExpressionAttributeNames: { '#ticketId': 'ticketId' },
            ExpressionAttributeValues: { ':ticketId': ticket.ticketId },
          },
        },
        onConditionFailed: () => new InvalidState('Another ticket holds this user’s place.'),
      });
    }
    if (change.completeReservation) actions.push(...(await this.completion(change)));
    await transactWrite(this.db, actions);
    return next;
  }

  /** A served pickup: its reservation `checked_in → completed`, its guard released, and PickupCompleted. */
  private async completion(change: TicketTransition): Promise<TxAction[]> {
    const { reservationId, event } = change.completeReservation!;
    const out = await this.db.run(() =>
      this.db.doc.send(
        new GetCommand({
          TableName: this.db.tables.reservations,
          Key: reservationKeys.reservation(reservationId),
          ConsistentRead: true,
        }),
      ),
    );
    if (!out.Item) throw new NotFound('Reservation');
    const reservation = toReservation(out.Item);
    return [
      moveReservation(this.db.tables, reservation, 'checked_in', 'completed', change.at),
      releaseGuard(this.db.tables, reservation),
      outboxPut(this.db.tables, event),
    ];
  }

  async plannerSeenAt(): Promise<string | undefined> {
    const out = await this.db.run(() =>
      this.db.doc.send(new GetCommand({ TableName: this.table, Key: queueKeys.workerLease() })),
    );
    const renewedAt = out.Item?.renewedAt;
    return typeof renewedAt === 'string' ? renewedAt : undefined;
  }

  async applyPlan(venueId: string, writes: PlanWrite[]): Promise<{ written: number; skipped: number }> {
    const outcomes = await mapLimit(writes, PLAN_CONCURRENCY, async (w) => {
      // the plan is no client-visible change, but it bumps `version` so that a writer who read
      // the ticket before the plan cannot overwrite it unknowingly
      const names: Record<string, string> = {
        '#version': 'version',
        '#status': 'status',
        '#position': 'position',
        '#laneId': 'laneId',
        '#etaAt': 'etaAt',
        '#plan': 'gsi3pk',
        '#place': 'gsi3sk',
        '#venue': 'venueId',
      };
      const values: Record<string, unknown> = {
        ':one': 1,
        ':v': w.version,
        ':waiting': 'waiting',
        ':venue': venueId,
      };
      let update: string;
      if ('unplanned' in w) {
        update = 'REMOVE #laneId, #position, #etaAt, #plan, #place SET #version = #version + :one';
      } else {
        update =
          'SET #laneId = :lane, #position = :position, #etaAt = :eta, #plan = :plan, #place = :place, ' +
          '#version = #version + :one';
        Object.assign(values, {
          ':lane': w.laneId,
          ':position': w.position,
          ':eta': w.etaAt,
          ':plan': queueKeys.lanePlan(venueId, w.laneId),
          ':place': queueKeys.lanePlace(w.position, w.ticketId),
        });
        if (w.fairnessDeadlineAt !== undefined) {
          update += ', #deadline = :deadline';
          names['#deadline'] = 'fairnessDeadlineAt';
          values[':deadline'] = w.fairnessDeadlineAt;
        }
      }
      try {
        await this.db.run(() =>
          this.db.doc.send(
            new UpdateCommand({
              TableName: this.table,
              Key: queueKeys.ticket(w.ticketId),
              UpdateExpression: update,
              // the venue too: the lane plan keys are built from it
              ConditionExpression: '#version = :v AND #status = :waiting AND #venue = :venue',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            }),
          ),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    });
    const written = outcomes.filter(Boolean).length;
    return { written, skipped: outcomes.length - written };
  }
}
