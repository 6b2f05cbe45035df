import { builder } from '../../builder.js';
import { appConfig } from '../../config.js';
import { db } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { isStaff } from '../auth/scopes.js';
import { channelOf, ticketVisibility } from '../ticket/access.js';
import { TicketType } from '../ticket/types.js';
import { mailRuntime } from './runtime.js';
import { surveyByToken } from './survey.service.js';
import { listTemplates, previewTemplate } from './templates.service.js';
import {
  InboundMailType,
  InboundOutcomeEnum,
  InboundStatusEnum,
  MailDomainType,
  MailTemplateKeyEnum,
  MailTemplateRef,
  MailTemplateVariableRef,
  OutboundMailType,
  OutboxStatusEnum,
  RenderedMailRef,
  TEMPLATE_VARIABLE_LIST,
} from './types.js';

const OutboundMailFilter = builder.inputType('OutboundMailFilter', {
  fields: (t) => ({
    ticketId: t.globalID({ required: false, for: TicketType }),
    status: t.field({ type: [OutboxStatusEnum], required: false }),
    kind: t.field({ type: [MailTemplateKeyEnum], required: false }),
    to: t.string({ required: false, description: 'Recipient address (exact, case-insensitive).' }),
  }),
});

builder.queryField('outboundMail', (t) =>
  t.prismaConnection({
    type: OutboundMailType,
    cursor: 'id',
    maxSize: 100,
    defaultSize: 25,
    description:
      'The outbox, newest first: staff see the mail of tickets they can see; customers only mail addressed to them.',
    authScopes: { scope: 'tickets:read' },
    args: { filter: t.arg({ type: OutboundMailFilter, required: false }) },
    resolve: async (query, _root, args, ctx) => {
      const viewer = ctx.viewer!;
      const f = args.filter;
      const and: Prisma.OutboxMessageWhereInput[] = [];
      if (isStaff(viewer)) {
        and.push({ OR: [{ ticketId: null }, { ticket: await ticketVisibility(db(), viewer) }] });
      } else {
        and.push({ recipientId: viewer.userId, organizationId: viewer.organizationId });
      }
      if (f?.ticketId) and.push({ ticketId: f.ticketId.id });
      if (f?.status?.length) and.push({ status: { in: f.status } });
      if (f?.kind?.length) and.push({ kind: { in: f.kind } });
      if (f?.to) and.push({ toAddress: f.to.trim().toLowerCase() });
      return db().outboxMessage.findMany({
        ...query,
        where: { AND: and },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
    },
  }),
);

const InboundMailFilter = builder.inputType('InboundMailFilter', {
  fields: (t) => ({
    status: t.field({ type: [InboundStatusEnum], required: false }),
    outcome: t.field({ type: [InboundOutcomeEnum], required: false }),
    ticketId: t.globalID({ required: false, for: TicketType }),
    from: t.string({ required: false }),
  }),
});

builder.queryField('inboundMail', (t) =>
  t.prismaConnection({
    type: InboundMailType,
    cursor: 'id',
    maxSize: 100,
    defaultSize: 25,
    description: 'The intake log, newest first: every accepted message and what became of it (staff).',
    authScopes: { staff: true },
    args: { filter: t.arg({ type: InboundMailFilter, required: false }) },
    resolve: (query, _root, args) => {
      const f = args.filter;
      const and: Prisma.InboundMessageWhereInput[] = [];
      if (f?.status?.length) and.push({ status: { in: f.status } });
      if (f?.outcome?.length) and.push({ outcome: { in: f.outcome } });
      if (f?.ticketId) and.push({ ticketId: f.ticketId.id });
      if (f?.from) and.push({ fromAddress: f.from.trim().toLowerCase() });
      return db().inboundMessage.findMany({
        ...query,
        where: { AND: and },
        orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      });
    },
  }),
);

builder.queryField('mailTemplates', (t) =>
  t.field({
    type: [MailTemplateRef],
    description: 'Every mail template in force (staff); admins change them with mailTemplateUpdate.',
    authScopes: { staff: true },
    resolve: () => listTemplates(db()),
  }),
);

builder.queryField('mailTemplateVariables', (t) =>
  t.field({
    type: [MailTemplateVariableRef],
    description:
      'Placeholders templates may use: {{name}}, {{#name}}…{{/name}} (if set), {{^name}}…{{/name}} (if not).',
    authScopes: { staff: true },
    resolve: () => TEMPLATE_VARIABLE_LIST,
  }),
);

builder.queryField('mailTemplatePreview', (t) =>
  t.field({
    type: RenderedMailRef,
    nullable: true,
    description: "A template rendered with a ticket's data, as its requester would receive it; nothing is sent.",
    authScopes: { staff: true },
    args: { key: t.arg({ type: MailTemplateKeyEnum }), ticketId: t.arg.globalID({ for: TicketType }) },
    resolve: async (_root, args, ctx) => {
      const ticket = await db().ticket.findFirst({
        where: { AND: [{ id: args.ticketId.id }, await ticketVisibility(db(), ctx.viewer)] },
        select: { id: true },
      });
      if (!ticket) return null;
      return previewTemplate(db(), { viewer: ctx.viewer!, channel: channelOf(ctx.viewer!) }, args.key, ticket.id);
    },
  }),
);

builder.queryField('mailDomains', (t) =>
  t.prismaField({
    type: ['MailDomain'],
    description: 'Intake policy per sender domain (staff).',
    authScopes: { staff: true },
    resolve: (query) => db().mailDomain.findMany({ ...query, orderBy: { domain: 'asc' } }),
  }),
);
void MailDomainType;

const MailStatusRef = builder
  .objectRef<{
    listenerPort: number | null;
    relayConfigured: boolean;
    imapConfigured: boolean;
    pendingOutbound: number;
    failedOutbound: number;
    failedInbound: number;
  }>('MailStatus')
  .implement({
    fields: (t) => ({
      listenerPort: t.exposeInt('listenerPort', { nullable: true, description: 'Null when the SMTP listener is off.' }),
      relayConfigured: t.exposeBoolean('relayConfigured', {
        description: 'False: mail stays in the local outbox (status LOCAL).',
      }),
      imapConfigured: t.exposeBoolean('imapConfigured'),
      pendingOutbound: t.exposeInt('pendingOutbound'),
      failedOutbound: t.exposeInt('failedOutbound'),
      failedInbound: t.exposeInt('failedInbound'),
    }),
  });

builder.queryField('mailStatus', (t) =>
  t.field({
    type: MailStatusRef,
    description: 'How the email channel is set up and whether anything is stuck (staff).',
    authScopes: { staff: true },
    resolve: async () => {
      const config = appConfig().mail;
      let listenerPort: number | null = null;
      try {
        listenerPort = mailRuntime().smtpPort;
      } catch {
        listenerPort = null;
      }
      return {
        listenerPort,
        relayConfigured: !!config.smtpUrl,
        imapConfigured: !!config.imapUrl,
        pendingOutbound: await db().outboxMessage.count({ where: { status: { in: ['PENDING', 'SENDING'] } } }),
        failedOutbound: await db().outboxMessage.count({ where: { status: 'FAILED' } }),
        failedInbound: await db().inboundMessage.count({ where: { status: 'FAILED' } }),
      };
    },
  }),
);

const SurveyInfoRef = builder
  .objectRef<{ ticketNumber: string; ticketTitle: string; answered: boolean; rating: number | null }>(
    'SatisfactionSurveyInfo',
  )
  .implement({
    description: 'What a survey link is about (for the page the link opens); no login needed.',
    fields: (t) => ({
      ticketNumber: t.exposeString('ticketNumber'),
      ticketTitle: t.exposeString('ticketTitle'),
      answered: t.exposeBoolean('answered'),
      rating: t.exposeInt('rating', { nullable: true }),
    }),
  });

builder.queryField('satisfactionSurvey', (t) =>
  t.field({
    type: SurveyInfoRef,
    nullable: true,
    description: 'Public, by the token of a survey link: which ticket it rates; null for an unknown link.',
    skipTypeScopes: true,
    args: { token: t.arg.string() },
    resolve: async (_root, args) => {
      if (args.token.length > 200) return null;
      const survey = await surveyByToken(db(), args.token);
      if (!survey) return null;
      return {
        ticketNumber: survey.ticket.number,
        ticketTitle: survey.ticket.title,
        answered: !!survey.respondedAt,
        rating: survey.rating,
      };
    },
  }),
);
