import type { OrganizationKind, Role } from '../../generated/prisma/enums.js';

/** What a credential may do; a token carries a subset, a session carries everything its role allows. */
export const SCOPES = [
  'tickets:read',
  'tickets:write',
  'events:subscribe',
  'wallboard:read',
  'directory:read',
  'admin',
] as const;
export type Scope = (typeof SCOPES)[number];

const STAFF_ROLES: readonly Role[] = ['AGENT', 'LEAD', 'MANAGER', 'ADMIN'];
const ROLE_RANK: Record<Role, number> = { CUSTOMER: 0, AGENT: 1, LEAD: 2, MANAGER: 3, ADMIN: 4 };

export function isStaffRole(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}

/** Staff roles are ordered (AGENT < LEAD < MANAGER < ADMIN); CUSTOMER is outside the ladder. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  if (minimum === 'CUSTOMER') return role === 'CUSTOMER';
  return isStaffRole(role) && ROLE_RANK[role] >= ROLE_RANK[minimum];
}

export function scopesForRole(role: Role): Scope[] {
  const base: Scope[] = ['tickets:read', 'tickets:write', 'events:subscribe', 'directory:read'];
  if (role === 'CUSTOMER') return base;
  if (role === 'ADMIN') return [...base, 'wallboard:read', 'admin'];
  return [...base, 'wallboard:read'];
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export interface Viewer {
  userId: string;
  organizationId: string;
  organizationKind: OrganizationKind;
  role: Role;
  via: 'session' | 'token';
  sessionId: string | null;
  tokenId: string | null;
  scopes: ReadonlySet<Scope>;
}

/** Staff of the provider organisation; customers' users never are, whatever their role field says. */
export function isStaff(viewer: Viewer | null): boolean {
  return !!viewer && viewer.organizationKind === 'PROVIDER' && isStaffRole(viewer.role);
}

export function canSeeOrganization(viewer: Viewer | null, organizationId: string): boolean {
  if (!viewer) return false;
  return isStaff(viewer) || viewer.organizationId === organizationId;
}

/**
 * Customers see people of their own organisation and the provider's staff who work their tickets (name, role);
 * never another customer organisation's people.
 */
export function canSeeUserOf(viewer: Viewer | null, org: { id: string; kind: OrganizationKind }): boolean {
  return canSeeOrganization(viewer, org.id) || (!!viewer && org.kind === 'PROVIDER');
}
