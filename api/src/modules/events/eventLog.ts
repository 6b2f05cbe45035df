import type { Tx } from '../../db/tx.js';

export type TicketEventType =
  | 'ticket.created'
  | 'ticket.updated'
  | 'ticket.status_changed'
  | 'ticket.commented'
  | 'ticket.assigned'
  | 'ticket.linked'
  | 'ticket.priority_changed'
  | 'ticket.reclassified';

export interface EventInput {
  type: TicketEventType | (string & {});
  ticketId: string | null;
  organizationId: string | null;
  /** Internal events (internal notes, staff-only details) are never delivered to customers. */
  internal: boolean;
  /** Ids and small facts only: subscribers re-read (and re-authorise) what they show. */
  payload: Record<string, unknown>;
}

const EVENT_ORDER_LOCK = 7_311_042_002;

/**
 * Appends to the durable event log inside the caller's transaction, as its last statement. The transaction-scoped
 * advisory lock makes event ids commit in id order, so a reader that has seen id N can never later find a smaller
 * id appear: "after cursor N" misses nothing. It is held only from here to commit.
 */
export async function appendEvents(tx: Tx, events: EventInput[], at: Date): Promise<bigint[]> {
  if (events.length === 0) return [];
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${EVENT_ORDER_LOCK}::bigint)`;
  const ids: bigint[] = [];
  for (const event of events) {
    const row = await tx.event.create({
      data: {
        type: event.type,
        ticketId: event.ticketId,
        organizationId: event.organizationId,
        internal: event.internal,
        payload: event.payload as object,
        createdAt: at,
      },
      select: { id: true },
    });
    ids.push(row.id);
  }
  return ids;
}
