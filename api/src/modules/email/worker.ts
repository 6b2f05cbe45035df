import nodemailer, { type Transporter } from 'nodemailer';
import type { MailConfig } from '../../config.js';
import type { OutboxMessage, PrismaClient, Ticket } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { addEntry } from '../ticket/lifecycle.service.js';
import type { Clock } from '../ticket/mutate.js';
import { emailActorFor } from './actors.js';
import { backoffMs } from './intake.service.js';
import { mailForEntry } from './notify.js';
import { enqueueMail, type Recipient, ticketValues } from './outbox.service.js';
import { slaDueTimes } from './sla.js';
import { formatWhen } from './templates.js';

const CLAIM_MS = 120_000;

/**
 * Delivers the outbox over SMTP (nodemailer): at least once, with exponential backoff and jitter between attempts,
 * FAILED after the last one (visible to staff, nothing dropped silently). Several API instances can run it: a message
 * is claimed before it is sent, and a claim held by a crashed instance expires.
 */
export class OutboxDelivery {
  private transport: Transporter | null;

  constructor(
    private readonly deps: { prisma: PrismaClient; log: Logger; clock: Clock; config: MailConfig },
    transport?: Transporter,
  ) {
    this.transport =
      transport ??
      (deps.config.smtpUrl
        ? nodemailer.createTransport(deps.config.smtpUrl, {
            connectionTimeout: 10_000,
            greetingTimeout: 10_000,
            socketTimeout: 60_000,
          } as never)
        : null);
  }

  /** Sends what is due; returns how many messages were delivered. */
  async deliverDue(limit = 20): Promise<number> {
    if (!this.transport) return 0;
    const { prisma, clock } = this.deps;
    const now = clock.now();
    const due = await prisma.outboxMessage.findMany({
      where: {
        OR: [
          { status: 'PENDING', nextAttemptAt: { lte: now } },
          { status: 'SENDING', lockedUntil: { lt: now } },
        ],
      },
      orderBy: { nextAttemptAt: 'asc' },
      take: limit,
      select: { id: true },
    });
    let delivered = 0;
    for (const { id } of due) {
      const claimed = await prisma.outboxMessage.updateMany({
        where: {
          id,
          OR: [
            { status: 'PENDING', nextAttemptAt: { lte: now } },
            { status: 'SENDING', lockedUntil: { lt: now } },
          ],
        },
        data: { status: 'SENDING', lockedUntil: new Date(now.getTime() + CLAIM_MS) },
      });
      if (claimed.count === 0) continue;
      const message = await prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
      if (await this.send(message)) delivered += 1;
    }
    return delivered;
  }

  private async send(message: OutboxMessage): Promise<boolean> {
    const { prisma, clock, config, log } = this.deps;
    const attempts = message.attempts + 1;
    try {
      await this.transport!.sendMail({
        from: message.fromAddress,
        to: message.toAddress,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${message.messageId}>`,
        ...(message.inReplyTo ? { inReplyTo: `<${message.inReplyTo}>` } : {}),
        ...(message.references.length ? { references: message.references.map((r) => `<${r}>`) } : {}),
        headers: message.headers as Record<string, string>,
      });
      await prisma.outboxMessage.update({
        where: { id: message.id },
        data: { status: 'SENT', sentAt: clock.now(), attempts, lockedUntil: null, lastError: null },
      });
      return true;
    } catch (err) {
      const last = attempts >= config.retryMax;
      const delay = backoffMs(attempts, config.retryBaseMs);
      log.warn({ err, outboxId: message.id, attempts, retryInMs: last ? null : delay }, 'mail delivery failed');
      await prisma.outboxMessage.update({
        where: { id: message.id },
        data: {
          status: last ? 'FAILED' : 'PENDING',
          attempts,
          lockedUntil: null,
          lastError: String((err as Error).message ?? err).slice(0, 2000),
          nextAttemptAt: new Date(clock.now().getTime() + (last ? 0 : delay)),
        },
      });
      return false;
    }
  }

  close(): void {
    this.transport?.close();
  }
}

/** Fallback cadence of status updates for high-priority tickets without an SLA next-update target. */
const FALLBACK_CADENCE_MS: Record<string, number> = { P1: 3600_000, P2: 4 * 3600_000 };

/**
 * Status updates for high-priority tickets at the cadence of the SLA's next-update target: shortly before an update
 * is due, a reminder to the assignee (or the group's leads), or, with MAIL_STATUS_UPDATES=customer, an automatic
 * progress update to the customer written on the ticket by the assignee's account. Once per cycle.
 */
export async function statusUpdateCadence(
  deps: { prisma: PrismaClient; log: Logger; clock: Clock; config: MailConfig },
  limit = 200,
): Promise<number> {
  const { prisma, clock, config } = deps;
  if (config.statusUpdates === 'off') return 0;
  const now = clock.now();
  const tickets = await prisma.ticket.findMany({
    where: { priority: { in: ['P1', 'P2'] }, status: { in: ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_VENDOR'] } },
    orderBy: { createdAt: 'asc' },
    take: limit,
  });
  let queued = 0;
  for (const ticket of tickets) {
    const due = await updateDue(prisma, ticket);
    if (!due) continue;
    const lead = Math.min(due.cadenceMs * 0.25, 30 * 60_000);
    if (now.getTime() < due.dueAt.getTime() - lead) continue;
    const done = await prisma.outboxMessage.count({
      where: { ticketId: ticket.id, kind: { in: ['UPDATE_REMINDER'] }, createdAt: { gte: due.cycleStart } },
    });
    if (done > 0) continue;
    const text = `Last customer update: ${formatWhen(due.cycleStart)}.`;
    if (config.statusUpdates === 'customer' && ticket.assigneeId) {
      const actor = await emailActorFor(prisma, ticket.assigneeId);
      actor.channel = 'API';
      const body = `Automatic status update: ${ticket.number} is ${ticket.status.replace(/_/g, ' ').toLowerCase()} and work continues. We will update you again by ${formatWhen(new Date(now.getTime() + due.cadenceMs))}.`;
      try {
        await addEntry(prisma, actor, ticket.id, ticket.version, { kind: 'PROGRESS_UPDATE', body }, clock);
        queued += 1;
      } catch (err) {
        deps.log.warn({ err, ticketId: ticket.id }, 'automatic status update failed');
      }
      continue;
    }
    const recipients = await reminderRecipients(prisma, ticket);
    if (recipients.length === 0) continue;
    await prisma.$transaction(async (tx) => {
      const values = {
        ...(await ticketValues(tx, ticket)),
        'sla.nextUpdateDue': formatWhen(due.dueAt),
        'update.text': text,
      };
      for (const recipient of recipients) {
        await enqueueMail(tx, { kind: 'UPDATE_REMINDER', ticket, recipient, values, at: now });
        queued += 1;
      }
    });
  }
  return queued;
}

async function updateDue(prisma: PrismaClient, ticket: Ticket) {
  const sla = await slaDueTimes(prisma, ticket.id);
  if (sla.nextUpdateSeconds && sla.nextUpdateDue && sla.nextUpdateCycleStartedAt) {
    return {
      dueAt: sla.nextUpdateDue,
      cadenceMs: sla.nextUpdateSeconds * 1000,
      cycleStart: sla.nextUpdateCycleStartedAt,
    };
  }
  const cadenceMs = FALLBACK_CADENCE_MS[ticket.priority];
  if (!cadenceMs) return null;
  const lastEntry = await prisma.ticketEntry.findFirst({
    where: { ticketId: ticket.id, internal: false, author: { organization: { kind: 'PROVIDER' } } },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
  });
  const lastMail = await prisma.outboxMessage.findFirst({
    where: { ticketId: ticket.id, kind: { in: ['REPLY', 'STATUS_UPDATE', 'INFORMATION_REQUEST'] } },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
  });
  const cycleStart = new Date(
    Math.max(ticket.createdAt.getTime(), lastEntry?.createdAt.getTime() ?? 0, lastMail?.createdAt.getTime() ?? 0),
  );
  return { dueAt: new Date(cycleStart.getTime() + cadenceMs), cadenceMs, cycleStart };
}

async function reminderRecipients(prisma: PrismaClient, ticket: Ticket): Promise<Recipient[]> {
  if (ticket.assigneeId) {
    const a = await prisma.user.findUnique({ where: { id: ticket.assigneeId } });
    if (a?.active) return [{ address: a.email, name: a.name, userId: a.id }];
  }
  if (!ticket.resolverGroupId) return [];
  const leads = await prisma.resolverGroupMember.findMany({
    where: { groupId: ticket.resolverGroupId, isLead: true, user: { active: true } },
    include: { user: true },
  });
  return leads.map((l) => ({ address: l.user.email, name: l.user.name, userId: l.user.id }));
}

/**
 * A resolution notice written where no hook could mail it (a child resolved by its parent's cascade gets its notice
 * after the hooks ran) is mailed here, so every public notice reaches the customer.
 */
export async function mailUnsentNotices(deps: { prisma: PrismaClient; clock: Clock }): Promise<number> {
  const { prisma, clock } = deps;
  const since = new Date(clock.now().getTime() - 86_400_000);
  const entries = await prisma.ticketEntry.findMany({
    where: { kind: 'RESOLUTION_NOTICE', internal: false, createdAt: { gte: since } },
    orderBy: { createdAt: 'asc' },
    take: 200,
  });
  let mailed = 0;
  for (const entry of entries) {
    if ((await prisma.outboxMessage.count({ where: { entryId: entry.id } })) > 0) continue;
    await prisma.$transaction(async (tx) => {
      const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: entry.ticketId } });
      if (ticket.status !== 'RESOLVED') return;
      await mailForEntry(tx, ticket, entry, true, clock.now());
      mailed += 1;
    });
  }
  return mailed;
}
