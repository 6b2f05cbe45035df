import type { PrismaClient } from '../../generated/prisma/client.js';
import type { AssignmentMode, TicketClass } from '../../generated/prisma/enums.js';
import { addDays, formatLocalDate, isoWeekday, localDateOf } from '../calendar/calendar.js';
// `pnpm db:seed` does not load the GraphQL schema: make sure demo tickets are routed anyway.
import './hooks.js';

const OFFICE_HOURS_KEY = 'resolver-office-hours';
const ROME = 'Europe/Rome';
/** Italian public holidays that recur on the same date. */
const HOLIDAYS = ['01-01', '01-06', '04-25', '05-01', '06-02', '08-15', '11-01', '12-08', '12-25', '12-26'];

interface GroupSeed {
  key: string;
  mode: AssignmentMode;
  description: string;
  skills: string[];
  officeHours: boolean;
  agentCapacity: number | null;
  isDefaultTriage?: boolean;
  /** Extra members beyond the demo's people (email → lead?). */
  extraMembers?: [string, boolean][];
}

const GROUPS: GroupSeed[] = [
  {
    key: 'service-desk',
    mode: 'MANUAL',
    description: 'First line: triages everything no rule routes, around the clock; the duty manager dispatches.',
    skills: ['triage'],
    officeHours: false,
    agentCapacity: null,
    isDefaultTriage: true,
    extraMembers: [['duty.manager@leonardo.example', true]],
  },
  {
    key: 'infrastructure',
    mode: 'LOAD_BALANCED',
    description: 'Servers, storage, virtualisation, backup and restore.',
    skills: ['backup', 'linux', 'storage', 'vmware'],
    officeHours: true,
    agentCapacity: 15,
  },
  {
    key: 'application-support',
    mode: 'LOAD_BALANCED',
    description: 'ERP, the customer portal and corporate email applications.',
    skills: ['erp', 'web', 'email'],
    officeHours: true,
    agentCapacity: 15,
  },
  {
    key: 'network-operations',
    mode: 'LOAD_BALANCED',
    description: 'The NOC: WAN, VPN, firewalls; staffed 24×7.',
    skills: ['network', 'vpn', 'firewall'],
    officeHours: false,
    agentCapacity: 20,
  },
  {
    key: 'security',
    mode: 'LOAD_BALANCED',
    description: 'Identity and access, MFA, security monitoring.',
    skills: ['iam', 'siem', 'forensics'],
    officeHours: true,
    agentCapacity: 15,
  },
  {
    key: 'service-delivery',
    mode: 'LOAD_BALANCED',
    description: 'Service requests: mailboxes, provisioning, licences.',
    skills: ['email', 'provisioning', 'licensing'],
    officeHours: true,
    agentCapacity: 25,
  },
  {
    key: 'tier2-specialists',
    mode: 'ROUND_ROBIN',
    description: 'Senior specialists for functional escalation.',
    skills: ['escalation', 'network', 'linux', 'iam'],
    officeHours: true,
    agentCapacity: 10,
    extraMembers: [
      ['infra.lead@leonardo.example', true],
      ['noc.lead@leonardo.example', false],
      ['sec.lead@leonardo.example', false],
    ],
  },
];

const SKILLS: Record<string, string[]> = {
  'duty.manager@leonardo.example': ['triage'],
  'infra.lead@leonardo.example': ['backup', 'linux', 'network', 'storage', 'vmware'],
  'infra.agent@leonardo.example': ['backup', 'linux', 'storage', 'windows'],
  'apps.lead@leonardo.example': ['database', 'erp', 'web'],
  'apps.agent@leonardo.example': ['email', 'erp', 'web'],
  'noc.lead@leonardo.example': ['firewall', 'network', 'routing', 'vpn'],
  'noc.agent@leonardo.example': ['firewall', 'network', 'vpn'],
  'sec.lead@leonardo.example': ['firewall', 'forensics', 'iam', 'siem'],
  'sec.agent@leonardo.example': ['erp', 'iam', 'mfa', 'siem'],
  'delivery.lead@leonardo.example': ['email', 'licensing', 'provisioning'],
  'delivery.agent@leonardo.example': ['email', 'provisioning', 'wiki'],
};

/** service key or category → skills an agent needs. */
const REQUIREMENTS: { service?: string; category?: string; skills: string[] }[] = [
  { service: 'iam', skills: ['iam'] },
  { service: 'vpn', skills: ['vpn'] },
  { service: 'erp', skills: ['erp'] },
  { service: 'backup', skills: ['backup'] },
  { service: 'email', skills: ['email'] },
  { service: 'portal', skills: ['web'] },
  { category: 'network', skills: ['network'] },
  { category: 'firewall', skills: ['firewall'] },
];

/** In order: specific (service) rules before broad (class) ones. */
const RULES: { name: string; class?: TicketClass; service?: string; category?: string; group: string }[] = [
  { name: 'Identity and MFA', service: 'iam', group: 'security' },
  { name: 'Access requests', class: 'ACCESS_REQUEST', group: 'security' },
  { name: 'Remote access VPN', service: 'vpn', group: 'network-operations' },
  { name: 'Network problems', category: 'network', group: 'network-operations' },
  { name: 'Firewall', category: 'firewall', group: 'network-operations' },
  { name: 'Security concerns', category: 'security', group: 'security' },
  { name: 'Backup and restore', service: 'backup', group: 'infrastructure' },
  { name: 'ERP platform', service: 'erp', group: 'application-support' },
  { name: 'Customer portal', service: 'portal', group: 'application-support' },
  { name: 'Mailbox requests', class: 'SERVICE_REQUEST', service: 'email', group: 'service-delivery' },
  { name: 'Email incidents', service: 'email', group: 'application-support' },
  { name: 'Service requests', class: 'SERVICE_REQUEST', group: 'service-delivery' },
  { name: 'Internal wiki', service: 'wiki', group: 'service-delivery' },
  { name: 'Change inquiries', class: 'CHANGE_INQUIRY', group: 'service-delivery' },
];

/**
 * Demo assignment data on top of the demo groups and people: hours, modes, skills, requirements, routing rules and
 * a weekly on-call rota per group (starting this week's Monday 09:00, Rome time). Run before demo tickets exist.
 */
export async function seedAssignment(prisma: PrismaClient, now: Date = new Date()) {
  const calendar = await prisma.businessCalendar.upsert({
    where: { key: OFFICE_HOURS_KEY },
    create: {
      key: OFFICE_HOURS_KEY,
      name: 'Resolver office hours (Mon–Fri 08:00–20:00, Rome)',
      timeZone: ROME,
      hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '08:00', end: '20:00' })),
      holidays: HOLIDAYS,
      is24x7: false,
    },
    update: {},
  });
  const people = new Map((await prisma.user.findMany()).map((u) => [u.email, u]));
  for (const [email, skills] of Object.entries(SKILLS)) {
    const user = people.get(email);
    if (user) await prisma.user.update({ where: { id: user.id }, data: { skills } });
  }
  const today = localDateOf(ROME, now);
  const monday = formatLocalDate(addDays(today, 1 - isoWeekday(today)));
  const groups = new Map<string, string>();
  for (const g of GROUPS) {
    const group = await prisma.resolverGroup.findUnique({ where: { key: g.key } });
    if (!group) continue;
    groups.set(g.key, group.id);
    await prisma.resolverGroup.update({
      where: { id: group.id },
      data: {
        mode: g.mode,
        description: g.description,
        skills: g.skills,
        isDefaultTriage: !!g.isDefaultTriage,
        calendarId: g.officeHours ? calendar.id : null,
        agentCapacity: g.agentCapacity,
      },
    });
    for (const [email, isLead] of g.extraMembers ?? []) {
      const user = people.get(email);
      if (!user) continue;
      await prisma.resolverGroupMember.upsert({
        where: { groupId_userId: { groupId: group.id, userId: user.id } },
        create: { groupId: group.id, userId: user.id, isLead },
        update: { isLead },
      });
    }
    // Agents take the first turns, leads follow.
    const members = await prisma.resolverGroupMember.findMany({
      where: { groupId: group.id },
      include: { user: { select: { name: true } } },
    });
    members.sort((a, b) => Number(a.isLead) - Number(b.isLead) || a.user.name.localeCompare(b.user.name));
    if (members.length === 0) continue;
    await prisma.onCallRota.create({
      data: {
        groupId: group.id,
        timeZone: ROME,
        startDate: monday,
        handoffTime: '09:00',
        periodDays: 7,
        members: { create: members.map((m, position) => ({ userId: m.userId, position })) },
      },
    });
  }
  const services = new Map((await prisma.service.findMany()).map((s) => [s.key, s.id]));
  for (const r of REQUIREMENTS) {
    const serviceId = r.service ? services.get(r.service) : null;
    if (r.service && !serviceId) continue;
    await prisma.skillRequirement.create({ data: { serviceId, category: r.category ?? null, skills: r.skills } });
  }
  let position = 0;
  for (const r of RULES) {
    const groupId = groups.get(r.group);
    const serviceId = r.service ? services.get(r.service) : null;
    if (!groupId || (r.service && !serviceId)) continue;
    position += 10;
    await prisma.routingRule.create({
      data: {
        name: r.name,
        position,
        class: r.class ?? null,
        serviceId,
        category: r.category ?? null,
        resolverGroupId: groupId,
      },
    });
  }
}
