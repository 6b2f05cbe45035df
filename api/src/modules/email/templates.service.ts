import { ConflictError, ValidationError } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { MailTemplateKey } from '../../generated/prisma/enums.js';
import type { Actor } from '../ticket/mutate.js';
import { requireStaff } from '../ticket/mutate.js';
import { domainOf, normaliseAddress } from './content.js';
import { currentTemplate, ticketValues } from './outbox.service.js';
import { DEFAULT_TEMPLATES, renderTemplate, type TemplateText, templateProblems } from './templates.js';
import type { TemplateView } from './types.js';

export async function templateView(prisma: PrismaClient, key: MailTemplateKey): Promise<TemplateView> {
  const stored = await prisma.mailTemplate.findFirst({ where: { key }, orderBy: { version: 'desc' } });
  const def = DEFAULT_TEMPLATES[key];
  return {
    key,
    purpose: def.purpose,
    subject: stored?.subject ?? def.subject,
    body: stored?.body ?? def.body,
    version: stored?.version ?? 0,
    createdAt: stored?.createdAt ?? null,
    createdById: stored?.createdById ?? null,
    note: stored?.note ?? 'built-in default',
    defaultSubject: def.subject,
    defaultBody: def.body,
  };
}

export async function listTemplates(prisma: PrismaClient): Promise<TemplateView[]> {
  const out: TemplateView[] = [];
  for (const key of Object.values(MailTemplateKey)) out.push(await templateView(prisma, key));
  return out;
}

/**
 * An admin's change to a template: validated (unknown placeholders, unbalanced sections), then appended as a new
 * version, so what any sent mail was rendered from stays on record (`OutboundMail.templateVersion`).
 */
export async function updateTemplate(
  prisma: PrismaClient,
  actor: Actor,
  input: TemplateText & { key: MailTemplateKey; note?: string | null; expectedVersion: number },
  at: Date,
): Promise<TemplateView> {
  const problems = templateProblems(input);
  if (problems.length) throw new ValidationError(problems);
  await prisma.$transaction(async (tx) => {
    // Serialise changes to one key: the version check and the insert happen under the lock.
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${`mail-template:${input.key}`}))`;
    const current = await currentTemplate(tx, input.key);
    if (current.version !== input.expectedVersion) {
      throw new ConflictError(
        `The ${input.key} template was changed by someone else (you edited version ${input.expectedVersion}, it is now ${current.version})`,
        current.version,
      );
    }
    await tx.mailTemplate.create({
      data: {
        key: input.key,
        version: current.version + 1,
        subject: input.subject.trim(),
        body: input.body.replace(/\r\n/g, '\n').trim(),
        note: input.note?.trim().slice(0, 500) ?? '',
        createdAt: at,
        createdById: actor.viewer.userId,
      },
    });
  });
  return templateView(prisma, input.key);
}

/** The template rendered for a real ticket, as its requester would receive it (nothing is queued). */
export async function previewTemplate(
  prisma: PrismaClient,
  actor: Actor,
  key: MailTemplateKey,
  ticketId: string,
): Promise<{ subject: string; text: string }> {
  requireStaff(actor, 'preview mail templates');
  const ticket = await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
  return prisma.$transaction(async (tx) => {
    const template = await currentTemplate(tx, key);
    const requester = await tx.user.findUniqueOrThrow({ where: { id: ticket.requesterId } });
    const me = await tx.user.findUnique({ where: { id: actor.viewer.userId }, select: { name: true } });
    const values = {
      ...(await ticketValues(tx, ticket)),
      'recipient.name': requester.name,
      'links.confirm': '(confirm link)',
      'links.reject': '(reject link)',
      'links.survey': '(survey link)',
      'entry.body': '(the text of the entry)',
      'entry.author': me?.name ?? 'The service desk',
    };
    const rendered = renderTemplate(template, values);
    return { subject: rendered.subject, text: rendered.body };
  });
}

export function validDomain(input: string): string | null {
  const d = input.trim().toLowerCase().replace(/^@/, '');
  return normaliseAddress(`x@${d}`) && domainOf(`x@${d}`) === d && d.length <= 253 ? d : null;
}
