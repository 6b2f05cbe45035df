import { builder } from '../../builder.js';
import { db } from '../../db.js';
import { isStaff } from '../auth/scopes.js';
import { OrganizationKindEnum, OrganizationType } from './types.js';

builder.queryField('organizations', (t) =>
  t.prismaConnection({
    type: 'Organization',
    cursor: 'id',
    maxSize: 100,
    description: 'Organisations the caller may see: all for provider staff, their own for customers.',
    authScopes: { scope: 'directory:read' },
    args: { kind: t.arg({ type: OrganizationKindEnum, required: false }) },
    resolve: (query, _root, args, ctx) =>
      db().organization.findMany({
        ...query,
        where: {
          ...(args.kind ? { kind: args.kind } : {}),
          ...(isStaff(ctx.viewer) ? {} : { id: ctx.viewer?.organizationId ?? '' }),
        },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
  }),
);

builder.queryField('users', (t) =>
  t.prismaConnection({
    type: 'User',
    cursor: 'id',
    maxSize: 100,
    description: 'Users the caller may see: everyone for provider staff, their own organisation for customers.',
    authScopes: { scope: 'directory:read' },
    args: { organizationId: t.arg.globalID({ required: false, for: OrganizationType }) },
    resolve: (query, _root, args, ctx) => {
      const own = ctx.viewer?.organizationId;
      const requested = args.organizationId?.id;
      // Customers asking for another organisation get an empty page, exactly as if it had no users.
      if (!isStaff(ctx.viewer) && requested && requested !== own) return [];
      const organizationId = isStaff(ctx.viewer) ? requested : own;
      return db().user.findMany({
        ...query,
        where: organizationId === undefined ? {} : { organizationId },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      });
    },
  }),
);
