import { randomUUID } from 'node:crypto';
import { appConfig } from '../../config.js';
import type { Tx } from '../../db/tx.js';
import type { OutboxMessage, PrismaClient, Ticket } from '../../generated/prisma/client.js';
import type { MailTemplateKey } from '../../generated/prisma/enums.js';
import { domainOf, REPLY_MARKER } from './content.js';
import { mailKeys, signedMessageId } from './signing.js';
import { slaDueTimes } from './sla.js';
import {
  DEFAULT_TEMPLATES,
  formatWhen,
  renderTemplate,
  type TemplateText,
  type TemplateValues,
  textToHtml,
} from './templates.js';

export interface Recipient {
  address: string;
  name: string;
  userId: string | null;
}

/** The template in force: the highest stored version, or the built-in default (version 0). */
export async function currentTemplate(
  prisma: PrismaClient | Tx,
  key: MailTemplateKey,
): Promise<TemplateText & { version: number }> {
  const stored = await prisma.mailTemplate.findFirst({ where: { key }, orderBy: { version: 'desc' } });
  if (stored) return { subject: stored.subject, body: stored.body, version: stored.version };
  const def = DEFAULT_TEMPLATES[key];
  return { subject: def.subject, body: def.body, version: 0 };
}

export function senderAddress(): string {
  return appConfig().mail.from;
}

function bareAddress(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
}

export function ourDomains(): string[] {
  const mail = appConfig().mail;
  return [...new Set([domainOf(bareAddress(mail.from)), ...mail.domains])];
}

/** Is the address one of ours (the sender address, or any address of an accepted domain)? Mail from it is a loop. */
export function isOurAddress(address: string): boolean {
  return address === bareAddress(senderAddress()) || ourDomains().includes(domainOf(address));
}

/** Values every ticket mail can use; SLA due times when the SLA module keeps clocks for the ticket. */
export async function ticketValues(tx: Tx, ticket: Ticket, requesterName?: string): Promise<TemplateValues> {
  // Sequential: one transaction is one connection.
  const requester =
    requesterName !== undefined
      ? { name: requesterName }
      : await tx.user.findUnique({ where: { id: ticket.requesterId }, select: { name: true } });
  const assignee = ticket.assigneeId
    ? await tx.user.findUnique({ where: { id: ticket.assigneeId }, select: { name: true } })
    : null;
  const sla = await slaDueTimes(tx, ticket.id);
  return {
    'ticket.number': ticket.number,
    'ticket.title': ticket.title,
    'ticket.status': ticket.status.replace(/_/g, ' '),
    'ticket.priority': ticket.priority,
    'ticket.class': ticket.class.replace(/_/g, ' ').toLowerCase(),
    'ticket.createdAt': formatWhen(ticket.createdAt),
    'ticket.missingInformation': ticket.missingInformation.join('; '),
    'ticket.link': `${appConfig().publicUrl}/tickets/${ticket.number}`,
    'requester.name': requester?.name ?? '',
    'assignee.name': assignee?.name ?? '',
    'resolution.code': ticket.resolutionCode ?? '',
    'resolution.notes': ticket.resolutionNotes ?? '',
    'sla.firstResponseDue': formatWhen(sla.firstResponseDue),
    'sla.nextUpdateDue': formatWhen(sla.nextUpdateDue),
    'sla.resolutionDue': formatWhen(sla.resolutionDue),
  };
}

/**
 * Who receives a ticket's customer mail: the requester and the people they copied (MailParticipant). Deactivated
 * accounts and our own addresses never do.
 */
export async function customerRecipients(
  tx: Tx,
  ticket: Ticket,
  requesterOnly = false,
): Promise<{ recipients: Recipient[]; requesterName: string }> {
  const requester = await tx.user.findUnique({ where: { id: ticket.requesterId } });
  const out: Recipient[] = [];
  if (requester?.active && !isOurAddress(requester.email)) {
    out.push({ address: requester.email, name: requester.name, userId: requester.id });
  }
  if (requesterOnly) return { recipients: out, requesterName: requester?.name ?? '' };
  const participants = await tx.mailParticipant.findMany({
    where: { ticketId: ticket.id },
    orderBy: { addedAt: 'asc' },
  });
  for (const p of participants) {
    if (out.some((r) => r.address === p.address) || isOurAddress(p.address)) continue;
    const user = p.userId ? await tx.user.findUnique({ where: { id: p.userId } }) : null;
    if (user && !user.active) continue;
    out.push({ address: p.address, name: user?.name ?? p.address.split('@')[0]!, userId: user?.id ?? null });
  }
  return { recipients: out, requesterName: requester?.name ?? '' };
}

export interface EnqueueInput {
  kind: MailTemplateKey;
  ticket: Ticket | null;
  recipient: Recipient;
  values: TemplateValues;
  at: Date;
  entryId?: string | null;
  /** The customer's Message-ID this mail answers (an acknowledgement answers the mail that opened the ticket). */
  inReplyTo?: string | null;
  /** RFC 3834: `auto-replied` for answers to a message, `auto-generated` for notifications. */
  autoSubmitted?: 'auto-replied' | 'auto-generated';
  /** The first mail of a ticket: nothing earlier to thread with, so no need to look. */
  first?: boolean;
}

/**
 * Writes one message to the outbox, inside the caller's transaction: it exists exactly when the change that caused
 * it commits. Delivery is the worker's job (or, with no relay configured, the message is final in the local outbox).
 */
export async function enqueueMail(tx: Tx, input: EnqueueInput): Promise<OutboxMessage> {
  const config = appConfig();
  const keys = await mailKeys(tx);
  const template = await currentTemplate(tx, input.kind);
  const values: TemplateValues = { 'recipient.name': input.recipient.name, ...input.values };
  const rendered = renderTemplate(template, values);
  const ticket = input.ticket;
  let subject = rendered.subject || (ticket ? ticket.title : 'Service desk');
  // The subject token is the third threading rule: keep it even when an admin's template drops it.
  if (ticket && !subject.includes(`[${ticket.number}]`)) subject = `${subject} [${ticket.number}]`;
  const text = ticket ? `${REPLY_MARKER}\n\n${rendered.body}\n` : `${rendered.body}\n`;
  const id = randomUUID();
  const domain = domainOf(bareAddress(config.mail.from));
  const messageId = signedMessageId(keys, domain, {
    ticketId: ticket?.id ?? null,
    outboxId: id,
    recipient: input.recipient.address,
  });
  const thread = !ticket
    ? null
    : input.first
      ? { inReplyTo: input.inReplyTo ?? null, references: input.inReplyTo ? [input.inReplyTo] : [] }
      : await threadHeaders(tx, ticket.id, input.recipient.address, input.inReplyTo ?? null);
  return tx.outboxMessage.create({
    data: {
      id,
      ticketId: ticket?.id ?? null,
      organizationId: ticket?.organizationId ?? null,
      kind: input.kind,
      templateVersion: template.version,
      entryId: input.entryId ?? null,
      recipientId: input.recipient.userId,
      toAddress: input.recipient.address,
      fromAddress: config.mail.from,
      subject: subject.slice(0, 500),
      text,
      html: textToHtml(text),
      messageId,
      inReplyTo: thread?.inReplyTo ?? null,
      references: thread?.references ?? [],
      headers: {
        'Auto-Submitted': input.autoSubmitted ?? 'auto-generated',
        // Out-of-office and other automatic answers to our mail would only loop back into the desk.
        'X-Auto-Response-Suppress': 'All',
        ...(ticket ? { 'X-ITSM-Ticket': ticket.number } : {}),
      },
      status: config.mail.smtpUrl ? 'PENDING' : 'LOCAL',
      nextAttemptAt: input.at,
      createdAt: input.at,
      sentAt: config.mail.smtpUrl ? null : input.at,
    },
  });
}

/** In-Reply-To / References so the recipient's client shows one conversation per ticket. */
async function threadHeaders(tx: Tx, ticketId: string, address: string, inReplyTo: string | null) {
  const first = await tx.inboundMessage.findFirst({
    where: { ticketId },
    orderBy: { receivedAt: 'asc' },
    select: { messageId: true },
  });
  const last = await tx.outboxMessage.findFirst({
    where: { ticketId, toAddress: address },
    orderBy: { createdAt: 'desc' },
    select: { messageId: true },
  });
  const refs = [first?.messageId, inReplyTo, last?.messageId].filter((v): v is string => !!v);
  const references = [...new Set(refs)];
  return { inReplyTo: inReplyTo ?? last?.messageId ?? first?.messageId ?? null, references };
}

/** Mail to every customer recipient of a ticket (or its requester only), one outbox row and signed Message-ID each. */
export async function enqueueCustomerMail(
  tx: Tx,
  ticket: Ticket,
  kind: MailTemplateKey,
  at: Date,
  extra: TemplateValues = {},
  opts: {
    entryId?: string | null;
    inReplyTo?: string | null;
    autoSubmitted?: 'auto-replied' | 'auto-generated';
    requesterOnly?: boolean;
    first?: boolean;
  } = {},
): Promise<OutboxMessage[]> {
  const { requesterOnly, ...mailOpts } = opts;
  const { recipients, requesterName } = await customerRecipients(tx, ticket, requesterOnly);
  if (recipients.length === 0) return [];
  const values = { ...(await ticketValues(tx, ticket, requesterName)), ...extra };
  const out: OutboxMessage[] = [];
  for (const recipient of recipients) {
    out.push(await enqueueMail(tx, { kind, ticket, recipient, values, at, ...mailOpts }));
  }
  return out;
}

/**
 * For the escalation module (and anything else that must tell a manager or a vendor): queues an ESCALATION_NOTICE
 * in the caller's transaction, recorded on the ticket like every other notification.
 */
export async function queueEscalationNotice(
  tx: Tx,
  input: { ticketId: string; to: Recipient[]; level: string; reason: string; at: Date },
): Promise<OutboxMessage[]> {
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: input.ticketId } });
  const values = {
    ...(await ticketValues(tx, ticket)),
    'escalation.level': input.level,
    'escalation.reason': input.reason,
  };
  const out: OutboxMessage[] = [];
  for (const recipient of input.to) {
    out.push(await enqueueMail(tx, { kind: 'ESCALATION_NOTICE', ticket, recipient, values, at: input.at }));
  }
  return out;
}
