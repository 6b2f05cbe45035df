import { builder } from '../../builder.js';
import { appConfig } from '../../config.js';
import type { Context } from '../../context.js';
import { db } from '../../db.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { OrganizationType } from '../directory/types.js';
import { channelOf } from '../ticket/access.js';
import { type Actor, systemClock } from '../ticket/mutate.js';
import { processInbound } from './intake.service.js';
import { respondByToken, submitSurvey } from './survey.service.js';
import { updateTemplate, validDomain } from './templates.service.js';
import { InboundMailType, MailTemplateKeyEnum, MailTemplateRef, OutboundMailType } from './types.js';

function actorOf(ctx: Context): Actor {
  return { viewer: ctx.viewer!, channel: channelOf(ctx.viewer!) };
}

const MailTemplateUpdateInput = builder.inputType('MailTemplateUpdateInput', {
  fields: (t) => ({
    key: t.field({ type: MailTemplateKeyEnum }),
    subject: t.string(),
    body: t.string(),
    note: t.string({ required: false, description: 'Why it changed (kept with the version).' }),
    expectedVersion: t.int({ description: 'The version you edited; a newer one gets a ConflictError.' }),
  }),
});

builder.mutationField('mailTemplateUpdate', (t) =>
  t.field({
    type: MailTemplateRef,
    description: 'Changes a mail template (admins): validated, and appended as a new version.',
    authScopes: { role: 'ADMIN' },
    args: { input: t.arg({ type: MailTemplateUpdateInput }) },
    errors: { types: [ConflictError] },
    resolve: (_root, { input }, ctx) => updateTemplate(db(), actorOf(ctx), input, systemClock.now()),
  }),
);

const MailDomainSetInput = builder.inputType('MailDomainSetInput', {
  fields: (t) => ({
    domain: t.string(),
    organizationId: t.globalID({ for: OrganizationType }),
    autoCreateContacts: t.boolean({
      description: 'Create a contact for unknown senders of the domain (otherwise known contacts only).',
    }),
  }),
});

builder.mutationField('mailDomainSet', (t) =>
  t.prismaField({
    type: 'MailDomain',
    description: "Maps a sender domain to a customer organisation and sets the domain's intake policy (admins).",
    authScopes: { role: 'ADMIN' },
    args: { input: t.arg({ type: MailDomainSetInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (query, _root, { input }, ctx) => {
      const domain = validDomain(input.domain);
      if (!domain) throw ValidationError.of('input.domain', 'Give a domain such as example.com');
      const org = await db().organization.findUnique({ where: { id: input.organizationId.id } });
      if (!org) throw new NotFoundError('Organization', input.organizationId.id);
      if (org.kind !== 'CUSTOMER') {
        throw ValidationError.of('input.organizationId', 'Map domains to customer organisations only');
      }
      return db().mailDomain.upsert({
        ...query,
        where: { domain },
        create: {
          domain,
          organizationId: org.id,
          autoCreateContacts: input.autoCreateContacts,
          updatedById: ctx.viewer!.userId,
        },
        update: {
          organizationId: org.id,
          autoCreateContacts: input.autoCreateContacts,
          updatedById: ctx.viewer!.userId,
        },
      });
    },
  }),
);

const MailDomainRemovePayload = builder.objectRef<{ domain: string }>('MailDomainRemovePayload').implement({
  fields: (t) => ({ domain: t.exposeString('domain') }),
});

builder.mutationField('mailDomainRemove', (t) =>
  t.field({
    type: MailDomainRemovePayload,
    description: 'Removes a domain mapping: its unknown senders are refused again (admins).',
    authScopes: { role: 'ADMIN' },
    args: {
      input: t.arg({ type: builder.inputType('MailDomainRemoveInput', { fields: (f) => ({ domain: f.string() }) }) }),
    },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }) => {
      const domain = validDomain(input.domain) ?? input.domain;
      const removed = await db().mailDomain.deleteMany({ where: { domain } });
      if (removed.count === 0) throw new NotFoundError('MailDomain', domain);
      return { domain };
    },
  }),
);

builder.mutationField('inboundMailReprocess', (t) =>
  t.prismaField({
    type: InboundMailType,
    description:
      'Processes a stored message again (leads and above): one that FAILED, or one refused as UNKNOWN_SENDER, RATE_LIMITED or MALFORMED once the cause is fixed.',
    authScopes: { role: 'LEAD' },
    args: {
      input: t.arg({
        type: builder.inputType('InboundMailReprocessInput', {
          fields: (f) => ({ id: f.globalID({ for: InboundMailType }) }),
        }),
      }),
    },
    errors: { types: [NotFoundError, ConflictError] },
    resolve: async (query, _root, { input }, ctx) => {
      const id = input.id.id;
      const row = await db().inboundMessage.findUnique({ where: { id } });
      if (!row) throw new NotFoundError('InboundMail', id);
      const retryable =
        row.status === 'FAILED' ||
        (row.status === 'PROCESSED' && ['UNKNOWN_SENDER', 'RATE_LIMITED', 'MALFORMED'].includes(row.outcome ?? ''));
      if (!retryable) throw new ConflictError(`This message was already processed (${row.outcome ?? row.status})`);
      await db().inboundMessage.update({
        where: { id },
        // A failed message keeps what its earlier attempt recorded (it resumes there); a refused one starts afresh.
        data:
          row.status === 'FAILED'
            ? { attempts: 0, nextAttemptAt: systemClock.now() }
            : { status: 'RECEIVED', outcome: null, threadRule: null, attempts: 0, nextAttemptAt: null },
      });
      await processInbound({ prisma: db(), clock: systemClock, log: ctx.log, config: appConfig().mail }, id);
      return db().inboundMessage.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('outboundMailRetry', (t) =>
  t.prismaField({
    type: OutboundMailType,
    description: 'Sends a FAILED message again, from the first attempt (leads and above).',
    authScopes: { role: 'LEAD' },
    args: {
      input: t.arg({
        type: builder.inputType('OutboundMailRetryInput', {
          fields: (f) => ({ id: f.globalID({ for: OutboundMailType }) }),
        }),
      }),
    },
    errors: { types: [NotFoundError, ConflictError] },
    resolve: async (query, _root, { input }) => {
      const id = input.id.id;
      const updated = await db().outboxMessage.updateMany({
        where: { id, status: 'FAILED' },
        data: { status: 'PENDING', attempts: 0, nextAttemptAt: systemClock.now(), lastError: null },
      });
      if (updated.count === 0) {
        const exists = await db().outboxMessage.findUnique({ where: { id }, select: { status: true } });
        if (!exists) throw new NotFoundError('OutboundMail', id);
        throw new ConflictError(`Only FAILED mail is retried by hand (this one is ${exists.status})`);
      }
      return db().outboxMessage.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

const SurveyRespondPayload = builder
  .objectRef<{ ticketNumber: string; rating: number; respondedAt: Date }>('SurveyRespondPayload')
  .implement({
    fields: (t) => ({
      ticketNumber: t.exposeString('ticketNumber'),
      rating: t.exposeInt('rating'),
      respondedAt: t.expose('respondedAt', { type: 'DateTime' }),
    }),
  });

builder.mutationField('surveyRespond', (t) =>
  t.field({
    type: SurveyRespondPayload,
    description:
      'Public (no login): answers a satisfaction survey with the token from its link: a rating 1-5 and an optional comment, once.',
    skipTypeScopes: true,
    args: {
      input: t.arg({
        type: builder.inputType('SurveyRespondInput', {
          fields: (f) => ({
            token: f.string(),
            rating: f.int(),
            comment: f.string({ required: false }),
          }),
        }),
      }),
    },
    errors: { types: [NotFoundError, ConflictError] },
    resolve: async (_root, { input }) => {
      const survey = await submitSurvey(db(), input);
      const ticket = await db().ticket.findUniqueOrThrow({ where: { id: survey.ticketId }, select: { number: true } });
      return { ticketNumber: ticket.number, rating: survey.rating!, respondedAt: survey.respondedAt! };
    },
  }),
);

const ResolutionRespondPayload = builder
  .objectRef<{ ticketNumber: string; status: string; resolutionConfirmed: boolean | null }>('ResolutionRespondPayload')
  .implement({
    fields: (t) => ({
      ticketNumber: t.exposeString('ticketNumber'),
      status: t.exposeString('status'),
      resolutionConfirmed: t.exposeBoolean('resolutionConfirmed', { nullable: true }),
    }),
  });

builder.mutationField('resolutionRespond', (t) =>
  t.field({
    type: ResolutionRespondPayload,
    description:
      "Public (no login): the confirm / reject links of a resolution notice. The token is bound to the ticket and that resolution; the answer is recorded as the requester's.",
    skipTypeScopes: true,
    args: {
      input: t.arg({
        type: builder.inputType('ResolutionRespondInput', {
          fields: (f) => ({
            token: f.string(),
            accept: f.boolean(),
            comment: f.string({ required: false, description: 'Required when rejecting: what is still wrong.' }),
          }),
        }),
      }),
    },
    errors: { types: [NotFoundError, ConflictError] },
    resolve: async (_root, { input }) => {
      const ticket = await respondByToken(db(), input);
      return { ticketNumber: ticket.number, status: ticket.status, resolutionConfirmed: ticket.resolutionConfirmed };
    },
  }),
);
