import { builder } from '../../builder.js';
import { db } from '../../db.js';
import {
  ChangeApprovalStatus,
  ChangeApprovalStepKind,
  ChangeApprovalStepStatus,
  ChangeScope,
} from '../../generated/prisma/enums.js';
import { isStaff } from '../auth/scopes.js';
import { UserType } from '../directory/types.js';
import { OrganizationalRoleEnum, ResponsibilityDomainType } from '../responsibility/types.js';
import { canSeeTicket } from '../ticket/access.js';
import { TicketType } from '../ticket/types.js';
import { mayDecide, pendingText } from './change.service.js';
import { STEP_INFO, stepsFor } from './scope.js';

export const ChangeScopeEnum = builder.enumType(ChangeScope, {
  name: 'ChangeScope',
  description:
    'PLATFORM: needs the Platform team’s approval; WORKLOAD: the owning application team’s; both for PLATFORM_AND_WORKLOAD. The security/governance policy check is always required.',
});
export const ChangeApprovalStatusEnum = builder.enumType(ChangeApprovalStatus, { name: 'ChangeApprovalStatus' });
export const ChangeApprovalStepKindEnum = builder.enumType(ChangeApprovalStepKind, { name: 'ChangeApprovalStepKind' });
export const ChangeApprovalStepStatusEnum = builder.enumType(ChangeApprovalStepStatus, {
  name: 'ChangeApprovalStepStatus',
});
export const ChangeApprovalDecisionEnum = builder.enumType('ChangeApprovalDecision', {
  values: ['APPROVE', 'REJECT'] as const,
});

export const ChangeApprovalStepType = builder.prismaNode('ChangeApprovalStep', {
  id: { field: 'id' },
  description:
    'One approval of a change: the Platform team’s, the owning application team’s, or the security/governance policy check.',
  runScopesOnType: true,
  // Whoever can see the change's ticket, and the staff who may decide one of its steps (an approver of another
  // group sees the whole approval they take part in).
  authScopes: async (step, ctx) => {
    if (!ctx.viewer) return false;
    const approval = await db().changeApproval.findUnique({
      where: { id: step.approvalId },
      select: { ticket: { select: { organizationId: true, resolverGroupId: true, assigneeId: true } }, steps: true },
    });
    if (!approval) return false;
    if (await canSeeTicket(db(), ctx.viewer, approval.ticket)) return true;
    if (!isStaff(ctx.viewer)) return false;
    for (const s of approval.steps) if (await mayDecide(db(), ctx.viewer, s)) return true;
    return false;
  },
  fields: (t) => ({
    round: t.exposeInt('round'),
    kind: t.expose('kind', { type: ChangeApprovalStepKindEnum }),
    label: t.string({ resolve: (s) => STEP_INFO[s.kind].label }),
    role: t.expose('role', { type: OrganizationalRoleEnum }),
    status: t.expose('status', { type: ChangeApprovalStepStatusEnum }),
    approverGroup: t.relation('approverGroup', {
      nullable: true,
      description: 'The team that decides (null when no group is mapped to the role: then only an admin can).',
    }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    decidedBy: t.field({
      type: UserType,
      nullable: true,
      description: 'Staff only (null for customers).',
      resolve: (s, _args, ctx) =>
        isStaff(ctx.viewer) && s.decidedById ? db().user.findUnique({ where: { id: s.decidedById } }) : null,
    }),
    comment: t.string({
      nullable: true,
      description: 'The approver’s comment (staff only; null for customers).',
      resolve: (s, _args, ctx) => (isStaff(ctx.viewer) ? s.comment : null),
    }),
    viewerCanDecide: t.boolean({
      resolve: async (s, _args, ctx) => {
        if (s.status !== 'PENDING') return false;
        const approval = await db().changeApproval.findUnique({ where: { id: s.approvalId } });
        return !!approval && approval.round === s.round && (await mayDecide(db(), ctx.viewer, s));
      },
    }),
    ticketNumber: t.string({
      description: 'The change ticket (its number and title are shown to approvers who cannot open it).',
      select: { approval: { select: { ticket: { select: { number: true } } } } },
      resolve: (s) => s.approval.ticket.number,
    }),
    ticketTitle: t.string({
      select: { approval: { select: { ticket: { select: { title: true } } } } },
      resolve: (s) => s.approval.ticket.title,
    }),
    ticket: t.prismaField({
      type: 'Ticket',
      nullable: true,
      description: 'Null when the caller cannot see the ticket.',
      resolve: async (query, s, _args, ctx) => {
        const approval = await db().changeApproval.findUnique({
          where: { id: s.approvalId },
          select: { ticketId: true },
        });
        if (!approval) return null;
        const ticket = await db().ticket.findUnique({ ...query, where: { id: approval.ticketId } });
        return ticket && (await canSeeTicket(db(), ctx.viewer, ticket)) ? ticket : null;
      },
    }),
  }),
});

export const ChangeApprovalType = builder.prismaObject('ChangeApproval', {
  description:
    'Change control of a change-related ticket: its scope, the approvals the scope requires, and where they stand. It must be APPROVED before the ticket moves to IN_PROGRESS.',
  fields: (t) => ({
    status: t.expose('status', { type: ChangeApprovalStatusEnum }),
    scope: t.expose('scope', { type: ChangeScopeEnum, nullable: true }),
    scopeSource: t.exposeString('scopeSource', {
      description: 'EXPLICIT (set by staff), DOMAIN (from the matrix) or NONE.',
    }),
    scopeReason: t.exposeString('scopeReason', { description: 'Why the change has this scope.' }),
    round: t.exposeInt('round', { description: 'Incremented by every new request for approval.' }),
    matrixVersion: t.exposeInt('matrixVersion', { nullable: true }),
    domain: t.field({
      type: ResponsibilityDomainType,
      nullable: true,
      resolve: (a) => (a.domainId ? db().responsibilityDomain.findUnique({ where: { id: a.domainId } }) : null),
    }),
    requiredSteps: t.field({
      type: [ChangeApprovalStepKindEnum],
      description: 'The approvals the scope requires.',
      resolve: (a) => (a.scope ? stepsFor(a.scope) : ['POLICY_CHECK' as const]),
    }),
    waitingFor: t.string({
      description: 'What the change waits for, in words.',
      select: { steps: true },
      resolve: (a) => (a.status === 'APPROVED' ? 'approved' : pendingText(a)),
    }),
    steps: t.relation('steps', {
      description: 'The current round’s steps; `allRounds` for the history.',
      args: { allRounds: t.arg.boolean({ required: false, defaultValue: false }) },
      query: { orderBy: [{ round: 'asc' }, { createdAt: 'asc' }, { kind: 'asc' }] },
      resolve: (query, parent, args) =>
        db().changeApprovalStep.findMany({
          ...query,
          where: { approvalId: parent.id, ...(args.allRounds ? {} : { round: parent.round }) },
        }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.objectField(TicketType, 'changeApproval', (t) =>
  t.prismaField({
    type: 'ChangeApproval',
    nullable: true,
    description: 'Change control (change-related tickets only).',
    resolve: (query, ticket) => db().changeApproval.findUnique({ ...query, where: { ticketId: ticket.id } }),
  }),
);
