import type { PrismaClient } from '../../generated/prisma/client.js';
import type { OrganizationKind, Role } from '../../generated/prisma/enums.js';
import type { Logger } from '../../logger.js';
import { seedAssignment } from '../assignment/seed.js';
import { hashPassword } from '../auth/password.js';
import { scopesForRole } from '../auth/scopes.js';
import { newSecret, sha256, TOKEN_PREFIX } from '../auth/secrets.js';
import { seedMail } from '../email/seed.js';
import { seedResponsibilityDemo } from '../responsibility/seed.js';
import { seedSla } from '../sla/seed.js';
import { addEntry, assignTicket, resolveTicket, transitionTicket } from '../ticket/lifecycle.service.js';
import type { Actor } from '../ticket/mutate.js';
import { createTicket } from '../ticket/ticket.service.js';

/** Demo password for every seeded person; printed at start. Change or disable (SEED_DEMO_DATA=false) in production. */
const SEED_LOCK_KEY = 7_311_042_001;

export const DEMO_PASSWORD = 'demo-Passw0rd!';

interface SeedPerson {
  email: string;
  name: string;
  role: Role;
  /** The resolver group they will belong to once groups exist (issue 4); kept in the seed for continuity. */
  group?: string;
}

interface SeedOrganization {
  slug: string;
  name: string;
  kind: OrganizationKind;
  people: SeedPerson[];
}

export const DEMO_ORGANIZATIONS: SeedOrganization[] = [
  {
    slug: 'leonardo',
    name: 'Leonardo Cloud Services',
    kind: 'PROVIDER',
    people: [
      { email: 'admin@leonardo.example', name: 'Ada Admin', role: 'ADMIN' },
      { email: 'duty.manager@leonardo.example', name: 'Marco Rossi', role: 'MANAGER' },
      { email: 'infra.lead@leonardo.example', name: 'Giulia Bianchi', role: 'LEAD', group: 'Infrastructure' },
      { email: 'infra.agent@leonardo.example', name: 'Luca Ferrari', role: 'AGENT', group: 'Infrastructure' },
      { email: 'apps.lead@leonardo.example', name: 'Sofia Romano', role: 'LEAD', group: 'Application Support' },
      { email: 'apps.agent@leonardo.example', name: 'Matteo Colombo', role: 'AGENT', group: 'Application Support' },
      { email: 'noc.lead@leonardo.example', name: 'Chiara Ricci', role: 'LEAD', group: 'Network Operations' },
      { email: 'noc.agent@leonardo.example', name: 'Davide Marino', role: 'AGENT', group: 'Network Operations' },
      { email: 'sec.lead@leonardo.example', name: 'Elena Greco', role: 'LEAD', group: 'Security' },
      { email: 'sec.agent@leonardo.example', name: 'Paolo Bruno', role: 'AGENT', group: 'Security' },
      { email: 'delivery.lead@leonardo.example', name: 'Francesca Gallo', role: 'LEAD', group: 'Service Delivery' },
      { email: 'delivery.agent@leonardo.example', name: 'Andrea Conti', role: 'AGENT', group: 'Service Delivery' },
    ],
  },
  {
    slug: 'acme',
    name: 'Acme Manufacturing',
    kind: 'CUSTOMER',
    people: [
      { email: 'it.manager@acme.example', name: 'Alice Carter', role: 'CUSTOMER' },
      { email: 'bob@acme.example', name: 'Bob Miller', role: 'CUSTOMER' },
    ],
  },
  {
    slug: 'globex',
    name: 'Globex Bank',
    kind: 'CUSTOMER',
    people: [
      { email: 'ops@globex.example', name: 'Grace Hopper', role: 'CUSTOMER' },
      { email: 'dan@globex.example', name: 'Dan Brown', role: 'CUSTOMER' },
    ],
  },
  {
    slug: 'initech',
    name: 'Initech Health',
    kind: 'CUSTOMER',
    people: [{ email: 'peter@initech.example', name: 'Peter Gibbons', role: 'CUSTOMER' }],
  },
];

export interface SeedResult {
  credentials: { email: string; password: string; role: Role }[];
  wallboardToken: string;
}

/** Seeds the demo data set when the database holds no organisation; returns null when it already had data. */
export async function seedDemoDataIfEmpty(prisma: PrismaClient, log: Logger): Promise<SeedResult | null> {
  if ((await prisma.organization.count()) > 0) return null;
  const everyone = DEMO_ORGANIZATIONS.flatMap((o) => o.people);
  const hashes = new Map(
    await Promise.all(everyone.map(async (p) => [p.email, await hashPassword(DEMO_PASSWORD)] as const)),
  );
  const wallboardToken = newSecret(TOKEN_PREFIX);

  const seeded = await prisma.$transaction(
    async (tx) => {
      // Several instances may start at once on an empty PostgreSQL: one seeds, the others find data and skip.
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${SEED_LOCK_KEY}::bigint)`;
      if ((await tx.organization.count()) > 0) return false;
      log.info('empty database: seeding demo data');
      for (const org of DEMO_ORGANIZATIONS) {
        await tx.organization.create({
          data: {
            slug: org.slug,
            name: org.name,
            kind: org.kind,
            users: {
              create: org.people.map((p) => ({
                email: p.email,
                name: p.name,
                role: p.role,
                passwordHash: hashes.get(p.email) ?? null,
              })),
            },
          },
        });
      }
      const provider = await tx.organization.findUniqueOrThrow({ where: { slug: 'leonardo' } });
      const admin = await tx.user.findUniqueOrThrow({ where: { email: 'admin@leonardo.example' } });
      // The NOC wallboard acts as a service account that cannot log in and can only read the board.
      const kiosk = await tx.user.create({
        data: {
          email: 'wallboard@leonardo.example',
          name: 'NOC wallboard',
          role: 'AGENT',
          organizationId: provider.id,
        },
      });
      await tx.apiToken.create({
        data: {
          name: 'NOC wallboard (demo)',
          prefix: wallboardToken.slice(0, TOKEN_PREFIX.length + 6),
          tokenHash: sha256(wallboardToken),
          scopes: ['wallboard:read', 'events:subscribe'],
          organizationId: provider.id,
          userId: kiosk.id,
          createdById: admin.id,
          expiresAt: new Date(Date.now() + 730 * 86_400_000),
        },
      });
      return true;
    },
    { timeout: 30_000 },
  );
  if (!seeded) return null;
  await seedCatalogueAndTickets(prisma);

  const shown = ['ADMIN', 'MANAGER', 'LEAD', 'AGENT', 'CUSTOMER'] as const;
  const credentials = shown.map((role) => {
    const person = everyone.find((p) => p.role === role)!;
    return { email: person.email, password: DEMO_PASSWORD, role };
  });
  return { credentials, wallboardToken };
}

export const DEMO_SERVICES = [
  {
    key: 'erp',
    name: 'ERP Platform',
    criticality: 'CRITICAL',
    serviceModel: 'PAAS',
    description: 'Finance, procurement and manufacturing planning.',
  },
  {
    key: 'iam',
    name: 'Identity and Access Management',
    criticality: 'CRITICAL',
    serviceModel: 'SAAS',
    description: 'Single sign-on, MFA and directory.',
  },
  {
    key: 'email',
    name: 'Corporate Email',
    criticality: 'HIGH',
    serviceModel: 'SAAS',
    description: 'Mailboxes, calendars and distribution lists.',
  },
  {
    key: 'vpn',
    name: 'Remote Access VPN',
    criticality: 'HIGH',
    serviceModel: 'IAAS',
    description: 'Site-to-site and remote-user VPN gateways.',
  },
  {
    key: 'backup',
    name: 'Backup and Restore',
    criticality: 'HIGH',
    serviceModel: 'IAAS',
    description: 'Daily backups, retention and restores.',
  },
  {
    key: 'portal',
    name: 'Customer Web Portal',
    criticality: 'MEDIUM',
    serviceModel: 'PAAS',
    description: 'Public web portal and its APIs.',
  },
  { key: 'wiki', name: 'Internal Wiki', criticality: 'LOW', serviceModel: 'SAAS', description: 'Team documentation.' },
] as const;

export const DEMO_GROUPS = [
  { key: 'service-desk', name: 'Service Desk' },
  { key: 'infrastructure', name: 'Infrastructure' },
  { key: 'application-support', name: 'Application Support' },
  { key: 'network-operations', name: 'Network Operations' },
  { key: 'security', name: 'Security' },
  { key: 'service-delivery', name: 'Service Delivery' },
  { key: 'tier2-specialists', name: 'Tier 2 Specialists' },
] as const;

async function seedCatalogueAndTickets(prisma: PrismaClient) {
  for (const s of DEMO_SERVICES) await prisma.service.create({ data: { ...s } });
  const people = await prisma.user.findMany();
  const byEmail = new Map(people.map((p) => [p.email, p]));
  for (const g of DEMO_GROUPS) {
    const group = await prisma.resolverGroup.create({ data: { key: g.key, name: g.name } });
    const members = DEMO_ORGANIZATIONS[0]!.people.filter((p) => p.group === g.name);
    for (const m of members) {
      await prisma.resolverGroupMember.create({
        data: { groupId: group.id, userId: byEmail.get(m.email)!.id, isLead: m.role === 'LEAD' },
      });
    }
  }
  // Hours, modes, skills, routing rules and rotas, so the demo tickets below are routed at intake.
  await seedAssignment(prisma);
  // Calendars, SLA policies per priority and escalation paths, so the demo tickets below start their clocks at intake.
  await seedSla(prisma);
  const services = new Map((await prisma.service.findMany()).map((s) => [s.key, s.id]));
  const groups = new Map((await prisma.resolverGroup.findMany()).map((g) => [g.key, g.id]));
  const admin = byEmail.get('admin@leonardo.example')!;
  const provider = await prisma.organization.findUniqueOrThrow({ where: { id: admin.organizationId } });
  const actor: Actor = {
    viewer: {
      userId: admin.id,
      organizationId: provider.id,
      organizationKind: 'PROVIDER',
      role: 'ADMIN',
      via: 'session',
      sessionId: null,
      tokenId: null,
      scopes: new Set(scopesForRole('ADMIN')),
    },
    channel: 'PORTAL',
  };
  const demo: {
    requester: string;
    title: string;
    description: string;
    class: 'INCIDENT' | 'SERVICE_REQUEST' | 'ACCESS_REQUEST' | 'INFORMATION_REQUEST';
    impact: 'HIGH' | 'MEDIUM' | 'LOW';
    urgency: 'HIGH' | 'MEDIUM' | 'LOW';
    service: string;
    group?: string;
    agent?: string;
    state?: 'IN_PROGRESS' | 'PENDING_CUSTOMER' | 'RESOLVED';
  }[] = [
    {
      requester: 'it.manager@acme.example',
      title: 'ERP order entry down for all plants',
      description: 'Since 07:40 no plant can post sales orders in the ERP; users get error 503 on save.',
      class: 'INCIDENT',
      impact: 'HIGH',
      urgency: 'HIGH',
      service: 'erp',
      group: 'application-support',
      agent: 'apps.agent@leonardo.example',
      state: 'IN_PROGRESS',
    },
    {
      requester: 'bob@acme.example',
      title: 'VPN drops every 10 minutes from Turin office',
      description: 'Remote users in Turin are disconnected from the VPN every ten minutes since yesterday evening.',
      class: 'INCIDENT',
      impact: 'MEDIUM',
      urgency: 'HIGH',
      service: 'vpn',
      group: 'network-operations',
      agent: 'noc.agent@leonardo.example',
      state: 'IN_PROGRESS',
    },
    {
      requester: 'ops@globex.example',
      title: 'MFA prompts fail for the trading desk',
      description: 'Twelve traders cannot complete MFA; the push notification never arrives on their phones.',
      class: 'INCIDENT',
      impact: 'HIGH',
      urgency: 'MEDIUM',
      service: 'iam',
      group: 'security',
    },
    {
      requester: 'dan@globex.example',
      title: 'New mailbox for the compliance team',
      description: 'Please create a shared mailbox compliance@globex.example for four people in Compliance.',
      class: 'SERVICE_REQUEST',
      impact: 'LOW',
      urgency: 'MEDIUM',
      service: 'email',
      group: 'service-delivery',
      agent: 'delivery.agent@leonardo.example',
    },
    {
      requester: 'peter@initech.example',
      title: 'Restore deleted project folder',
      description: "The folder /projects/tps-reports was deleted on Monday; please restore Friday night's backup.",
      class: 'SERVICE_REQUEST',
      impact: 'MEDIUM',
      urgency: 'MEDIUM',
      service: 'backup',
      group: 'infrastructure',
      agent: 'infra.agent@leonardo.example',
      state: 'RESOLVED',
    },
    {
      requester: 'bob@acme.example',
      title: 'Access to the finance role in ERP',
      description: 'I need the finance approver role in the ERP for the month-end close, approved by Alice.',
      class: 'ACCESS_REQUEST',
      impact: 'LOW',
      urgency: 'MEDIUM',
      service: 'erp',
    },
    {
      requester: 'ops@globex.example',
      title: 'Portal slow during evening batch',
      description: 'Customer web portal pages take 8-10 seconds to load between 19:00 and 21:00.',
      class: 'INCIDENT',
      impact: 'MEDIUM',
      urgency: 'LOW',
      service: 'portal',
      group: 'application-support',
      state: 'PENDING_CUSTOMER',
    },
    {
      requester: 'it.manager@acme.example',
      title: 'What is the backup retention for ERP?',
      description: 'For our audit we need the retention period and restore-test frequency of ERP backups.',
      class: 'INFORMATION_REQUEST',
      impact: 'LOW',
      urgency: 'LOW',
      service: 'backup',
    },
  ];
  for (const d of demo) {
    const requester = byEmail.get(d.requester)!;
    let { ticket } = await createTicket(prisma, actor, {
      title: d.title,
      description: d.description,
      class: d.class,
      impact: d.impact,
      urgency: d.urgency,
      serviceId: services.get(d.service) ?? null,
      requesterId: requester.id,
      channel: 'EMAIL',
    });
    if (d.group)
      ({ ticket } = await assignTicket(prisma, actor, ticket.id, ticket.version, {
        resolverGroupId: groups.get(d.group)!,
        ...(d.agent ? { assigneeId: byEmail.get(d.agent)!.id } : {}),
        reason: 'demo routing',
      }));
    if (d.state === 'IN_PROGRESS' || d.state === 'RESOLVED') {
      ({ ticket } = await transitionTicket(prisma, actor, ticket.id, ticket.version, 'IN_PROGRESS', null));
      ({ ticket } = await addEntry(prisma, actor, ticket.id, ticket.version, {
        kind: 'PUBLIC_REPLY',
        body: 'We are on it and will update you within the hour.',
      }));
      ({ ticket } = await addEntry(prisma, actor, ticket.id, ticket.version, {
        kind: 'INTERNAL_NOTE',
        body: 'Checked monitoring: error rate spiked at 07:38 after the nightly deployment.',
      }));
    }
    if (d.state === 'RESOLVED') {
      await resolveTicket(prisma, actor, ticket.id, ticket.version, {
        resolutionCode: 'FIXED',
        resolutionNotes:
          'Restored the folder from the Friday 23:00 backup and verified the contents with the requester.',
      });
    }
    if (d.state === 'PENDING_CUSTOMER') {
      ({ ticket } = await transitionTicket(
        prisma,
        actor,
        ticket.id,
        ticket.version,
        'PENDING_CUSTOMER',
        'waiting for a HAR capture',
      ));
    }
  }
  // Intake policy of the demo customers' mail domains (the tickets' acknowledgements are already in the outbox).
  await seedMail(prisma);
  // The shared-responsibility matrix (published), roles → groups, and tickets routed by ownership and change control.
  await seedResponsibilityDemo(prisma);
}
