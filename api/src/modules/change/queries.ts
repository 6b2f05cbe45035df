import { builder } from '../../builder.js';
import { db } from '../../db.js';
import { canSeeTicket } from '../ticket/access.js';
import { TicketType } from '../ticket/types.js';
import { stepsAwaiting } from './change.service.js';

builder.queryField('changeApproval', (t) =>
  t.prismaField({
    type: 'ChangeApproval',
    nullable: true,
    description: 'Change control of a ticket the caller can see (null for other tickets and for non-changes).',
    authScopes: { scope: 'tickets:read' },
    args: { ticketId: t.arg.globalID({ for: TicketType }) },
    resolve: async (query, _root, args, ctx) => {
      const ticket = await db().ticket.findUnique({ where: { id: args.ticketId.id } });
      if (!ticket || !(await canSeeTicket(db(), ctx.viewer, ticket))) return null;
      return db().changeApproval.findUnique({ ...query, where: { ticketId: ticket.id } });
    },
  }),
);

builder.queryField('changeApprovalsPending', (t) =>
  t.prismaField({
    type: ['ChangeApprovalStep'],
    description:
      'Approval steps waiting for a decision the caller may take, oldest first (staff: an approver’s inbox).',
    authScopes: { $all: { staff: true, scope: 'tickets:read' } },
    resolve: async (query, _root, _args, ctx) => {
      const steps = await stepsAwaiting(db(), ctx.viewer!);
      return db().changeApprovalStep.findMany({
        ...query,
        where: { id: { in: steps.map((s) => s.id) } },
        orderBy: { createdAt: 'asc' },
      });
    },
  }),
);
