import { builder } from '../../builder.js';
import { appClock } from '../../clock.js';
import { db } from '../../db.js';
import { ResolverGroupType } from '../catalog/types.js';
import { UserType } from '../directory/types.js';
import { OnCallShiftRef, onCallView } from './types.js';

const staffOnly = { $all: { staff: true, scope: 'tickets:read' } } as const;

builder.queryField('onCall', (t) =>
  t.field({
    type: OnCallShiftRef,
    nullable: true,
    description: 'Who is on call for a group at `at` (default now); null when the group has no rota (staff).',
    authScopes: staffOnly,
    args: {
      groupId: t.arg.globalID({ for: ResolverGroupType }),
      at: t.arg({ type: 'DateTime', required: false }),
    },
    resolve: (_root, args) => onCallView(args.groupId.id, args.at ?? appClock.now()),
  }),
);

builder.queryField('routingRules', (t) =>
  t.prismaField({
    type: ['RoutingRule'],
    description: 'Routing rules in evaluation order (staff).',
    authScopes: staffOnly,
    args: { includeInactive: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (query, _root, args) =>
      db().routingRule.findMany({
        ...query,
        where: args.includeInactive ? {} : { active: true },
        orderBy: [{ position: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
      }),
  }),
);

builder.queryField('skillRequirements', (t) =>
  t.prismaField({
    type: ['SkillRequirement'],
    description: 'Skills required by service and/or category (staff).',
    authScopes: staffOnly,
    resolve: (query) => db().skillRequirement.findMany({ ...query, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  }),
);

builder.queryField('outOfOffice', (t) =>
  t.prismaField({
    type: ['OutOfOffice'],
    description: 'Current and future absences (and past ones with `includePast`), optionally of one person (staff).',
    authScopes: staffOnly,
    args: {
      userId: t.arg.globalID({ for: UserType, required: false }),
      includePast: t.arg.boolean({ required: false, defaultValue: false }),
    },
    resolve: (query, _root, args) =>
      db().outOfOffice.findMany({
        ...query,
        where: {
          ...(args.userId ? { userId: args.userId.id } : {}),
          ...(args.includePast ? {} : { endsAt: { gt: appClock.now() } }),
        },
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      }),
  }),
);
