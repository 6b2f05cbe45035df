// Test fixtures: a 24×7 P1 policy with targets in seconds and a full escalation path, so integration tests can watch
// warnings, breaches and unacknowledged escalations happen in real time. Not used by the application.
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface ShortSla {
  groupId: string;
  tier2Id: string;
  calendarId: string;
}

export async function createShortSla(
  prisma: PrismaClient,
  opts: {
    leadId: string;
    agentId: string;
    firstResponseSeconds: number;
    resolutionSeconds: number;
    ackSeconds: number;
  },
): Promise<ShortSla> {
  const group = await prisma.resolverGroup.create({ data: { key: `ops-${Date.now().toString(36)}`, name: 'Ops' } });
  const tier2 = await prisma.resolverGroup.create({ data: { key: 'tier2-specialists', name: 'Tier 2 Specialists' } });
  await prisma.resolverGroupMember.createMany({
    data: [
      { groupId: group.id, userId: opts.leadId, isLead: true },
      { groupId: group.id, userId: opts.agentId },
    ],
  });
  const calendar = await prisma.businessCalendar.create({
    data: { key: 'test-24x7', name: '24×7', timeZone: 'Europe/Rome', hours: [], holidays: [], is24x7: true },
  });
  await prisma.slaPolicy.create({
    data: {
      key: 'fast-p1',
      version: 1,
      name: 'Fast P1',
      priority: 'P1',
      calendarId: calendar.id,
      firstResponseSeconds: opts.firstResponseSeconds,
      resolutionSeconds: opts.resolutionSeconds,
    },
  });
  await prisma.escalationRule.createMany({
    data: [
      {
        key: 'fast-75-lead',
        name: 'Resolution at 75 %: group lead',
        trigger: 'SLA_THRESHOLD',
        targetKind: 'RESOLUTION',
        percent: 75,
        kind: 'HIERARCHICAL',
        level: 1,
        targetGroupLead: true,
        ackWindowSeconds: opts.ackSeconds,
      },
      {
        key: 'fast-breach-tier2',
        name: 'Resolution breached: tier 2',
        trigger: 'SLA_THRESHOLD',
        targetKind: 'RESOLUTION',
        percent: 100,
        kind: 'FUNCTIONAL',
        level: 2,
        targetGroupId: tier2.id,
        reassign: true,
        ackWindowSeconds: opts.ackSeconds,
      },
      {
        key: 'fast-breach-manager',
        name: 'Resolution breached: managers',
        trigger: 'SLA_THRESHOLD',
        targetKind: 'RESOLUTION',
        percent: 100,
        kind: 'HIERARCHICAL',
        level: 2,
        targetRole: 'MANAGER',
        ackWindowSeconds: opts.ackSeconds,
      },
    ],
  });
  return { groupId: group.id, tier2Id: tier2.id, calendarId: calendar.id };
}

/**
 * Escalations each ticket gets when nobody acknowledges anything: the lead at 75 % (then the managers, then the
 * head of service), tier 2 at breach (then the managers, then the head of service), the managers at breach (then
 * the head of service).
 */
export const ESCALATIONS_PER_UNATTENDED_TICKET = 8;

export interface Tally {
  /** "ticketId type kind percent" → count, for sla.* events. */
  sla: Map<string, number>;
  escalationRows: number;
  escalationEvents: number;
  dedupeKeysUnique: boolean;
  perTicketEscalations: Map<string, number>;
  unfiredThresholds: number;
}

export async function tally(prisma: PrismaClient, ticketIds: string[]): Promise<Tally> {
  const events = await prisma.event.findMany({
    where: { ticketId: { in: ticketIds }, OR: [{ type: { startsWith: 'sla.' } }, { type: 'escalation.created' }] },
  });
  const sla = new Map<string, number>();
  let escalationEvents = 0;
  for (const e of events) {
    if (e.type === 'escalation.created') {
      escalationEvents += 1;
      continue;
    }
    const p = e.payload as { kind: string; percent?: number };
    const key = `${e.ticketId} ${e.type} ${p.kind} ${p.percent ?? 100}`;
    sla.set(key, (sla.get(key) ?? 0) + 1);
  }
  const escalations = await prisma.escalation.findMany({ where: { ticketId: { in: ticketIds } } });
  const keys = escalations.map((e) => e.dedupeKey).filter(Boolean);
  const perTicketEscalations = new Map<string, number>();
  for (const e of escalations) perTicketEscalations.set(e.ticketId, (perTicketEscalations.get(e.ticketId) ?? 0) + 1);
  return {
    sla,
    escalationRows: escalations.length,
    escalationEvents,
    dedupeKeysUnique: new Set(keys).size === keys.length,
    perTicketEscalations,
    unfiredThresholds: await prisma.slaTimer.count({
      where: { ticketId: { in: ticketIds }, firedAt: null, kind: 'THRESHOLD' },
    }),
  };
}

/** The sla.* events each ticket must have exactly once: FR and resolution warnings at 50/75/90 % and both breaches. */
export function expectedSlaKeys(ticketId: string): string[] {
  const out: string[] = [];
  for (const kind of ['FIRST_RESPONSE', 'RESOLUTION']) {
    for (const p of [50, 75, 90]) out.push(`${ticketId} sla.warning ${kind} ${p}`);
    out.push(`${ticketId} sla.breached ${kind} 100`);
  }
  return out.sort();
}
