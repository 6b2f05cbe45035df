import { builder } from '../../builder.js';
import { db } from '../../db.js';
import {
  Channel,
  EntryKind,
  Impact,
  LinkKind,
  Priority,
  TicketClass,
  TicketStatus,
  Urgency,
} from '../../generated/prisma/enums.js';
import { ClosureItemRef } from '../../graphql/errors.js';
import { verifyAuditChain } from '../audit/audit.service.js';
import { isStaff } from '../auth/scopes.js';
import { getSettings } from '../settings/settings.service.js';
import { canSeeTicket } from './access.js';
import { closureChecklist } from './lifecycle.service.js';
import { allowedTransitions } from './workflow.js';

export const TicketClassEnum = builder.enumType(TicketClass, {
  name: 'TicketClass',
  description: 'INC, REQ, ACC, INF, CHG and OTH number prefixes respectively.',
});
export const ChannelEnum = builder.enumType(Channel, { name: 'Channel' });
export const TicketStatusEnum = builder.enumType(TicketStatus, { name: 'TicketStatus' });
export const ImpactEnum = builder.enumType(Impact, {
  name: 'Impact',
  description: 'How many users or services are affected.',
});
export const UrgencyEnum = builder.enumType(Urgency, {
  name: 'Urgency',
  description: 'How time-sensitive the issue is.',
});
export const PriorityEnum = builder.enumType(Priority, { name: 'Priority', description: 'P1 is the most urgent.' });
export const EntryKindEnum = builder.enumType(EntryKind, { name: 'EntryKind' });
export const LinkKindEnum = builder.enumType(LinkKind, { name: 'LinkKind' });

export const AuditVerificationType = builder
  .objectRef<{ valid: boolean; entries: number; brokenAtSeq: number | null }>('AuditVerification')
  .implement({
    fields: (t) => ({
      valid: t.exposeBoolean('valid'),
      entries: t.exposeInt('entries'),
      brokenAtSeq: t.exposeInt('brokenAtSeq', { nullable: true, description: 'First entry that fails verification.' }),
    }),
  });

export const TicketEntryType = builder.prismaObject('TicketEntry', {
  description: 'A work log entry. Internal entries are never returned to customers.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: EntryKindEnum }),
    internal: t.exposeBoolean('internal'),
    body: t.exposeString('body'),
    vendorRef: t.exposeString('vendorRef', { nullable: true }),
    author: t.relation('author', { nullable: true }),
    channel: t.expose('channel', { type: ChannelEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const AttachmentType = builder.prismaObject('Attachment', {
  fields: (t) => ({
    id: t.exposeID('id'),
    filename: t.exposeString('filename'),
    contentType: t.exposeString('contentType'),
    size: t.exposeInt('size'),
    sha256: t.exposeString('sha256'),
    internal: t.exposeBoolean('internal'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    contentBase64: t.string({
      description: 'The content, base64-encoded (fetched only when selected).',
      select: { content: true },
      resolve: (a) => Buffer.from(a.content).toString('base64'),
    }),
  }),
});

export const AuditEntryType = builder.prismaObject('AuditEntry', {
  description: 'An append-only audit record; `hash` chains it to the previous entry of the same ticket.',
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    action: t.exposeString('action'),
    field: t.exposeString('field', { nullable: true }),
    oldValue: t.string({
      nullable: true,
      description: 'JSON',
      resolve: (e) => (e.oldValue === null ? null : JSON.stringify(e.oldValue)),
    }),
    newValue: t.string({
      nullable: true,
      description: 'JSON',
      resolve: (e) => (e.newValue === null ? null : JSON.stringify(e.newValue)),
    }),
    actorId: t.exposeString('actorId', { nullable: true }),
    channel: t.expose('channel', { type: ChannelEnum }),
    reason: t.exposeString('reason', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    prevHash: t.exposeString('prevHash'),
    hash: t.exposeString('hash'),
  }),
});

export const TicketLinkRef = builder.objectRef<{
  kind: LinkKind;
  direction: 'OUTGOING' | 'INCOMING';
  ticketId: string;
}>('TicketLink');

export const TicketType = builder.prismaNode('Ticket', {
  id: { field: 'id' },
  description:
    'A customer request: incident, service request, access request, information request, change inquiry or other.',
  runScopesOnType: true,
  authScopes: async (ticket, ctx) =>
    !!ctx.viewer?.scopes.has('tickets:read') && (await canSeeTicket(db(), ctx.viewer, ticket)),
  fields: (t) => ({
    number: t.exposeString('number', {
      description: 'Human ID, e.g. INC-000123. Earlier numbers (after a class change) are in `numbers`.',
    }),
    numbers: t.stringList({
      select: { numbers: { select: { number: true }, orderBy: { createdAt: 'asc' } } },
      resolve: (ticket) => ticket.numbers.map((n) => n.number),
    }),
    class: t.expose('class', { type: TicketClassEnum }),
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    requester: t.relation('requester'),
    organization: t.relation('organization'),
    channel: t.expose('channel', { type: ChannelEnum }),
    service: t.relation('service', { nullable: true }),
    category: t.exposeString('category', { nullable: true }),
    impact: t.expose('impact', { type: ImpactEnum }),
    urgency: t.expose('urgency', { type: UrgencyEnum }),
    priority: t.expose('priority', { type: PriorityEnum }),
    priorityOverridden: t.exposeBoolean('priorityOverridden'),
    priorityReason: t.exposeString('priorityReason', {
      nullable: true,
      description: 'Why the ticket has this priority.',
    }),
    priorityMatrixVersion: t.exposeInt('priorityMatrixVersion'),
    status: t.expose('status', { type: TicketStatusEnum }),
    allowedTransitions: t.field({
      type: [TicketStatusEnum],
      resolve: (ticket) => [...allowedTransitions(ticket.status)],
    }),
    resolverGroup: t.relation('resolverGroup', { nullable: true }),
    assignee: t.relation('assignee', { nullable: true }),
    missingInformation: t.exposeStringList('missingInformation', {
      description: 'What initial verification found missing.',
    }),
    resolutionCode: t.exposeString('resolutionCode', { nullable: true }),
    resolutionNotes: t.exposeString('resolutionNotes', { nullable: true }),
    resolutionConfirmed: t.exposeBoolean('resolutionConfirmed', { nullable: true }),
    reopenCount: t.exposeInt('reopenCount'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    firstResponseAt: t.expose('firstResponseAt', { type: 'DateTime', nullable: true }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
    version: t.exposeInt('version', {
      description: 'Pass it back to every mutation: a stale version gets a ConflictError.',
    }),
    entries: t.relation('entries', {
      description: 'The work log, oldest first. Customers never receive internal entries.',
      query: (_args, ctx) => ({
        where: isStaff(ctx.viewer) ? {} : { internal: false },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    }),
    attachments: t.relation('attachments', {
      query: (_args, ctx) => ({ where: isStaff(ctx.viewer) ? {} : { internal: false }, orderBy: { createdAt: 'asc' } }),
    }),
    audit: t.relation('audit', {
      description: 'The audit trail (staff only).',
      authScopes: { staff: true },
      query: { orderBy: { seq: 'asc' } },
    }),
    auditVerification: t.field({
      type: AuditVerificationType,
      description: 'Recomputes the hash chain: any edited, removed or reordered entry is detected (staff only).',
      authScopes: { staff: true },
      resolve: (ticket) => verifyAuditChain(db(), ticket.id),
    }),
    links: t.field({
      type: [TicketLinkRef],
      description: 'Linked tickets the caller may see.',
      resolve: async (ticket, _args, ctx) => {
        const links = await db().ticketLink.findMany({
          where: { OR: [{ fromId: ticket.id }, { toId: ticket.id }] },
          orderBy: { createdAt: 'asc' },
        });
        return links
          .map((l) => ({
            kind: l.kind,
            direction: l.fromId === ticket.id ? ('OUTGOING' as const) : ('INCOMING' as const),
            ticketId: l.fromId === ticket.id ? l.toId : l.fromId,
          }))
          .filter(() => !!ctx.viewer);
      },
    }),
    closureChecklist: t.field({
      type: [ClosureItemRef],
      description: 'The closure rules, evaluated now; ticketClose refuses until every item is satisfied.',
      resolve: async (ticket) => closureChecklist(db(), ticket, await getSettings(db()), new Date()),
    }),
  }),
});

TicketLinkRef.implement({
  description: 'A link seen from this ticket: OUTGOING means "this ticket <kind> the other".',
  fields: (t) => ({
    kind: t.field({ type: LinkKindEnum, resolve: (l) => l.kind }),
    direction: t.string({ resolve: (l) => l.direction }),
    ticket: t.prismaField({
      type: 'Ticket',
      nullable: true,
      description: 'Null when the linked ticket belongs to an organisation the caller cannot see.',
      resolve: async (query, l, _args, ctx) => {
        const other = await db().ticket.findUnique({ ...query, where: { id: l.ticketId } });
        return other && (await canSeeTicket(db(), ctx.viewer, other)) ? other : null;
      },
    }),
  }),
});
