import { builder } from '../../builder.js';
import { db } from '../../db.js';
import {
  InboundOutcome,
  InboundStatus,
  MailSource,
  MailTemplateKey,
  MailThreadRule,
  OutboxStatus,
} from '../../generated/prisma/enums.js';
import { isStaff, type Viewer } from '../auth/scopes.js';
import { canSeeTicket } from '../ticket/access.js';
import { TicketType } from '../ticket/types.js';
import { TEMPLATE_VARIABLES } from './templates.js';

export const MailTemplateKeyEnum = builder.enumType(MailTemplateKey, { name: 'MailTemplateKey' });
export const OutboxStatusEnum = builder.enumType(OutboxStatus, {
  name: 'OutboxStatus',
  description: 'LOCAL: no SMTP relay is configured; the message is delivered to the local outbox only.',
});
export const InboundStatusEnum = builder.enumType(InboundStatus, { name: 'InboundStatus' });
export const InboundOutcomeEnum = builder.enumType(InboundOutcome, { name: 'InboundOutcome' });
export const MailThreadRuleEnum = builder.enumType(MailThreadRule, {
  name: 'MailThreadRule',
  description: 'Which threading rule tied a message to its ticket, tried in this order; NONE: a new ticket.',
});
export const MailSourceEnum = builder.enumType(MailSource, { name: 'MailSource' });

/** Staff see the mail of tickets they can see; a customer only mail addressed to them within their organisation. */
export async function canSeeOutbound(
  viewer: Viewer | null,
  m: { ticketId: string | null; recipientId: string | null; organizationId: string | null },
): Promise<boolean> {
  if (!viewer) return false;
  if (!isStaff(viewer)) return m.recipientId === viewer.userId && m.organizationId === viewer.organizationId;
  if (!m.ticketId) return true;
  const ticket = await db().ticket.findUnique({
    where: { id: m.ticketId },
    select: { organizationId: true, resolverGroupId: true, assigneeId: true },
  });
  return !!ticket && canSeeTicket(db(), viewer, ticket);
}

export const OutboundMailType = builder.prismaNode('OutboxMessage', {
  name: 'OutboundMail',
  id: { field: 'id' },
  description:
    'A message in the outbox: every notification the desk sent (or will send), recorded on its ticket. Without an SMTP relay this is the local outbox.',
  runScopesOnType: true,
  authScopes: (m, ctx) => canSeeOutbound(ctx.viewer, m),
  fields: (t) => ({
    kind: t.expose('kind', { type: MailTemplateKeyEnum }),
    templateVersion: t.exposeInt('templateVersion'),
    to: t.exposeString('toAddress'),
    from: t.exposeString('fromAddress'),
    subject: t.exposeString('subject'),
    text: t.exposeString('text'),
    html: t.exposeString('html'),
    messageId: t.exposeString('messageId', { description: 'Signed: replies thread back by it.' }),
    inReplyTo: t.exposeString('inReplyTo', { nullable: true }),
    status: t.expose('status', { type: OutboxStatusEnum }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true, authScopes: { staff: true } }),
    lastError: t.exposeString('lastError', { nullable: true, authScopes: { staff: true } }),
    entryId: t.exposeID('entryId', { nullable: true, description: 'The work-log entry this mail communicates.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
    ticket: t.prismaField({
      type: 'Ticket',
      nullable: true,
      resolve: async (query, m, _args, ctx) => {
        if (!m.ticketId) return null;
        const ticket = await db().ticket.findUnique({ ...query, where: { id: m.ticketId } });
        return ticket && (await canSeeTicket(db(), ctx.viewer, ticket)) ? ticket : null;
      },
    }),
  }),
});

export const InboundMailType = builder.prismaNode('InboundMessage', {
  name: 'InboundMail',
  id: { field: 'id' },
  description:
    'Every message the SMTP listener or the IMAP poller accepted, raw, with what became of it and why (staff).',
  runScopesOnType: true,
  authScopes: { staff: true },
  fields: (t) => ({
    source: t.expose('source', { type: MailSourceEnum }),
    messageId: t.exposeString('messageId'),
    from: t.exposeString('fromAddress', { nullable: true }),
    envelopeFrom: t.exposeString('envelopeFrom', { nullable: true }),
    envelopeTo: t.exposeStringList('envelopeTo'),
    subject: t.exposeString('subject', { nullable: true }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
    status: t.expose('status', { type: InboundStatusEnum }),
    outcome: t.expose('outcome', { type: InboundOutcomeEnum, nullable: true }),
    threadRule: t.expose('threadRule', { type: MailThreadRuleEnum, nullable: true }),
    detail: t.exposeString('detail', { nullable: true }),
    size: t.exposeInt('size'),
    sha256: t.exposeString('sha256'),
    attempts: t.exposeInt('attempts'),
    lastError: t.exposeString('lastError', { nullable: true }),
    processedAt: t.expose('processedAt', { type: 'DateTime', nullable: true }),
    bodyText: t.exposeString('bodyText', { nullable: true, description: 'What went into the ticket.' }),
    bodyHtml: t.exposeString('bodyHtml', { nullable: true, description: 'The HTML part, sanitised.' }),
    duplicateOfId: t.exposeID('duplicateOfId', { nullable: true }),
    rawBase64: t.string({
      description: 'The message exactly as received (fetched only when selected).',
      select: { raw: true },
      resolve: (m) => Buffer.from(m.raw).toString('base64'),
    }),
    ticket: t.prismaField({
      type: 'Ticket',
      nullable: true,
      resolve: async (query, m, _args, ctx) => {
        if (!m.ticketId) return null;
        const ticket = await db().ticket.findUnique({ ...query, where: { id: m.ticketId } });
        return ticket && (await canSeeTicket(db(), ctx.viewer, ticket)) ? ticket : null;
      },
    }),
  }),
});

export const MailDomainType = builder.prismaObject('MailDomain', {
  description: 'Intake policy for a sender domain.',
  fields: (t) => ({
    domain: t.exposeString('domain'),
    organization: t.relation('organization'),
    autoCreateContacts: t.exposeBoolean('autoCreateContacts', {
      description: 'Unknown senders of this domain become contacts of the organisation; otherwise known contacts only.',
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export interface TemplateView {
  key: MailTemplateKey;
  purpose: string;
  subject: string;
  body: string;
  version: number;
  createdAt: Date | null;
  createdById: string | null;
  note: string;
  defaultSubject: string;
  defaultBody: string;
}

export const MailTemplateVersionRef = builder
  .objectRef<{
    version: number;
    subject: string;
    body: string;
    note: string;
    createdAt: Date;
    createdById: string | null;
  }>('MailTemplateVersion')
  .implement({
    fields: (t) => ({
      version: t.exposeInt('version'),
      subject: t.exposeString('subject'),
      body: t.exposeString('body'),
      note: t.exposeString('note'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      createdById: t.exposeID('createdById', { nullable: true }),
    }),
  });

export const MailTemplateRef = builder.objectRef<TemplateView>('MailTemplate').implement({
  description:
    'A mail template in force. Version 0 is the built-in default; every admin change appends a version (kept for the record).',
  fields: (t) => ({
    key: t.expose('key', { type: MailTemplateKeyEnum }),
    purpose: t.exposeString('purpose'),
    subject: t.exposeString('subject'),
    body: t.exposeString('body'),
    version: t.exposeInt('version'),
    note: t.exposeString('note'),
    updatedAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedById: t.exposeID('createdById', { nullable: true }),
    defaultSubject: t.exposeString('defaultSubject'),
    defaultBody: t.exposeString('defaultBody'),
    versions: t.field({
      type: [MailTemplateVersionRef],
      description: 'Stored versions, newest first.',
      resolve: (tpl) => db().mailTemplate.findMany({ where: { key: tpl.key }, orderBy: { version: 'desc' } }),
    }),
  }),
});

export const MailTemplateVariableRef = builder
  .objectRef<{ name: string; description: string }>('MailTemplateVariable')
  .implement({
    fields: (t) => ({ name: t.exposeString('name'), description: t.exposeString('description') }),
  });

export const TEMPLATE_VARIABLE_LIST = Object.entries(TEMPLATE_VARIABLES).map(([name, description]) => ({
  name,
  description,
}));

export const RenderedMailRef = builder.objectRef<{ subject: string; text: string }>('RenderedMail').implement({
  fields: (t) => ({ subject: t.exposeString('subject'), text: t.exposeString('text') }),
});

builder.prismaObjectFields(TicketType, (t) => ({
  outboundMail: t.relation('outboundMail', {
    description:
      'Notifications sent about this ticket, oldest first (the record that the customer was informed). Customers see those addressed to them.',
    query: (_args, ctx) => ({
      where: isStaff(ctx.viewer) ? {} : { recipientId: ctx.viewer?.userId ?? '00000000-0000-0000-0000-000000000000' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
  }),
  inboundMail: t.relation('inboundMail', {
    description: 'Mail filed on this ticket, oldest first (staff).',
    authScopes: { staff: true },
    query: { orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }] },
  }),
  mailParticipants: t.stringList({
    description: 'Addresses the requester copied: they receive the ticket mail and may reply by subject token.',
    authScopes: { staff: true },
    select: { mailParticipants: { select: { address: true }, orderBy: { addedAt: 'asc' } } },
    resolve: (ticket) => ticket.mailParticipants.map((p) => p.address),
  }),
}));
