import { appClock, type Clock } from '../../clock.js';
import type { Tx } from '../../db/tx.js';
import { ConflictError, forbidden, NotFoundError } from '../../errors.js';
import type { Prisma, PrismaClient, Ticket } from '../../generated/prisma/client.js';
import type { Channel } from '../../generated/prisma/enums.js';
import { type AuditChange, appendAudit } from '../audit/audit.service.js';
import { isStaff, type Viewer } from '../auth/scopes.js';
import { notifyEventsCommitted } from '../events/bus.js';
import { appendEvents, type EventInput } from '../events/eventLog.js';
import { canSeeTicket } from './access.js';
import { runAfterChange } from './hooks.js';

export interface Actor {
  viewer: Viewer;
  channel: Channel;
}

export type { Clock };
/** The default clock of services: the app clock (real time, shiftable only with ENABLE_TEST_CLOCK). */
export const systemClock: Clock = appClock;

export interface TicketChange {
  /** Column updates (the version is incremented by mutateTicket). */
  data?: Prisma.TicketUncheckedUpdateInput;
  audit: AuditChange[];
  events: Omit<EventInput, 'ticketId' | 'organizationId'>[];
  /** Further writes in the same transaction (entries, links …), run after the version-checked update. */
  after?: (tx: Tx, ticket: Ticket) => Promise<void>;
}

/**
 * The one way a ticket changes: load it, check the caller may see it and that the version they read is current,
 * let `decide` work out the change, then write the change, its audit entries and its events in one transaction.
 * The conditional update (id + version) both detects a lost update and locks the row for the audit chain.
 */
export async function mutateTicket<T = void>(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  expectedVersion: number | null,
  decide: (
    ticket: Ticket,
    tx: Tx,
    at: Date,
  ) => Promise<TicketChange & { result?: T }> | (TicketChange & { result?: T }),
  clock: Clock = systemClock,
): Promise<{ ticket: Ticket; result: T | undefined }> {
  const at = clock.now();
  const outcome = await prisma.$transaction(
    async (tx) => {
      const ticket = await tx.ticket.findUnique({ where: { id: ticketId } });
      if (!ticket || !(await canSeeTicket(tx, actor.viewer, ticket))) throw new NotFoundError('Ticket', ticketId);
      if (expectedVersion !== null && ticket.version !== expectedVersion) {
        throw new ConflictError(
          `${ticket.number} was changed by someone else (you read version ${expectedVersion}, it is now ${ticket.version}); reload and try again`,
          ticket.version,
        );
      }
      const change = await decide(ticket, tx, at);
      const updated = await tx.ticket.updateMany({
        where: { id: ticket.id, version: ticket.version },
        data: { ...(change.data as Prisma.TicketUncheckedUpdateManyInput), version: { increment: 1 }, updatedAt: at },
      });
      if (updated.count === 0) {
        const current = await tx.ticket.findUnique({ where: { id: ticket.id }, select: { version: true } });
        throw new ConflictError(
          `${ticket.number} was changed by someone else; reload and try again`,
          current?.version ?? null,
        );
      }
      const after = await tx.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      await change.after?.(tx, after);
      const hooked = await runAfterChange({ tx, actor, at }, ticket, after);
      await appendAudit(
        tx,
        ticket.id,
        { actorId: actor.viewer.userId, channel: actor.channel },
        [...change.audit, ...hooked.audit],
        at,
      );
      await appendEvents(
        tx,
        [...change.events, ...hooked.events].map((e) => ({
          ...e,
          ticketId: ticket.id,
          organizationId: ticket.organizationId,
        })),
        at,
      );
      const final = await tx.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      return { ticket: final, result: change.result };
    },
    { timeout: 20_000 },
  );
  notifyEventsCommitted();
  return outcome;
}

export function requireStaff(actor: Actor, what: string): void {
  if (!isStaff(actor.viewer)) throw forbidden(`Only service desk staff can ${what}`);
}

export function requireScope(actor: Actor, scope: 'tickets:read' | 'tickets:write'): void {
  if (!actor.viewer.scopes.has(scope)) throw forbidden(`This credential lacks the ${scope} scope`);
}
