import { forbidden, NotFoundError, ValidationError } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Priority, TicketClass } from '../../generated/prisma/enums.js';
import { roleAtLeast } from '../auth/scopes.js';
import type { Actor, Clock } from '../ticket/mutate.js';
import { systemClock } from '../ticket/mutate.js';
import { reselectOpenTickets } from './sla.service.js';

export interface SlaPolicyInput {
  key: string;
  name: string;
  priority?: Priority | null;
  ticketClass?: TicketClass | null;
  organizationId?: string | null;
  calendarId: string;
  firstResponseSeconds?: number | null;
  nextUpdateSeconds?: number | null;
  resolutionSeconds?: number | null;
  pauseOnPendingVendor?: boolean | null;
  warningPercents?: number[] | null;
}

function problems(input: SlaPolicyInput) {
  const issues: { path: string[]; message: string }[] = [];
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.key))
    issues.push({ path: ['input', 'key'], message: 'Use 2-63 lower-case letters, digits or dashes' });
  if (input.name.trim().length < 2) issues.push({ path: ['input', 'name'], message: 'Give a name' });
  for (const field of ['firstResponseSeconds', 'nextUpdateSeconds', 'resolutionSeconds'] as const) {
    const v = input[field];
    if (v !== null && v !== undefined && (!Number.isInteger(v) || v < 1 || v > 366 * 86_400))
      issues.push({ path: ['input', field], message: 'Use 1 second to 366 days, or leave it empty for no target' });
  }
  if (!input.firstResponseSeconds && !input.nextUpdateSeconds && !input.resolutionSeconds)
    issues.push({ path: ['input'], message: 'Give at least one target' });
  for (const p of input.warningPercents ?? []) {
    if (!Number.isInteger(p) || p < 1 || p > 99)
      issues.push({ path: ['input', 'warningPercents'], message: 'Warnings are percentages from 1 to 99' });
  }
  return issues;
}

/**
 * Creates version 1 of a policy, or the next version of an existing key: the previous version is retired, never
 * edited. Open tickets move to the new version and are recomputed from their ledgers; met and breached targets and
 * closed tickets keep the version they were measured against.
 */
export async function saveSlaPolicy(
  prisma: PrismaClient,
  actor: Actor,
  input: SlaPolicyInput,
  clock: Clock = systemClock,
) {
  if (!roleAtLeast(actor.viewer.role, 'ADMIN') || !actor.viewer.scopes.has('admin'))
    throw forbidden('Only administrators change SLA policies');
  const issues = problems(input);
  if (issues.length) throw new ValidationError(issues);
  if (!(await prisma.businessCalendar.findUnique({ where: { id: input.calendarId } })))
    throw new NotFoundError('BusinessCalendar', input.calendarId);
  if (input.organizationId && !(await prisma.organization.findUnique({ where: { id: input.organizationId } })))
    throw new NotFoundError('Organization', input.organizationId);
  const at = clock.now();
  const { policy, retiredIds } = await prisma.$transaction(async (tx) => {
    const previous = await tx.slaPolicy.findMany({ where: { key: input.key }, orderBy: { version: 'desc' } });
    const version = (previous[0]?.version ?? 0) + 1;
    const retired = previous.filter((p) => p.active).map((p) => p.id);
    await tx.slaPolicy.updateMany({ where: { id: { in: retired } }, data: { active: false, retiredAt: at } });
    const created = await tx.slaPolicy.create({
      data: {
        key: input.key,
        version,
        name: input.name.trim(),
        priority: input.priority ?? null,
        ticketClass: input.ticketClass ?? null,
        organizationId: input.organizationId ?? null,
        calendarId: input.calendarId,
        firstResponseSeconds: input.firstResponseSeconds ?? null,
        nextUpdateSeconds: input.nextUpdateSeconds ?? null,
        resolutionSeconds: input.resolutionSeconds ?? null,
        pauseOnPendingVendor: input.pauseOnPendingVendor ?? false,
        warningPercents: input.warningPercents ?? [50, 75, 90],
        createdAt: at,
        createdById: actor.viewer.userId,
      },
    });
    return { policy: created, retiredIds: retired };
  });
  // Selection criteria may have changed too (or a new, more specific policy appeared): every open ticket re-selects,
  // not only those on the retired version, so a new contract policy applies at once.
  const recomputed = await reselectOpenTickets(prisma, {}, actor, at);
  return { policy, retiredIds, recomputedTickets: recomputed };
}
