import type { Tx } from '../../db/tx.js';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { Channel } from '../../generated/prisma/enums.js';
import { isStaff, roleAtLeast, type Viewer } from '../auth/scopes.js';

const groupCache = new WeakMap<Viewer, Promise<string[]>>();

/** Resolver groups the viewer belongs to, loaded once per request (the viewer object lives for one request). */
export function viewerGroupIds(prisma: PrismaClient | Tx, viewer: Viewer): Promise<string[]> {
  let cached = groupCache.get(viewer);
  if (!cached) {
    cached = prisma.resolverGroupMember
      .findMany({ where: { userId: viewer.userId }, select: { groupId: true } })
      .then((rows) => rows.map((r) => r.groupId));
    groupCache.set(viewer, cached);
  }
  return cached;
}

/** Leads, managers and admins of the provider see every ticket. */
export function seesAllTickets(viewer: Viewer): boolean {
  return isStaff(viewer) && roleAtLeast(viewer.role, 'LEAD');
}

/**
 * Tickets a viewer may see: customers their organisation's; agents their groups', their own and the unrouted
 * intake queue; leads and above all. Used as the `where` of every ticket read, so lists, counts and node() agree.
 */
export async function ticketVisibility(
  prisma: PrismaClient | Tx,
  viewer: Viewer | null,
): Promise<Prisma.TicketWhereInput> {
  if (!viewer) return { id: { in: [] } };
  if (!isStaff(viewer)) return { organizationId: viewer.organizationId };
  if (seesAllTickets(viewer)) return {};
  const groups = await viewerGroupIds(prisma, viewer);
  return {
    OR: [
      { resolverGroupId: { in: groups } },
      { assigneeId: viewer.userId },
      { createdById: viewer.userId },
      { resolverGroupId: null },
    ],
  };
}

export interface TicketScope {
  organizationId: string;
  resolverGroupId: string | null;
  assigneeId: string | null;
  /** Agents keep sight of tickets they logged, even after routing sends them to another group. */
  createdById?: string | null;
}

export async function canSeeTicket(
  prisma: PrismaClient | Tx,
  viewer: Viewer | null,
  ticket: TicketScope,
): Promise<boolean> {
  if (!viewer) return false;
  if (!isStaff(viewer)) return viewer.organizationId === ticket.organizationId;
  if (seesAllTickets(viewer)) return true;
  if (ticket.assigneeId === viewer.userId || ticket.createdById === viewer.userId || ticket.resolverGroupId === null) {
    return true;
  }
  return (await viewerGroupIds(prisma, viewer)).includes(ticket.resolverGroupId);
}

/** Tokens act through the API channel; browser sessions through the portal. Email intake passes EMAIL itself. */
export function channelOf(viewer: Viewer): Channel {
  return viewer.via === 'token' ? 'API' : 'PORTAL';
}
