import { createHash } from 'node:crypto';
import type { MailConfig } from '../../config.js';
import { ConflictError } from '../../errors.js';
import type { InboundMessage, Organization, PrismaClient, Ticket, User } from '../../generated/prisma/client.js';
import type { InboundOutcome, MailSource, MailThreadRule, Urgency } from '../../generated/prisma/enums.js';
import type { Logger } from '../../logger.js';
import { getSettings } from '../settings/settings.service.js';
import { canSeeTicket } from '../ticket/access.js';
import { addAttachment, addEntry, reopenTicket } from '../ticket/lifecycle.service.js';
import type { Actor, Clock } from '../ticket/mutate.js';
import { createTicket } from '../ticket/ticket.service.js';
import { emailActor, viewerFor } from './actors.js';
import {
  cleanSubject,
  domainOf,
  normaliseAddress,
  type ParsedMail,
  parseMail,
  stripQuotedReply,
  subjectTokens,
} from './content.js';
import { inboundContext } from './context.js';
import { classifyNoise, messageIdsIn, normaliseMessageId, scanHeaders } from './headers.js';
import { isOurAddress } from './outbox.service.js';
import { mailKeys, verifyMessageId } from './signing.js';

type UserWithOrg = User & { organization: Organization };

export interface IntakeDeps {
  prisma: PrismaClient;
  clock: Clock;
  log: Logger;
  config: MailConfig;
}

export interface StoreInput {
  source: MailSource;
  raw: Buffer;
  envelopeFrom: string | null;
  envelopeTo: string[];
}

/**
 * Stores a message exactly as received, before the SMTP 250 (or before the IMAP copy is moved): once acknowledged,
 * nothing is lost. The first copy of a Message-ID takes the unique dedupe key; any later copy is recorded as a
 * DUPLICATE of it and never processed.
 */
export async function storeInbound(
  prisma: PrismaClient,
  input: StoreInput,
  clock: Clock,
): Promise<{ id: string; duplicate: boolean }> {
  const headers = scanHeaders(input.raw);
  const sha256 = createHash('sha256').update(input.raw).digest('hex');
  const messageId = normaliseMessageId(headers.first('message-id')) ?? `${sha256}@no-message-id.invalid`;
  const base = {
    source: input.source,
    messageId,
    envelopeFrom: input.envelopeFrom,
    envelopeTo: input.envelopeTo,
    inReplyTo: normaliseMessageId(headers.first('in-reply-to')),
    references: messageIdsIn(headers.get('references').join(' ')).slice(-50),
    raw: new Uint8Array(input.raw),
    size: input.raw.length,
    sha256,
    receivedAt: clock.now(),
  };
  try {
    const row = await prisma.inboundMessage.create({
      data: { ...base, dedupeKey: messageId, status: 'RECEIVED' },
      select: { id: true },
    });
    return { id: row.id, duplicate: false };
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err;
    const first = await prisma.inboundMessage.findUnique({ where: { dedupeKey: messageId }, select: { id: true } });
    const row = await prisma.inboundMessage.create({
      data: {
        ...base,
        dedupeKey: null,
        duplicateOfId: first?.id ?? null,
        status: 'PROCESSED',
        outcome: 'DUPLICATE',
        detail: `redelivery of Message-ID <${messageId}>: already received, not processed again`,
        processedAt: base.receivedAt,
      },
      select: { id: true },
    });
    return { id: row.id, duplicate: true };
  }
}

const CLAIM_MS = 120_000;

export function backoffMs(attempt: number, baseMs: number): number {
  const exp = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 6 * 3600_000);
  return Math.round(exp * (1 + Math.random() * 0.2));
}

/** Claims a message for processing: one worker at a time, a crashed worker's claim expires. */
async function claim(prisma: PrismaClient, id: string, now: Date): Promise<InboundMessage | null> {
  const claimed = await prisma.inboundMessage.updateMany({
    where: {
      id,
      OR: [
        { status: 'RECEIVED' },
        { status: 'FAILED', nextAttemptAt: { lte: now } },
        { status: 'PROCESSING', lockedUntil: { lt: now } },
      ],
    },
    data: { status: 'PROCESSING', lockedUntil: new Date(now.getTime() + CLAIM_MS), attempts: { increment: 1 } },
  });
  if (claimed.count === 0) return null;
  return prisma.inboundMessage.findUnique({ where: { id } });
}

/** What parsing learned about the message, written with the outcome (or with the failure). */
interface Facts {
  fromAddress?: string | null;
  subject?: string | null;
  bodyHtml?: string | null;
  bodyText?: string | null;
}

interface Decision {
  outcome: InboundOutcome;
  threadRule?: MailThreadRule | null;
  detail: string;
  ticketId?: string | null;
  entryId?: string | null;
  senderId?: string | null;
  bodyText?: string;
}

/**
 * Turns one stored message into its outcome: ignored noise (recorded), a reply on the ticket it threads to, or a new
 * ticket. Every ticket change goes through the ticket services as the sender. Failures leave the message FAILED with
 * its raw content, to be retried with backoff.
 */
export async function processInbound(deps: IntakeDeps, id: string): Promise<InboundMessage | null> {
  const { prisma, clock, config } = deps;
  const row = await claim(prisma, id, clock.now());
  if (!row) return null;
  const facts: Facts = {};
  try {
    const decision = await decide(deps, row, facts);
    return await prisma.inboundMessage.update({
      where: { id },
      data: {
        ...facts,
        status: 'PROCESSED',
        outcome: decision.outcome,
        threadRule: decision.threadRule ?? null,
        detail: decision.detail.slice(0, 4000),
        ...(decision.ticketId !== undefined ? { ticketId: decision.ticketId } : {}),
        ...(decision.entryId !== undefined ? { entryId: decision.entryId } : {}),
        ...(decision.senderId !== undefined ? { senderId: decision.senderId } : {}),
        ...(decision.bodyText !== undefined ? { bodyText: decision.bodyText } : {}),
        processedAt: clock.now(),
        lockedUntil: null,
        nextAttemptAt: null,
        lastError: null,
      },
    });
  } catch (err) {
    const attempts = row.attempts;
    const retry = attempts < config.retryMax;
    deps.log.warn({ err, inboundId: id, attempts }, 'inbound mail processing failed');
    return prisma.inboundMessage.update({
      where: { id },
      data: {
        ...facts,
        status: 'FAILED',
        lastError: String((err as Error).stack ?? err).slice(0, 4000),
        nextAttemptAt: retry ? new Date(clock.now().getTime() + backoffMs(attempts, config.retryBaseMs)) : null,
        lockedUntil: null,
      },
    });
  }
}

async function decide(deps: IntakeDeps, row: InboundMessage, facts: Facts): Promise<Decision> {
  const { prisma, clock, config } = deps;
  const raw = Buffer.from(row.raw);
  let parsed: ParsedMail;
  try {
    parsed = await parseMail(raw);
  } catch (err) {
    return { outcome: 'MALFORMED', detail: `MIME could not be parsed: ${(err as Error).message}` };
  }
  const headers = scanHeaders(raw);
  const from = parsed.from?.address ?? null;
  facts.fromAddress = from;
  facts.subject = parsed.subject.slice(0, 1000) || null;
  facts.bodyHtml = parsed.safeHtml?.slice(0, 1_000_000) ?? null;
  if (!from) return { outcome: 'MALFORMED', detail: 'no usable From address: nobody to answer or to file it for' };

  const noise = classifyNoise(headers, row.envelopeFrom, from);
  if (noise) return { outcome: noise.kind, detail: `${noise.reason}; recorded, not turned into a ticket` };
  if (isOurAddress(from)) return { outcome: 'LOOP', detail: `sent from our own address ${from}; ignored` };

  // Threading rule 1 comes first for a reason: a reference minted by another installation means the conversation
  // belongs there (GLPI's instance id); never file it here, whatever its subject says.
  const keys = await mailKeys(prisma);
  const refs = [...new Set([row.inReplyTo, ...[...row.references].reverse()].filter((r): r is string => !!r))];
  const verdicts = refs.map((ref) => ({ ref, verdict: verifyMessageId(keys, ref) }));
  const ours = verdicts.filter((v) => v.verdict.kind === 'ours');
  const foreign = verdicts.find((v) => v.verdict.kind === 'foreign');
  if (foreign && ours.length === 0) {
    return {
      outcome: 'FOREIGN_INSTALLATION',
      detail: `replies to <${foreign.ref}>, a message of another installation; ignored`,
    };
  }

  const since = new Date(clock.now().getTime() - 3600_000);
  const recent = await prisma.inboundMessage.count({
    where: { fromAddress: from, receivedAt: { gte: since }, id: { not: row.id } },
  });
  if (recent >= config.ratePerHour) {
    return {
      outcome: 'RATE_LIMITED',
      detail: `${recent + 1} messages from ${from} within an hour (limit ${config.ratePerHour}); recorded, not processed`,
    };
  }

  const sender = await resolveSender(prisma, from, parsed.from?.name ?? '');
  if ('refused' in sender) return { outcome: 'UNKNOWN_SENDER', detail: sender.refused };
  const user = sender.user;
  const notes: string[] = sender.created ? [`created contact ${from} (allowed domain)`] : [];

  // A previous attempt already filed it: resume there instead of threading again.
  if (row.ticketId) {
    const ticket = await prisma.ticket.findUniqueOrThrow({ where: { id: row.ticketId } });
    if (row.outcome === 'TICKET_CREATED') {
      return finishNew(deps, parsed, user, ticket, [...notes, 'resumed after an interrupted attempt']);
    }
    return reply(deps, row, parsed, user, ticket, row.threadRule ?? 'NONE', [...notes, 'resumed']);
  }

  for (const { ref, verdict } of verdicts) {
    if (verdict.kind === 'forged') notes.push(`<${ref}> looks like ours but its signature is invalid; ignored`);
  }
  for (const { ref, verdict } of ours) {
    if (verdict.kind !== 'ours' || !verdict.ticketId) continue;
    const ticket = await prisma.ticket.findUnique({ where: { id: verdict.ticketId } });
    if (!ticket) continue;
    if (await canSeeTicket(prisma, viewerFor(user), ticket)) {
      return reply(deps, row, parsed, user, ticket, 'SIGNED_MESSAGE_ID', [
        ...notes,
        `signed Message-ID <${ref}> of ${ticket.number}`,
      ]);
    }
    notes.push(`signed reference to ${ticket.number} ignored: ${from} may not see that ticket`);
  }

  if (refs.length) {
    const stored = await prisma.inboundMessage.findMany({
      where: { messageId: { in: refs }, ticketId: { not: null }, id: { not: row.id } },
      select: { messageId: true, ticketId: true },
    });
    const sent = await prisma.outboxMessage.findMany({
      where: { messageId: { in: refs }, ticketId: { not: null } },
      select: { messageId: true, ticketId: true },
    });
    const byRef = new Map([...stored, ...sent].map((s) => [s.messageId, s.ticketId!]));
    for (const ref of refs) {
      const ticketId = byRef.get(ref);
      if (!ticketId) continue;
      const ticket = await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
      if (await canSeeTicket(prisma, viewerFor(user), ticket)) {
        return reply(deps, row, parsed, user, ticket, 'STORED_MESSAGE_ID', [
          ...notes,
          `stored Message-ID <${ref}> of ${ticket.number}`,
        ]);
      }
      notes.push(`stored reference to ${ticket.number} ignored: ${from} may not see that ticket`);
    }
  }

  for (const token of subjectTokens(parsed.subject)) {
    const number = await prisma.ticketNumber.findUnique({ where: { number: token }, include: { ticket: true } });
    if (!number) {
      notes.push(`subject token ${token}: no such ticket`);
      continue;
    }
    const ticket = number.ticket;
    if (await isParticipant(prisma, ticket, user)) {
      return reply(deps, row, parsed, user, ticket, 'SUBJECT_TOKEN', [
        ...notes,
        `subject token ${token} from ${ticket.requesterId === user.id ? 'the requester' : 'a participant'}`,
      ]);
    }
    notes.push(
      `subject token ${token} ignored: ${from} is neither the requester nor a participant of ${ticket.number}`,
    );
  }

  return newTicket(deps, row, parsed, user, [...notes, refs.length ? 'no reference matched' : 'no references']);
}

/** A known active user, or a contact created for a mapped domain that allows it; otherwise refused by policy. */
async function resolveSender(
  prisma: PrismaClient,
  address: string,
  displayName: string,
): Promise<{ user: UserWithOrg; created: boolean } | { refused: string }> {
  const existing = await prisma.user.findUnique({ where: { email: address }, include: { organization: true } });
  if (existing) {
    return existing.active
      ? { user: existing, created: false }
      : { refused: `${address} belongs to a deactivated account; refused` };
  }
  const domain = domainOf(address);
  const mapping = await prisma.mailDomain.findUnique({ where: { domain } });
  if (!mapping) return { refused: `unknown sender ${address}: ${domain} is not an intake domain; refused by policy` };
  if (!mapping.autoCreateContacts) {
    return { refused: `unknown sender ${address}: ${domain} accepts known contacts only; refused by policy` };
  }
  const name = displayName.replace(/["<>]/g, '').trim().slice(0, 200) || address.split('@')[0]!;
  try {
    const user = await prisma.user.create({
      data: { email: address, name, role: 'CUSTOMER', organizationId: mapping.organizationId, passwordHash: null },
      include: { organization: true },
    });
    return { user, created: true };
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err;
    const user = await prisma.user.findUniqueOrThrow({ where: { email: address }, include: { organization: true } });
    return { user, created: false };
  }
}

/** Requester, assignee, anyone who wrote on the ticket, or someone the requester copied. */
async function isParticipant(prisma: PrismaClient, ticket: Ticket, user: UserWithOrg): Promise<boolean> {
  if (ticket.requesterId === user.id || ticket.assigneeId === user.id) return true;
  const cc = await prisma.mailParticipant.findUnique({
    where: { ticketId_address: { ticketId: ticket.id, address: user.email } },
  });
  if (cc) return true;
  return !!(await prisma.ticketEntry.findFirst({
    where: { ticketId: ticket.id, authorId: user.id },
    select: { id: true },
  }));
}

function urgencyOf(headers: ReturnType<typeof scanHeaders>): Urgency {
  const importance = headers.first('importance')?.toLowerCase();
  const xPriority = headers.first('x-priority')?.trim();
  const priority = headers.first('priority')?.toLowerCase();
  if (importance === 'high' || /^[12]\b/.test(xPriority ?? '') || priority === 'urgent') return 'HIGH';
  return 'MEDIUM';
}

function ticketText(parsed: ParsedMail): { title: string; description: string } {
  let title = cleanSubject(parsed.subject).slice(0, 200).trim();
  if (title.length < 3) title = `Email from ${parsed.from?.address ?? 'unknown sender'}`.slice(0, 200);
  let description = parsed.text.trim() || '(the message had no text)';
  if (description.length > 50_000) {
    description = `${description.slice(0, 49_800)}\n\n[… truncated: the full message is kept with the inbound mail record]`;
  }
  return { title, description };
}

async function newTicket(
  deps: IntakeDeps,
  row: InboundMessage,
  parsed: ParsedMail,
  user: UserWithOrg,
  notes: string[],
): Promise<Decision> {
  const { prisma, clock } = deps;
  const { title, description } = ticketText(parsed);
  const actor = emailActor(user);
  const { ticket } = await inboundContext.run(
    { inboundId: row.id, messageId: row.messageId, senderId: user.id, mode: 'new' },
    () =>
      createTicket(
        prisma,
        actor,
        {
          title,
          description,
          class: 'INCIDENT',
          impact: 'LOW',
          urgency: urgencyOf(scanHeaders(Buffer.from(row.raw))),
          idempotencyKey: `mail-${row.id}`,
        },
        clock,
      ),
  );
  return finishNew(deps, parsed, user, ticket, notes);
}

async function finishNew(
  deps: IntakeDeps,
  parsed: ParsedMail,
  user: UserWithOrg,
  ticket: Ticket,
  notes: string[],
): Promise<Decision> {
  const extra = await attachFiles(deps, parsed, user, ticket);
  await recordParticipants(deps.prisma, ticket, user, parsed, deps.clock.now());
  return {
    bodyText: ticketText(parsed).description,
    outcome: 'TICKET_CREATED',
    threadRule: 'NONE',
    detail: [`new ticket ${ticket.number}`, ...notes, ...extra].join('; '),
    ticketId: ticket.id,
    senderId: user.id,
  };
}

async function withFreshVersion<T>(prisma: PrismaClient, ticketId: string, fn: (t: Ticket) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const ticket = await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    try {
      return await fn(ticket);
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 4) throw err;
    }
  }
}

async function reply(
  deps: IntakeDeps,
  row: InboundMessage,
  parsed: ParsedMail,
  user: UserWithOrg,
  matched: Ticket,
  rule: MailThreadRule,
  notes: string[],
): Promise<Decision> {
  const { prisma, clock } = deps;
  const actor: Actor = emailActor(user);
  const body = stripQuotedReply(parsed.text) || '(the message had no text)';
  const context = { inboundId: row.id, messageId: row.messageId, senderId: user.id, mode: 'reply' as const };
  let target = matched;
  let outcome: InboundOutcome = row.outcome === 'FOLLOW_UP_CREATED' ? 'FOLLOW_UP_CREATED' : 'REPLY_ADDED';

  if (target.status === 'CANCELLED') {
    return newTicket(deps, row, parsed, user, [...notes, `${target.number} is cancelled: opened a new ticket instead`]);
  }
  if (target.status === 'CLOSED') {
    const mayFollowUp = user.id === target.requesterId || user.organization.kind === 'PROVIDER';
    if (!mayFollowUp) {
      const settings = await getSettings(prisma);
      const windowEnd = (target.closedAt?.getTime() ?? 0) + settings.reopenWindowDays * 86_400_000;
      if (clock.now().getTime() > windowEnd) {
        return newTicket(deps, row, parsed, user, [
          ...notes,
          `${target.number} is closed past the reopen window and ${user.email} is not its requester: opened a new ticket`,
        ]);
      }
    }
    const result = await inboundContext.run(context, () =>
      withFreshVersion(prisma, target.id, (t) =>
        reopenTicket(
          prisma,
          actor,
          t.id,
          t.version,
          `customer replied by email: ${cleanSubject(parsed.subject) || 'no subject'}`.slice(0, 500),
          clock,
        ),
      ),
    );
    if (result.newTicket) {
      notes.push(
        `${target.number} is closed past the reopen window: follow-up ${result.newTicket.number} created and linked`,
      );
      target = result.newTicket;
      outcome = 'FOLLOW_UP_CREATED';
    } else {
      notes.push(`${target.number} was closed and is reopened (within the reopen window)`);
      target = result.ticket;
      outcome = 'TICKET_REOPENED';
    }
  }

  let entryId = row.entryId;
  if (!entryId) {
    await inboundContext.run(context, () =>
      withFreshVersion(prisma, target.id, (t) =>
        addEntry(prisma, actor, t.id, t.version, { kind: 'PUBLIC_REPLY', body: body.slice(0, 50_000) }, clock),
      ),
    );
    entryId = (await prisma.inboundMessage.findUniqueOrThrow({ where: { id: row.id }, select: { entryId: true } }))
      .entryId;
  }
  const extra = await attachFiles(deps, parsed, user, target);
  await recordParticipants(prisma, target, user, parsed, clock.now());
  return {
    bodyText: body,
    outcome,
    threadRule: rule,
    detail: [...notes, `reply added to ${target.number}`, ...extra].join('; '),
    ticketId: target.id,
    entryId,
    senderId: user.id,
  };
}

const MAX_ATTACHMENTS = 20;

/** Attachments within the size limit, each once (a resumed attempt does not add them again). */
async function attachFiles(deps: IntakeDeps, parsed: ParsedMail, user: UserWithOrg, ticket: Ticket): Promise<string[]> {
  const { prisma, clock } = deps;
  const notes: string[] = [];
  const files = parsed.email.attachments.filter((a) => a.disposition !== null || a.filename);
  if (files.length === 0) return notes;
  const settings = await getSettings(prisma);
  const actor = emailActor(user);
  for (const [i, file] of files.entries()) {
    if (i >= MAX_ATTACHMENTS) {
      notes.push(`${files.length - MAX_ATTACHMENTS} more attachment(s) not stored (limit ${MAX_ATTACHMENTS})`);
      break;
    }
    const content =
      typeof file.content === 'string'
        ? Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8')
        : Buffer.from(file.content instanceof ArrayBuffer ? new Uint8Array(file.content) : file.content);
    const filename =
      (file.filename ?? `attachment-${i + 1}`).replace(/[\\/\0\r\n]/g, '_').slice(0, 255) || `attachment-${i + 1}`;
    if (content.length > settings.attachmentMaxBytes) {
      notes.push(
        `attachment ${filename} (${content.length} bytes) exceeds the ${settings.attachmentMaxBytes}-byte limit: kept in the raw message only`,
      );
      continue;
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    const existing = await prisma.attachment.findFirst({ where: { ticketId: ticket.id, sha256, filename } });
    if (existing) continue;
    const contentType = /^[\w.+-]+\/[\w.+-]+$/.test(file.mimeType) ? file.mimeType : 'application/octet-stream';
    await withFreshVersion(prisma, ticket.id, (t) =>
      addAttachment(
        prisma,
        actor,
        t.id,
        t.version,
        { filename, contentType, contentBase64: content.toString('base64') },
        clock,
      ),
    );
  }
  notes.push(`${Math.min(files.length, MAX_ATTACHMENTS)} attachment(s) considered`);
  return notes;
}

/** People the requester copies become participants (they may thread by subject token and receive the mail). */
async function recordParticipants(
  prisma: PrismaClient,
  ticket: Ticket,
  user: UserWithOrg,
  parsed: ParsedMail,
  at: Date,
) {
  if (ticket.requesterId !== user.id) return;
  for (const address of parsed.recipients.slice(0, 20)) {
    const normal = normaliseAddress(address);
    if (!normal || normal === user.email || isOurAddress(normal)) continue;
    const known = await prisma.user.findUnique({ where: { email: normal }, select: { id: true } });
    await prisma.mailParticipant.upsert({
      where: { ticketId_address: { ticketId: ticket.id, address: normal } },
      create: { ticketId: ticket.id, address: normal, userId: known?.id ?? null, addedAt: at },
      update: {},
    });
  }
}

/** Messages due for (re)processing: never processed, failed and due for a retry, or held by a crashed worker. */
export async function pendingInbound(prisma: PrismaClient, now: Date, limit = 50): Promise<string[]> {
  const rows = await prisma.inboundMessage.findMany({
    where: {
      OR: [
        { status: 'RECEIVED' },
        { status: 'FAILED', nextAttemptAt: { lte: now } },
        { status: 'PROCESSING', lockedUntil: { lt: now } },
      ],
    },
    orderBy: { receivedAt: 'asc' },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
