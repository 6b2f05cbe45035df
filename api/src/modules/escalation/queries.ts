import { builder } from '../../builder.js';
import { db } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { roleAtLeast } from '../auth/scopes.js';
import { ResolverGroupType } from '../catalog/types.js';
import { UserType } from '../directory/types.js';
import { ticketVisibility } from '../ticket/access.js';
import { TicketType } from '../ticket/types.js';
import { EscalationKindEnum } from './types.js';

const EscalationFilter = builder.inputType('EscalationFilter', {
  description: 'All given conditions must hold.',
  fields: (t) => ({
    open: t.boolean({ required: false, description: 'Not resolved.' }),
    unacknowledged: t.boolean({ required: false, description: 'Neither acknowledged nor resolved.' }),
    kind: t.field({ type: [EscalationKindEnum], required: false }),
    targetGroupId: t.globalID({ required: false, for: ResolverGroupType }),
    targetUserId: t.globalID({ required: false, for: UserType }),
    ticketId: t.globalID({ required: false, for: TicketType }),
    mine: t.boolean({ required: false, description: 'Addressed to me, my groups or my role.' }),
  }),
});

builder.queryField('escalations', (t) =>
  t.prismaConnection({
    type: 'Escalation',
    cursor: 'id',
    maxSize: 100,
    defaultSize: 25,
    description: 'Escalations of tickets the caller may see, newest first (staff).',
    authScopes: { $all: { staff: true, scope: 'tickets:read' } },
    args: { filter: t.arg({ type: EscalationFilter, required: false }) },
    resolve: async (query, _root, args, ctx) => {
      const f = args.filter ?? {};
      const and: Prisma.EscalationWhereInput[] = [{ ticket: await ticketVisibility(db(), ctx.viewer) }];
      if (f.open) and.push({ resolvedAt: null });
      if (f.unacknowledged) and.push({ acknowledgedAt: null, resolvedAt: null });
      if (f.kind?.length) and.push({ kind: { in: f.kind } });
      if (f.targetGroupId) and.push({ targetGroupId: f.targetGroupId.id });
      if (f.targetUserId) and.push({ targetUserId: f.targetUserId.id });
      if (f.ticketId) and.push({ ticketId: f.ticketId.id });
      if (f.mine) {
        const viewer = ctx.viewer!;
        const groups = await db().resolverGroupMember.findMany({
          where: { userId: viewer.userId },
          select: { groupId: true },
        });
        const roles = (['AGENT', 'LEAD', 'MANAGER', 'ADMIN'] as const).filter((r) => roleAtLeast(viewer.role, r));
        and.push({
          OR: [
            { targetUserId: viewer.userId },
            { targetGroupId: { in: groups.map((g) => g.groupId) } },
            { targetRole: { in: roles } },
          ],
        });
      }
      return db().escalation.findMany({
        ...query,
        where: { AND: and },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
    },
  }),
);

builder.queryField('escalationRules', (t) =>
  t.prismaField({
    type: ['EscalationRule'],
    description: 'The escalation policies: triggers, thresholds, paths and acknowledgement windows (staff).',
    authScopes: { staff: true },
    resolve: (query) => db().escalationRule.findMany({ ...query, orderBy: { key: 'asc' } }),
  }),
);
