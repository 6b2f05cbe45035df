import type { Tx } from '../../db/tx.js';
import type { Ticket, TicketEntry } from '../../generated/prisma/client.js';
import { isStaff } from '../auth/scopes.js';
import { getSettings } from '../settings/settings.service.js';
import { registerTicketHooks, type TicketHookContext } from '../ticket/hooks.js';
import { inboundContext } from './context.js';
import { enqueueCustomerMail } from './outbox.service.js';
import { mailKeys, resolutionToken } from './signing.js';
import { issueSurvey, resolutionLink, surveyLink } from './survey.service.js';

/**
 * Customer communication as a ticket hook: whatever changed the ticket (portal, API, email, a timer), the mail it
 * owes the customer is written to the outbox in the same transaction, so it is sent exactly when the change commits.
 * Nothing is added to the ticket's audit or events: the outbox row (ticketId, entryId) is the record on the ticket.
 */

async function recordInboundProgress(ctx: TicketHookContext, ticket: Ticket, created: boolean) {
  const inbound = inboundContext.getStore();
  if (!inbound) return;
  if (created) {
    await ctx.tx.inboundMessage.update({
      where: { id: inbound.inboundId },
      data: { ticketId: ticket.id, outcome: inbound.mode === 'new' ? 'TICKET_CREATED' : 'FOLLOW_UP_CREATED' },
    });
    return;
  }
  const entry = await ctx.tx.ticketEntry.findFirst({
    where: { ticketId: ticket.id, createdAt: ctx.at, authorId: inbound.senderId, channel: 'EMAIL' },
    select: { id: true },
  });
  if (entry) {
    await ctx.tx.inboundMessage.update({
      where: { id: inbound.inboundId },
      data: { entryId: entry.id, ticketId: ticket.id },
    });
  }
}

async function alreadyMailed(tx: Tx, entryId: string): Promise<boolean> {
  return (await tx.outboxMessage.count({ where: { entryId } })) > 0;
}

async function authorName(tx: Tx, entry: TicketEntry): Promise<string> {
  if (!entry.authorId) return 'The service desk';
  const author = await tx.user.findUnique({ where: { id: entry.authorId }, select: { name: true } });
  return author?.name ?? 'The service desk';
}

/** The resolution notice with its confirm/reject links, and the satisfaction survey. */
export async function mailResolution(tx: Tx, ticket: Ticket, at: Date, entryId: string | null) {
  if (!ticket.resolvedAt) return;
  const keys = await mailKeys(tx);
  const token = resolutionToken(keys, ticket.id, ticket.resolvedAt);
  const settings = await getSettings(tx);
  await enqueueCustomerMail(
    tx,
    ticket,
    'RESOLUTION_NOTICE',
    at,
    {
      'links.confirm': resolutionLink(token, 'confirm'),
      'links.reject': resolutionLink(token, 'reject'),
      'resolution.autoCloseDays': String(settings.autoCloseDays),
    },
    { entryId },
  );
  const surveyToken = await issueSurvey(tx, ticket, at);
  if (surveyToken) {
    await enqueueCustomerMail(
      tx,
      ticket,
      'SURVEY',
      at,
      { 'links.survey': surveyLink(surveyToken) },
      { requesterOnly: true },
    );
  }
}

/** Mail owed for a public work-log entry written in this change, if any. */
export async function mailForEntry(tx: Tx, ticket: Ticket, entry: TicketEntry, byStaff: boolean, at: Date) {
  if (entry.internal || (await alreadyMailed(tx, entry.id))) return;
  switch (entry.kind) {
    case 'RESOLUTION_NOTICE':
      return mailResolution(tx, ticket, at, entry.id);
    case 'INFORMATION_REQUEST':
      return enqueueCustomerMail(
        tx,
        ticket,
        'INFORMATION_REQUEST',
        at,
        { 'entry.body': entry.body },
        { entryId: entry.id },
      );
    case 'PUBLIC_REPLY':
      if (!byStaff) return;
      return enqueueCustomerMail(
        tx,
        ticket,
        'REPLY',
        at,
        { 'entry.body': entry.body, 'entry.author': await authorName(tx, entry) },
        { entryId: entry.id },
      );
    case 'PROGRESS_UPDATE':
      if (!byStaff) return;
      return enqueueCustomerMail(
        tx,
        ticket,
        'STATUS_UPDATE',
        at,
        { 'update.text': `Progress on ${ticket.number}:`, 'entry.body': entry.body },
        { entryId: entry.id },
      );
    default:
      return;
  }
}

const STATUS_NEWS: Partial<Record<Ticket['status'], (before: Ticket) => string | null>> = {
  IN_PROGRESS: (before) =>
    before.status === 'RESOLVED' || before.status === 'CLOSED'
      ? 'Your ticket has been reopened and is being worked on again.'
      : null,
  PENDING_VENDOR: () => 'We are waiting on a third-party supplier; we will update you as soon as we hear back.',
  CANCELLED: () => 'Your ticket has been cancelled.',
};

registerTicketHooks({
  order: 400,
  name: 'email',
  afterCreate: async (ctx, ticket) => {
    await recordInboundProgress(ctx, ticket, true);
    const inbound = inboundContext.getStore();
    await enqueueCustomerMail(
      ctx.tx,
      ticket,
      'ACKNOWLEDGEMENT',
      ctx.at,
      {},
      {
        inReplyTo: inbound?.messageId ?? null,
        autoSubmitted: inbound ? 'auto-replied' : 'auto-generated',
        requesterOnly: true,
        // A follow-up ticket's acknowledgement is its first mail too: the old ticket's thread is not its own.
        first: true,
      },
    );
    return undefined;
  },
  afterChange: async (ctx, before, after) => {
    await recordInboundProgress(ctx, after, false);
    const { tx, actor, at } = ctx;
    const byStaff = isStaff(actor.viewer);
    const entries = await tx.ticketEntry.findMany({
      where: { ticketId: after.id, createdAt: at, internal: false },
      orderBy: { id: 'asc' },
    });
    for (const entry of entries) await mailForEntry(tx, after, entry, byStaff, at);
    if (before.status === after.status) return undefined;
    const byRequester = actor.viewer.userId === after.requesterId;
    if (after.status === 'CLOSED') {
      await enqueueCustomerMail(tx, after, 'CLOSURE', at);
      return undefined;
    }
    const news = STATUS_NEWS[after.status]?.(before);
    if (news && !byRequester && !entries.some((e) => e.kind === 'PROGRESS_UPDATE' || e.kind === 'PUBLIC_REPLY')) {
      await enqueueCustomerMail(tx, after, 'STATUS_UPDATE', at, { 'update.text': news });
    }
    return undefined;
  },
});
