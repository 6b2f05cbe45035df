import { builder } from '../../builder.js';
import { appClock } from '../../clock.js';
import { db } from '../../db.js';
import { EscalationKind, EscalationReason, EscalationTrigger } from '../../generated/prisma/enums.js';
import { RoleEnum } from '../directory/types.js';
import { SlaTargetKindEnum } from '../sla/types.js';
import { PriorityEnum, TicketClassEnum, TicketType } from '../ticket/types.js';

export const EscalationKindEnum = builder.enumType(EscalationKind, {
  name: 'EscalationKind',
  description:
    'FUNCTIONAL: to a more specialised group. HIERARCHICAL: up the management line. VENDOR: to a third party.',
});
export const EscalationReasonEnum = builder.enumType(EscalationReason, { name: 'EscalationReason' });
export const EscalationTriggerEnum = builder.enumType(EscalationTrigger, { name: 'EscalationTrigger' });
export const EscalationStatusEnum = builder.enumType('EscalationStatus', {
  values: ['OPEN', 'ACKNOWLEDGED', 'ESCALATED', 'RESOLVED'] as const,
  description: 'ESCALATED: not acknowledged in time, passed to the next level.',
});

export const EscalationType = builder.prismaNode('Escalation', {
  id: { field: 'id' },
  description: 'An escalation of a ticket: who it went to, why, and who acknowledged and resolved it (staff only).',
  authScopes: { staff: true },
  runScopesOnType: true,
  fields: (t) => ({
    kind: t.expose('kind', { type: EscalationKindEnum }),
    level: t.exposeInt('level', {
      description: 'Hierarchical: 1 group lead, 2 duty manager, 3 head of service. Functional: the tier.',
    }),
    reason: t.expose('reason', { type: EscalationReasonEnum }),
    detail: t.exposeString('detail'),
    status: t.field({
      type: EscalationStatusEnum,
      resolve: (e) =>
        e.resolvedAt ? 'RESOLVED' : e.acknowledgedAt ? 'ACKNOWLEDGED' : e.escalatedAt ? 'ESCALATED' : 'OPEN',
    }),
    ticket: t.relation('ticket'),
    targetGroup: t.prismaField({
      type: 'ResolverGroup',
      nullable: true,
      resolve: (query, e) =>
        e.targetGroupId ? db().resolverGroup.findUnique({ ...query, where: { id: e.targetGroupId } }) : null,
    }),
    targetUser: t.prismaField({
      type: 'User',
      nullable: true,
      resolve: (query, e) =>
        e.targetUserId ? db().user.findUnique({ ...query, where: { id: e.targetUserId } }) : null,
    }),
    targetRole: t.expose('targetRole', {
      type: RoleEnum,
      nullable: true,
      description: 'Anyone with at least this role may acknowledge.',
    }),
    vendorName: t.exposeString('vendorName', { nullable: true }),
    vendorRef: t.exposeString('vendorRef', { nullable: true, description: "The vendor's reference for the case." }),
    ackDueAt: t.expose('ackDueAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Acknowledge by then (VENDOR: the vendor’s response commitment), or it goes to the next level.',
    }),
    overdue: t.boolean({
      description: 'The acknowledgement window has passed without acknowledgement.',
      resolve: (e) => !!e.ackDueAt && !e.acknowledgedAt && !e.resolvedAt && e.ackDueAt <= appClock.now(),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    createdBy: t.prismaField({
      type: 'User',
      nullable: true,
      description: 'Null when the system escalated.',
      resolve: (query, e) => (e.createdById ? db().user.findUnique({ ...query, where: { id: e.createdById } }) : null),
    }),
    acknowledgedAt: t.expose('acknowledgedAt', { type: 'DateTime', nullable: true }),
    acknowledgedBy: t.prismaField({
      type: 'User',
      nullable: true,
      resolve: (query, e) =>
        e.acknowledgedById ? db().user.findUnique({ ...query, where: { id: e.acknowledgedById } }) : null,
    }),
    acknowledgement: t.exposeString('acknowledgement', { nullable: true }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    resolvedBy: t.prismaField({
      type: 'User',
      nullable: true,
      resolve: (query, e) =>
        e.resolvedById ? db().user.findUnique({ ...query, where: { id: e.resolvedById } }) : null,
    }),
    resolution: t.exposeString('resolution', { nullable: true }),
    escalatedAt: t.expose('escalatedAt', { type: 'DateTime', nullable: true }),
    previous: t.prismaField({
      type: 'Escalation',
      nullable: true,
      description: 'The escalation that went unacknowledged before this one.',
      resolve: (query, e) =>
        e.previousId ? db().escalation.findUnique({ ...query, where: { id: e.previousId } }) : null,
    }),
    rule: t.relation('rule', { nullable: true }),
  }),
});

export const EscalationRuleType = builder.prismaNode('EscalationRule', {
  id: { field: 'id' },
  description: 'An escalation policy step: when (trigger, threshold), what (kind, level), to whom, and the ack window.',
  authScopes: { staff: true },
  runScopesOnType: true,
  fields: (t) => ({
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    active: t.exposeBoolean('active'),
    trigger: t.expose('trigger', { type: EscalationTriggerEnum }),
    priorities: t.field({ type: [PriorityEnum], description: 'Empty = any.', resolve: (r) => r.priorities }),
    ticketClass: t.expose('ticketClass', { type: TicketClassEnum, nullable: true }),
    targetKind: t.expose('targetKind', { type: SlaTargetKindEnum, nullable: true }),
    percent: t.exposeInt('percent', { nullable: true, description: 'SLA_THRESHOLD: % of the target (100 = breach).' }),
    fromKind: t.expose('fromKind', { type: EscalationKindEnum, nullable: true }),
    fromLevel: t.exposeInt('fromLevel', { nullable: true }),
    kind: t.expose('kind', { type: EscalationKindEnum }),
    level: t.exposeInt('level'),
    targetGroup: t.prismaField({
      type: 'ResolverGroup',
      nullable: true,
      resolve: (query, r) =>
        r.targetGroupId ? db().resolverGroup.findUnique({ ...query, where: { id: r.targetGroupId } }) : null,
    }),
    targetGroupLead: t.exposeBoolean('targetGroupLead'),
    targetUser: t.prismaField({
      type: 'User',
      nullable: true,
      resolve: (query, r) =>
        r.targetUserId ? db().user.findUnique({ ...query, where: { id: r.targetUserId } }) : null,
    }),
    targetRole: t.expose('targetRole', { type: RoleEnum, nullable: true }),
    vendorName: t.exposeString('vendorName', { nullable: true }),
    reassign: t.exposeBoolean('reassign'),
    ackWindowSeconds: t.exposeInt('ackWindowSeconds', { nullable: true }),
  }),
});

builder.prismaObjectField(TicketType, 'escalations', (t) =>
  t.relation('escalations', {
    description: 'Escalations of this ticket, oldest first (staff only).',
    authScopes: { staff: true },
    query: { orderBy: [{ createdAt: 'asc' }, { level: 'asc' }] },
  }),
);
