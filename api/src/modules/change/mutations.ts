import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { db } from '../../db.js';
import { ConflictError, InvalidTransitionError, NotFoundError } from '../../errors.js';
import { canSeeTicket, channelOf } from '../ticket/access.js';
import type { Actor } from '../ticket/mutate.js';
import { TicketType } from '../ticket/types.js';
import { decideStep, requestApproval } from './change.service.js';
import { ChangeApprovalDecisionEnum, ChangeApprovalStepType, ChangeScopeEnum } from './types.js';

function actorOf(ctx: Context): Actor {
  return { viewer: ctx.viewer!, channel: channelOf(ctx.viewer!) };
}

const ChangePayload = builder.objectRef<{ ticketId: string }>('ChangeApprovalPayload').implement({
  fields: (t) => ({
    approval: t.prismaField({
      type: 'ChangeApproval',
      resolve: (query, p) => db().changeApproval.findUniqueOrThrow({ ...query, where: { ticketId: p.ticketId } }),
    }),
    ticket: t.prismaField({
      type: 'Ticket',
      nullable: true,
      description: 'Null for an approver who cannot otherwise see the ticket (an agent of another group).',
      resolve: async (query, p, _args, ctx) => {
        const ticket = await db().ticket.findUniqueOrThrow({ ...query, where: { id: p.ticketId } });
        return (await canSeeTicket(db(), ctx.viewer, ticket)) ? ticket : null;
      },
    }),
    ticketVersion: t.int({
      description: 'The ticket’s version after the change (for the next mutation).',
      resolve: async (p) =>
        (await db().ticket.findUniqueOrThrow({ where: { id: p.ticketId }, select: { version: true } })).version,
    }),
  }),
});

const DecideInput = builder.inputType('ChangeApprovalDecideInput', {
  fields: (t) => ({
    stepId: t.globalID({ for: ChangeApprovalStepType }),
    decision: t.field({ type: ChangeApprovalDecisionEnum }),
    comment: t.string({ description: 'Required for approvals and rejections alike; audited.' }),
    ticketVersion: t.int({
      required: false,
      description: 'The ticket version read; a stale one gets a ConflictError.',
    }),
  }),
});

builder.mutationField('changeApprovalDecide', (t) =>
  t.field({
    type: ChangePayload,
    description:
      'Approves or rejects one approval step with a comment (members of the deciding team, or an admin). Audited on the ticket; the last approval makes the change APPROVED, any rejection REJECTED.',
    authScopes: { $all: { staff: true, scope: 'tickets:write' } },
    args: { input: t.arg({ type: DecideInput }) },
    errors: { types: [NotFoundError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const { ticket } = await decideStep(db(), actorOf(ctx), {
        stepId: input.stepId.id,
        decision: input.decision,
        comment: input.comment,
        ticketVersion: input.ticketVersion ?? null,
      });
      return { ticketId: ticket.id };
    },
  }),
);

const RequestInput = builder.inputType('ChangeApprovalRequestInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    scope: t.field({
      type: ChangeScopeEnum,
      required: false,
      description: 'Sets the scope; omit to derive it from the matrix (the domain the ticket concerns).',
    }),
    reason: t.string(),
  }),
});

builder.mutationField('changeApprovalRequest', (t) =>
  t.field({
    type: ChangePayload,
    description:
      'Requests approval again — after a rejection, or for another scope (staff). Steps still pending are superseded; a new round starts.',
    authScopes: { $all: { staff: true, scope: 'tickets:write' } },
    args: { input: t.arg({ type: RequestInput }) },
    errors: { types: [NotFoundError, ConflictError, InvalidTransitionError] },
    resolve: async (_root, { input }, ctx) => {
      const { ticket } = await requestApproval(db(), actorOf(ctx), {
        ticketId: input.id.id,
        version: input.version,
        scope: input.scope ?? null,
        reason: input.reason,
      });
      return { ticketId: ticket.id };
    },
  }),
);
