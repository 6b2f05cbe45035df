import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { db } from '../../db.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { Escalation } from '../../generated/prisma/client.js';
import { ResolverGroupType } from '../catalog/types.js';
import { RoleEnum, UserType } from '../directory/types.js';
import { canSeeTicket, channelOf } from '../ticket/access.js';
import type { Actor } from '../ticket/mutate.js';
import { TicketType } from '../ticket/types.js';
import { acknowledgeEscalation, escalateTicket, resolveEscalation } from './escalation.service.js';
import { EscalationKindEnum, EscalationType } from './types.js';

function actorOf(ctx: Context): Actor {
  return { viewer: ctx.viewer!, channel: channelOf(ctx.viewer!) };
}

const write = { $all: { staff: true, scope: 'tickets:write' } } as const;

const EscalationPayload = builder.objectRef<{ escalation: Escalation }>('EscalationPayload').implement({
  fields: (t) => ({
    escalation: t.field({ type: EscalationType, resolve: (p) => p.escalation }),
    ticket: t.prismaField({
      type: 'Ticket',
      nullable: true,
      description:
        'Null when the caller no longer sees the ticket (a functional escalation moved it to another group).',
      resolve: async (query, p, _args, ctx) => {
        const ticket = await db().ticket.findUniqueOrThrow({ ...query, where: { id: p.escalation.ticketId } });
        return (await canSeeTicket(db(), ctx.viewer, ticket)) ? ticket : null;
      },
    }),
  }),
});

const TicketEscalateInput = builder.inputType('TicketEscalateInput', {
  description:
    'FUNCTIONAL needs targetGroupId (the ticket moves there); HIERARCHICAL goes to targetUserId, targetRole or, by ' +
    "default, the lead of the ticket's group; VENDOR needs vendorName.",
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    kind: t.field({ type: EscalationKindEnum }),
    detail: t.string({ description: 'Why.' }),
    level: t.int({ required: false, description: 'Default: one above the highest of this kind so far.' }),
    targetGroupId: t.globalID({ required: false, for: ResolverGroupType }),
    targetUserId: t.globalID({ required: false, for: UserType }),
    targetRole: t.field({ type: RoleEnum, required: false }),
    vendorName: t.string({ required: false }),
    vendorRef: t.string({ required: false }),
    ackWindowMinutes: t.int({
      required: false,
      description: 'Business minutes to acknowledge (VENDOR: the vendor’s response commitment); then the next level.',
    }),
  }),
});

builder.mutationField('ticketEscalate', (t) =>
  t.field({
    type: EscalationPayload,
    description: 'Escalates a ticket by hand (staff).',
    authScopes: write,
    args: { input: t.arg({ type: TicketEscalateInput }) },
    errors: { types: [NotFoundError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const { result } = await escalateTicket(db(), actorOf(ctx), input.id.id, input.version, {
        kind: input.kind,
        detail: input.detail,
        level: input.level,
        targetGroupId: input.targetGroupId?.id ?? null,
        targetUserId: input.targetUserId?.id ?? null,
        targetRole: input.targetRole ?? null,
        vendorName: input.vendorName,
        vendorRef: input.vendorRef,
        ackWindowMinutes: input.ackWindowMinutes,
      });
      return { escalation: result! };
    },
  }),
);

const EscalationAcknowledgeInput = builder.inputType('EscalationAcknowledgeInput', {
  fields: (t) => ({
    id: t.globalID({ for: EscalationType }),
    note: t.string({ required: false }),
    vendorRef: t.string({
      required: false,
      description: "VENDOR: the vendor's reference, if it came with the answer.",
    }),
  }),
});

builder.mutationField('escalationAcknowledge', (t) =>
  t.field({
    type: EscalationPayload,
    description:
      'The target takes the escalation (stops it going to the next level). For a vendor escalation: the vendor answered.',
    authScopes: write,
    args: { input: t.arg({ type: EscalationAcknowledgeInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => ({
      escalation: await acknowledgeEscalation(db(), actorOf(ctx), input.id.id, {
        note: input.note,
        vendorRef: input.vendorRef,
      }),
    }),
  }),
);

const EscalationResolveInput = builder.inputType('EscalationResolveInput', {
  fields: (t) => ({ id: t.globalID({ for: EscalationType }), resolution: t.string() }),
});

builder.mutationField('escalationResolve', (t) =>
  t.field({
    type: EscalationPayload,
    description: 'Closes an escalation with what came of it.',
    authScopes: write,
    args: { input: t.arg({ type: EscalationResolveInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => ({
      escalation: await resolveEscalation(db(), actorOf(ctx), input.id.id, input.resolution),
    }),
  }),
);
