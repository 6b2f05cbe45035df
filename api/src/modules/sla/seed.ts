import { appClock } from '../../clock.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Priority } from '../../generated/prisma/enums.js';
import { systemActor, writeRecords } from '../escalation/escalation.service.js';
import './hooks.js';
import { onTicketCreated } from './sla.service.js';

const MIN = 60;
const HOUR = 3600;

/** Italian national holidays (every year) and Easter Monday for the next years. */
export const ITALIAN_HOLIDAYS = [
  '01-01',
  '01-06',
  '04-25',
  '05-01',
  '06-02',
  '08-15',
  '11-01',
  '12-08',
  '12-25',
  '12-26',
  '2026-04-06',
  '2027-03-29',
  '2028-04-17',
  '2029-04-02',
  '2030-04-22',
];

const POLICIES: {
  priority: Priority;
  calendar: 'rome-business' | 'always';
  fr: number;
  update: number | null;
  resolution: number;
  pauseOnPendingVendor: boolean;
}[] = [
  {
    priority: 'P1',
    calendar: 'always',
    fr: 15 * MIN,
    update: 1 * HOUR,
    resolution: 4 * HOUR,
    pauseOnPendingVendor: false,
  },
  {
    priority: 'P2',
    calendar: 'always',
    fr: 30 * MIN,
    update: 2 * HOUR,
    resolution: 8 * HOUR,
    pauseOnPendingVendor: false,
  },
  {
    priority: 'P3',
    calendar: 'rome-business',
    fr: 2 * HOUR,
    update: null,
    resolution: 24 * HOUR,
    pauseOnPendingVendor: true,
  },
  {
    priority: 'P4',
    calendar: 'rome-business',
    fr: 4 * HOUR,
    update: null,
    resolution: 48 * HOUR,
    pauseOnPendingVendor: true,
  },
  {
    priority: 'P5',
    calendar: 'rome-business',
    fr: 8 * HOUR,
    update: null,
    resolution: 120 * HOUR,
    pauseOnPendingVendor: true,
  },
];

/**
 * Demo SLA data: a Rome business calendar (Mon–Fri 08:00–20:00, Italian holidays) and a 24×7 one, a policy per
 * priority, and the escalation paths of the requirements. Tickets already open without clocks (created before
 * this ran) get their clocks now. Does nothing when calendars exist.
 */
export async function seedSla(prisma: PrismaClient): Promise<void> {
  if ((await prisma.businessCalendar.count({ where: { key: { in: ['rome-business', 'always'] } } })) > 0) return;
  const rome = await prisma.businessCalendar.create({
    data: {
      key: 'rome-business',
      name: 'Rome business hours (Mon–Fri 08:00–20:00)',
      timeZone: 'Europe/Rome',
      hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '08:00', end: '20:00' })),
      holidays: ITALIAN_HOLIDAYS,
    },
  });
  const always = await prisma.businessCalendar.create({
    data: { key: 'always', name: '24×7', timeZone: 'Europe/Rome', hours: [], holidays: [], is24x7: true },
  });
  for (const p of POLICIES) {
    await prisma.slaPolicy.create({
      data: {
        key: `default-${p.priority.toLowerCase()}`,
        version: 1,
        name: `${p.priority} ${p.calendar === 'always' ? '24×7' : 'business hours'}`,
        priority: p.priority,
        calendarId: p.calendar === 'always' ? always.id : rome.id,
        firstResponseSeconds: p.fr,
        nextUpdateSeconds: p.update,
        resolutionSeconds: p.resolution,
        pauseOnPendingVendor: p.pauseOnPendingVendor,
      },
    });
  }
  const tier2 = await prisma.resolverGroup.findUnique({ where: { key: 'tier2-specialists' } });
  const dutyManager = await prisma.user.findFirst({
    where: { role: 'MANAGER', organization: { kind: 'PROVIDER' }, active: true },
    orderBy: { email: 'asc' },
  });
  const manager = dutyManager ? { targetUserId: dutyManager.id } : { targetRole: 'MANAGER' as const };
  await prisma.escalationRule.createMany({
    data: [
      {
        key: 'resolution-75-group-lead',
        name: 'Resolution at 75 %: group lead',
        trigger: 'SLA_THRESHOLD',
        targetKind: 'RESOLUTION',
        percent: 75,
        kind: 'HIERARCHICAL',
        level: 1,
        targetGroupLead: true,
        ackWindowSeconds: 30 * MIN,
      },
      {
        key: 'resolution-75-duty-manager',
        name: 'Resolution at 75 %: duty manager',
        trigger: 'SLA_THRESHOLD',
        targetKind: 'RESOLUTION',
        percent: 75,
        kind: 'HIERARCHICAL',
        level: 2,
        ...manager,
        ackWindowSeconds: 30 * MIN,
      },
      ...(tier2
        ? [
            {
              key: 'resolution-breach-tier2',
              name: 'Resolution breached: Tier 2 Specialists',
              trigger: 'SLA_THRESHOLD' as const,
              targetKind: 'RESOLUTION' as const,
              percent: 100,
              kind: 'FUNCTIONAL' as const,
              level: 2,
              targetGroupId: tier2.id,
              reassign: true,
              ackWindowSeconds: HOUR,
            },
          ]
        : []),
      {
        key: 'resolution-breach-manager',
        name: 'Resolution breached: duty manager',
        trigger: 'SLA_THRESHOLD',
        targetKind: 'RESOLUTION',
        percent: 100,
        kind: 'HIERARCHICAL',
        level: 2,
        ...manager,
        ackWindowSeconds: HOUR,
      },
      {
        key: 'p1-major-impact',
        name: 'P1 at intake: duty manager',
        trigger: 'MAJOR_IMPACT',
        priorities: ['P1'],
        kind: 'HIERARCHICAL',
        level: 2,
        ...manager,
        ackWindowSeconds: 15 * MIN,
      },
      {
        key: 'vendor-engagement',
        name: 'Waiting on a vendor: vendor engagement (4 h response commitment)',
        trigger: 'PENDING_VENDOR',
        kind: 'VENDOR',
        level: 1,
        ackWindowSeconds: 4 * HOUR,
      },
      {
        key: 'unacknowledged-lead',
        name: 'Group lead did not acknowledge: duty manager',
        trigger: 'UNACKNOWLEDGED',
        fromKind: 'HIERARCHICAL',
        fromLevel: 1,
        kind: 'HIERARCHICAL',
        level: 2,
        ...manager,
        ackWindowSeconds: 30 * MIN,
      },
      {
        key: 'unacknowledged-manager',
        name: 'Duty manager did not acknowledge: head of service',
        trigger: 'UNACKNOWLEDGED',
        fromKind: 'HIERARCHICAL',
        fromLevel: 2,
        kind: 'HIERARCHICAL',
        level: 3,
        targetRole: 'ADMIN',
        ackWindowSeconds: HOUR,
      },
    ],
  });
  await adoptUnclockedTickets(prisma);
}

/** Open tickets with no SLA clock (created before any policy existed) start their clocks now, as at intake. */
export async function adoptUnclockedTickets(prisma: PrismaClient): Promise<number> {
  const tickets = await prisma.ticket.findMany({
    where: { slaClocks: { none: {} }, status: { notIn: ['RESOLVED', 'CLOSED', 'CANCELLED'] } },
    select: { id: true },
  });
  for (const { id } of tickets) {
    await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${id}::uuid FOR UPDATE`;
      const ticket = await tx.ticket.findUniqueOrThrow({ where: { id } });
      const actor = systemActor(ticket.organizationId);
      const at = appClock.now();
      const out = await onTicketCreated({ tx, actor, at }, ticket);
      await writeRecords(tx, ticket, actor, [{ audit: out.audit ?? [], events: out.events ?? [] }], at);
    });
  }
  return tickets.length;
}
