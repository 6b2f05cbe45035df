import { appConfig } from '../../config.js';
import type { Tx } from '../../db/tx.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { PrismaClient, Ticket } from '../../generated/prisma/client.js';
import { newSecret, sha256 } from '../auth/secrets.js';
import { appendEvents } from '../events/eventLog.js';
import { respondToResolution } from '../ticket/lifecycle.service.js';
import { type Clock, systemClock } from '../ticket/mutate.js';
import { emailActorFor } from './actors.js';
import { mailKeys, verifyResolutionToken } from './signing.js';

/**
 * Issues the ticket's survey link (one survey per ticket). A new resolution of an unanswered survey rotates the token
 * (the old link stops working) and restarts `sentAt`; an answered survey is never sent again. Returns null then.
 */
export async function issueSurvey(tx: Tx, ticket: Ticket, at: Date): Promise<string | null> {
  const existing = await tx.satisfactionSurvey.findUnique({ where: { ticketId: ticket.id } });
  if (existing?.respondedAt) return null;
  const token = newSecret('');
  await tx.satisfactionSurvey.upsert({
    where: { ticketId: ticket.id },
    create: { ticketId: ticket.id, organizationId: ticket.organizationId, tokenHash: sha256(token), sentAt: at },
    update: { tokenHash: sha256(token), sentAt: at },
  });
  return token;
}

export function surveyLink(token: string): string {
  return `${appConfig().publicUrl}/survey#token=${token}`;
}

export function resolutionLink(token: string, answer: 'confirm' | 'reject'): string {
  return `${appConfig().publicUrl}/resolution#token=${token}&answer=${answer}`;
}

export async function surveyByToken(prisma: PrismaClient, token: string) {
  const survey = await prisma.satisfactionSurvey.findUnique({
    where: { tokenHash: sha256(token.trim()) },
    include: { ticket: { select: { number: true, title: true } } },
  });
  return survey;
}

/** A rating from the survey link: 1-5 and an optional comment; once per survey. */
export async function submitSurvey(
  prisma: PrismaClient,
  input: { token: string; rating: number; comment?: string | null },
  clock: Clock = systemClock,
) {
  const issues: { path: string[]; message: string }[] = [];
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) {
    issues.push({ path: ['input', 'rating'], message: 'Rate from 1 to 5' });
  }
  const comment = input.comment?.trim() || null;
  if (comment && comment.length > 5000)
    issues.push({ path: ['input', 'comment'], message: 'At most 5,000 characters' });
  if (issues.length) throw new ValidationError(issues);
  const survey = await prisma.satisfactionSurvey.findUnique({ where: { tokenHash: sha256(input.token.trim()) } });
  if (!survey) throw new NotFoundError('SatisfactionSurvey', 'this link');
  const at = clock.now();
  return prisma.$transaction(async (tx) => {
    const updated = await tx.satisfactionSurvey.updateMany({
      where: { id: survey.id, respondedAt: null },
      data: { rating: input.rating, comment, respondedAt: at },
    });
    if (updated.count === 0) throw new ConflictError('This survey has already been answered; thank you');
    await appendEvents(
      tx,
      [
        {
          type: 'survey.responded',
          ticketId: survey.ticketId,
          organizationId: survey.organizationId,
          internal: false,
          payload: { rating: input.rating },
        },
      ],
      at,
    );
    return tx.satisfactionSurvey.findUniqueOrThrow({ where: { id: survey.id } });
  });
}

/**
 * The confirm / reject links of a resolution notice, answered without login. The token names the ticket and the
 * exact resolution; the answer is the requester's, through the same service as ticketRespondToResolution.
 */
export async function respondByToken(
  prisma: PrismaClient,
  input: { token: string; accept: boolean; comment?: string | null },
  clock: Clock = systemClock,
) {
  const keys = await mailKeys(prisma);
  const claim = verifyResolutionToken(keys, input.token);
  if (!claim) throw new NotFoundError('Resolution', 'this link');
  const ticket = await prisma.ticket.findUnique({ where: { id: claim.ticketId } });
  if (!ticket) throw new NotFoundError('Resolution', 'this link');
  if (ticket.status !== 'RESOLVED' || ticket.resolvedAt?.getTime() !== claim.resolvedAt.getTime()) {
    throw new ConflictError(
      `${ticket.number} is no longer awaiting an answer to this resolution (it is ${ticket.status})`,
      ticket.version,
    );
  }
  if (ticket.resolutionConfirmed === input.accept) return ticket;
  const actor = await emailActorFor(prisma, ticket.requesterId);
  const { ticket: after } = await respondToResolution(
    prisma,
    actor,
    ticket.id,
    ticket.version,
    input.accept,
    input.comment?.trim() || null,
    clock,
  );
  return after;
}
