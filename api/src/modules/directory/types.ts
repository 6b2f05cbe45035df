import { builder } from '../../builder.js';
import { db } from '../../db.js';
import { OrganizationKind, Role } from '../../generated/prisma/enums.js';
import { canSeeOrganization, canSeeUserOf } from '../auth/scopes.js';

export const OrganizationKindEnum = builder.enumType(OrganizationKind, { name: 'OrganizationKind' });
export const RoleEnum = builder.enumType(Role, {
  name: 'Role',
  description: 'CUSTOMER for customer organisations; AGENT < LEAD < MANAGER < ADMIN for provider staff.',
});

export const OrganizationType = builder.prismaNode('Organization', {
  id: { field: 'id' },
  description: 'The provider running the service desk, or one of its customers.',
  // A customer's user sees their own organisation only; staff see all.
  runScopesOnType: true,
  authScopes: (org, ctx) => canSeeUserOf(ctx.viewer, org),
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: OrganizationKindEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const UserType = builder.prismaNode('User', {
  id: { field: 'id' },
  runScopesOnType: true,
  authScopes: async (user, ctx) => {
    if (canSeeOrganization(ctx.viewer, user.organizationId)) return true;
    const org = await db().organization.findUnique({
      where: { id: user.organizationId },
      select: { id: true, kind: true },
    });
    return !!org && canSeeUserOf(ctx.viewer, org);
  },
  fields: (t) => ({
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    role: t.expose('role', { type: RoleEnum }),
    active: t.exposeBoolean('active'),
    organization: t.relation('organization'),
    lastLoginAt: t.expose('lastLoginAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
