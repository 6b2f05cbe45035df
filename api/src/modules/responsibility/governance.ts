import type { Tx } from '../../db/tx.js';
import { forbidden } from '../../errors.js';
import type { PrismaClient, ResolverGroup } from '../../generated/prisma/client.js';
import type { OrganizationalRole } from '../../generated/prisma/enums.js';
import { isStaff, roleAtLeast, type Viewer } from '../auth/scopes.js';
import { viewerGroupIds } from '../ticket/access.js';

type Db = PrismaClient | Tx;

/** Resolver groups mapped to an organisational role, the primary one first. */
export async function groupsOfRole(db: Db, role: OrganizationalRole): Promise<ResolverGroup[]> {
  const rows = await db.responsibilityRoleGroup.findMany({
    where: { role },
    include: { group: true },
    orderBy: [{ primary: 'desc' }, { createdAt: 'asc' }],
  });
  return rows.map((r) => r.group);
}

/** The group that receives a role's routed tickets and approvals: the primary one, else the first mapped. */
export async function primaryGroupOf(db: Db, role: OrganizationalRole): Promise<ResolverGroup | null> {
  return (await groupsOfRole(db, role))[0] ?? null;
}

/** The organisational roles a staff member acts for: those mapped to a resolver group they belong to. */
export async function viewerRoles(db: Db, viewer: Viewer | null): Promise<Set<OrganizationalRole>> {
  if (!viewer || !isStaff(viewer)) return new Set();
  const groups = await viewerGroupIds(db, viewer);
  if (groups.length === 0) return new Set();
  const rows = await db.responsibilityRoleGroup.findMany({
    where: { groupId: { in: groups } },
    select: { role: true },
  });
  return new Set(rows.map((r) => r.role));
}

/**
 * The governance role: provider staff who belong to a resolver group mapped to GOVERNANCE_RISK, and admins. Admins
 * alone map roles to groups, so they decide who governs; group membership is the grant, and removing someone from
 * the group revokes it.
 */
export async function isGovernor(db: Db, viewer: Viewer | null): Promise<boolean> {
  if (!viewer || !isStaff(viewer)) return false;
  if (roleAtLeast(viewer.role, 'ADMIN')) return true;
  return (await viewerRoles(db, viewer)).has('GOVERNANCE_RISK');
}

export async function requireGovernance(db: Db, viewer: Viewer | null, what: string): Promise<void> {
  if (!(await isGovernor(db, viewer))) throw forbidden(`Only governance and risk management (or an admin) can ${what}`);
}

export function requireAdmin(viewer: Viewer | null, what: string): void {
  if (!viewer || !isStaff(viewer) || !roleAtLeast(viewer.role, 'ADMIN')) throw forbidden(`Only an admin can ${what}`);
}
