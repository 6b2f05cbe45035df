import type { Tx } from '../../db/tx.js';
import type { Organization, PrismaClient, User } from '../../generated/prisma/client.js';
import { scopesForRole, type Viewer } from '../auth/scopes.js';
import type { Actor } from '../ticket/mutate.js';

/**
 * Mail acts as the person who wrote it: a customer's email reply is that customer's reply, through the same
 * services and checks as in the portal, with channel EMAIL in the audit trail.
 */
export function viewerFor(user: User & { organization: Organization }): Viewer {
  return {
    userId: user.id,
    organizationId: user.organizationId,
    organizationKind: user.organization.kind,
    role: user.role,
    via: 'session',
    sessionId: null,
    tokenId: null,
    scopes: new Set(scopesForRole(user.role)),
  };
}

export function emailActor(user: User & { organization: Organization }): Actor {
  return { viewer: viewerFor(user), channel: 'EMAIL' };
}

export async function emailActorFor(prisma: PrismaClient | Tx, userId: string): Promise<Actor> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, include: { organization: true } });
  return emailActor(user);
}
