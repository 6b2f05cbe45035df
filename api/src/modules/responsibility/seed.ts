import type { PrismaClient } from '../../generated/prisma/client.js';
import type { OrganizationalRole, ResponsibilityParty, ServiceModel } from '../../generated/prisma/enums.js';
import { scopesForRole, type Viewer } from '../auth/scopes.js';
import { decideStep } from '../change/change.service.js';
import type { Actor } from '../ticket/mutate.js';
import { createTicket } from '../ticket/ticket.service.js';
import { type DomainRaci, raciRows } from './matrix.js';
import { ensureResponsibilityDomains } from './reference.js';
// Creating the demo tickets below needs the routing and change-control hooks even when the seed runs without the
// GraphQL schema (pnpm db:seed).
import './hooks.js';
import '../change/hooks.js';

const DAY_MS = 86_400_000;

/** Roles → seeded resolver groups (by key); the first is the primary group. */
export const DEMO_ROLE_GROUPS: Record<OrganizationalRole, string[]> = {
  PLATFORM_CLOUD: ['infrastructure', 'network-operations'],
  WORKLOAD_APPLICATION: ['application-support'],
  SECURITY_COMPLIANCE: ['security'],
  // Service Delivery runs service reviews and audits: its members hold the governance role.
  GOVERNANCE_RISK: ['service-delivery'],
  OPERATIONS_INCIDENT: ['service-desk', 'network-operations', 'tier2-specialists'],
};

type Cell = [ResponsibilityParty, string, string];

/**
 * The standard matrix. As the organisation moves from IaaS to PaaS to SaaS the provider carries more (network and
 * host security becomes the provider's, the application too under SaaS); data protection stays the customer's under
 * every model, and identity and access governance stays with the customer even where the provider runs the
 * identity platform (SHARED). Monitoring and compliance are always shared, with the split moving towards the provider.
 */
export const STANDARD_MATRIX: Record<string, { cells: Record<ServiceModel, Cell>; raci: DomainRaci }> = {
  'data-protection': {
    cells: {
      IAAS: [
        'CUSTOMER',
        'Encrypts storage media at rest with platform-managed keys and sanitises decommissioned disks.',
        'Classifies data, chooses and manages encryption keys (customer-managed where required), sets retention and deletion, and runs data-loss prevention on the workloads.',
      ],
      PAAS: [
        'CUSTOMER',
        'Encrypts the managed services at rest and in transit and provides the key vault that holds customer keys.',
        'Classifies the data stored in platform services, enables customer-managed keys where required, and defines retention, deletion and DLP policies.',
      ],
      SAAS: [
        'CUSTOMER',
        'Encrypts tenant data at rest and in transit, offers sensitivity labels, retention and DLP features, and deletes data at contract end.',
        'Classifies and labels information, configures retention, DLP and sharing policies, and decides which data enters the service.',
      ],
    },
    raci: {
      responsible: ['WORKLOAD_APPLICATION'],
      accountable: 'SECURITY_COMPLIANCE',
      consulted: ['PLATFORM_CLOUD', 'GOVERNANCE_RISK'],
      informed: ['OPERATIONS_INCIDENT'],
    },
  },
  'identity-access': {
    cells: {
      IAAS: [
        'CUSTOMER',
        'Operates the identity platform (Entra ID) that authenticates access to the cloud control plane.',
        'Manages users, groups, roles and privileged access to subscriptions and virtual machines, local OS accounts, MFA and conditional access, and access reviews.',
      ],
      PAAS: [
        'SHARED',
        'Operates the identity platform, managed identities and the role-based access model of the platform services.',
        'Assigns roles and managed identities to people and applications on least privilege, enforces MFA and conditional access, and reviews access regularly.',
      ],
      SAAS: [
        'SHARED',
        'Runs the identity service: authentication, the MFA infrastructure and single sign-on federation.',
        'Governs users, groups, licences and admin roles in the tenant, sets MFA and conditional access policies, and reviews access and guest accounts.',
      ],
    },
    raci: {
      responsible: ['SECURITY_COMPLIANCE'],
      accountable: 'GOVERNANCE_RISK',
      consulted: ['PLATFORM_CLOUD', 'WORKLOAD_APPLICATION'],
      informed: ['OPERATIONS_INCIDENT'],
    },
  },
  'security-monitoring': {
    cells: {
      IAAS: [
        'SHARED',
        'Monitors data centres, hypervisors and the cloud control plane for threats and notifies the customer of incidents that affect it.',
        'Collects and monitors guest OS, network flow and workload logs, runs endpoint protection and the SIEM, and investigates alerts.',
      ],
      PAAS: [
        'SHARED',
        'Monitors the platform services and their hosts and exposes diagnostic logs, security logs and threat-detection signals.',
        'Forwards service logs to the SIEM, monitors application behaviour, user activity and configuration changes, and responds to alerts.',
      ],
      SAAS: [
        'SHARED',
        'Monitors the service, detects attacks against it and publishes the tenant’s audit logs and security alerts.',
        'Reviews tenant audit logs and sign-in activity, acts on security alerts, and watches for compromised accounts and data exfiltration.',
      ],
    },
    raci: {
      responsible: ['SECURITY_COMPLIANCE', 'OPERATIONS_INCIDENT'],
      accountable: 'SECURITY_COMPLIANCE',
      consulted: ['PLATFORM_CLOUD', 'WORKLOAD_APPLICATION'],
      informed: ['GOVERNANCE_RISK'],
    },
  },
  'network-host': {
    cells: {
      IAAS: [
        'SHARED',
        'Secures data centres, physical hosts, the hypervisor and the physical network, and mitigates volumetric DDoS attacks.',
        'Designs virtual networks, firewalls, network security groups, VPN gateways and DNS; hardens and patches guest operating systems.',
      ],
      PAAS: [
        'PROVIDER',
        'Hardens and patches the hosts, operating systems and runtimes of the managed services and isolates tenants on the network.',
        'Restricts network access to the services (private endpoints, service firewalls, allowed address ranges).',
      ],
      SAAS: [
        'PROVIDER',
        'Operates and secures the whole network and host estate of the service, including patching and capacity.',
        'Keeps the client devices and corporate network that reach the service secure.',
      ],
    },
    raci: {
      responsible: ['PLATFORM_CLOUD'],
      accountable: 'PLATFORM_CLOUD',
      consulted: ['SECURITY_COMPLIANCE'],
      informed: ['OPERATIONS_INCIDENT', 'WORKLOAD_APPLICATION'],
    },
  },
  'app-config': {
    cells: {
      IAAS: [
        'CUSTOMER',
        'Provides the virtual machine images and platform APIs the applications are built on.',
        'Installs, configures, patches and secures the applications and their middleware, and follows secure development and release practices.',
      ],
      PAAS: [
        'SHARED',
        'Runs and patches the application runtime, frameworks and managed middleware, and offers secure configuration baselines.',
        'Develops and configures the applications securely (code, secrets, settings, dependencies) and plans and tests releases.',
      ],
      SAAS: [
        'PROVIDER',
        'Develops, configures, patches and releases the application and fixes its defects.',
        'Configures tenant settings and integrations within the options the service offers.',
      ],
    },
    raci: {
      responsible: ['WORKLOAD_APPLICATION'],
      accountable: 'WORKLOAD_APPLICATION',
      consulted: ['SECURITY_COMPLIANCE', 'PLATFORM_CLOUD'],
      informed: ['OPERATIONS_INCIDENT'],
    },
  },
  'backup-recovery': {
    cells: {
      IAAS: [
        'CUSTOMER',
        'Offers the backup and site-recovery services and the geo-redundant storage they rely on.',
        'Defines backup policies and retention for each virtual machine and database, monitors backup jobs, tests restores and runs disaster recovery.',
      ],
      PAAS: [
        'SHARED',
        'Backs up the managed services automatically and keeps the backups geo-redundant for the documented retention.',
        'Chooses retention and geo-redundancy options, performs and tests point-in-time restores, and plans application-level recovery.',
      ],
      SAAS: [
        'SHARED',
        'Keeps the service resilient and recoverable (replication, service-level backups) within its documented retention.',
        'Protects business data beyond the service’s retention (a third-party backup where needed) and restores deleted items and mailboxes.',
      ],
    },
    raci: {
      responsible: ['PLATFORM_CLOUD'],
      accountable: 'WORKLOAD_APPLICATION',
      consulted: ['OPERATIONS_INCIDENT'],
      informed: ['GOVERNANCE_RISK'],
    },
  },
  'compliance-audit': {
    cells: {
      IAAS: [
        'SHARED',
        'Maintains certifications of the infrastructure (ISO 27001, SOC 2), publishes audit reports and keeps control-plane activity logs.',
        'Demonstrates the compliance of the workloads built on the infrastructure, keeps audit evidence and reports to regulators and auditors.',
      ],
      PAAS: [
        'SHARED',
        'Maintains certifications of the platform services and publishes their audit reports and compliance documentation.',
        'Configures the services to meet regulatory controls, applies policy as code, collects evidence and reports on compliance.',
      ],
      SAAS: [
        'SHARED',
        'Maintains certifications of the service, publishes audit reports and offers compliance features (audit log, eDiscovery, retention).',
        'Uses the compliance features to meet its obligations, keeps evidence, and reports to regulators and auditors.',
      ],
    },
    raci: {
      responsible: ['GOVERNANCE_RISK', 'SECURITY_COMPLIANCE'],
      accountable: 'GOVERNANCE_RISK',
      consulted: ['PLATFORM_CLOUD', 'WORKLOAD_APPLICATION'],
      informed: ['OPERATIONS_INCIDENT'],
    },
  },
};

export const DEMO_PROVIDER_NAME = 'Microsoft Azure';

export interface MatrixSeedOptions {
  /** Drafted and published by. */
  authorId: string;
  /** Approved by (a governance member); defaults to the author. */
  approverId?: string | null;
  /** The version takes effect then; default now. */
  effectiveFrom?: Date;
  /** Default: a year after effectiveFrom. */
  reviewDueAt?: Date;
}

/**
 * The reference domains, roles mapped to the resolver groups that exist (by the demo keys), and version 1 of the
 * standard matrix, published. Returns the version number.
 */
export async function seedResponsibilityMatrix(prisma: PrismaClient, opts: MatrixSeedOptions): Promise<number> {
  await ensureResponsibilityDomains(prisma);
  const effectiveFrom = opts.effectiveFrom ?? new Date();
  const reviewDueAt = opts.reviewDueAt ?? new Date(effectiveFrom.getTime() + 365 * DAY_MS);
  return prisma.$transaction(
    async (tx) => {
      const groups = new Map((await tx.resolverGroup.findMany()).map((g) => [g.key, g.id]));
      for (const [role, keys] of Object.entries(DEMO_ROLE_GROUPS) as [OrganizationalRole, string[]][]) {
        const ids = keys.map((k) => groups.get(k)).filter((id): id is string => !!id);
        await tx.responsibilityRoleGroup.createMany({
          data: ids.map((groupId, i) => ({ role, groupId, primary: i === 0, createdAt: effectiveFrom })),
          skipDuplicates: true,
        });
      }
      const domains = new Map((await tx.responsibilityDomain.findMany()).map((d) => [d.key, d.id]));
      const last = await tx.responsibilityMatrixVersion.aggregate({ _max: { version: true } });
      const number = (last._max.version ?? 0) + 1;
      const created = new Date(effectiveFrom.getTime() - 14 * DAY_MS);
      const approved = new Date(effectiveFrom.getTime() - 7 * DAY_MS);
      const version = await tx.responsibilityMatrixVersion.create({
        data: {
          version: number,
          status: 'PUBLISHED',
          summary: 'Standard shared-responsibility matrix for IaaS, PaaS and SaaS services',
          providerName: DEMO_PROVIDER_NAME,
          reviewDueAt,
          createdById: opts.authorId,
          createdAt: created,
          updatedAt: effectiveFrom,
          decidedById: opts.approverId ?? opts.authorId,
          decidedAt: approved,
          decisionComment: 'Reviewed with the Platform, Workload and Security leads; matches the service catalogue.',
          publishedById: opts.authorId,
          publishedAt: effectiveFrom,
          effectiveFrom,
        },
      });
      for (const [key, content] of Object.entries(STANDARD_MATRIX)) {
        const domainId = domains.get(key);
        if (!domainId) continue;
        await tx.responsibilityCell.createMany({
          data: (Object.entries(content.cells) as [ServiceModel, Cell][]).map(([serviceModel, [owner, p, c]]) => ({
            versionId: version.id,
            domainId,
            serviceModel,
            owner,
            providerDuties: p,
            customerDuties: c,
          })),
        });
        await tx.responsibilityRaci.createMany({
          data: raciRows(domainId, content.raci).map((r) => ({ ...r, versionId: version.id })),
        });
      }
      await tx.responsibilityReviewReason.createMany({
        data: [
          {
            kind: 'NEW_SERVICE',
            detail:
              'First matrix for the service catalogue: ERP and the web portal (PaaS), IAM, e-mail and wiki (SaaS), VPN and backup (IaaS).',
            versionId: version.id,
            recordedById: opts.authorId,
            recordedAt: created,
          },
        ],
      });
      return number;
    },
    { timeout: 30_000 },
  );
}

function staffActor(user: { id: string; organizationId: string; role: Viewer['role'] }): Actor {
  return {
    viewer: {
      userId: user.id,
      organizationId: user.organizationId,
      organizationKind: 'PROVIDER',
      role: user.role,
      via: 'session',
      sessionId: null,
      tokenId: null,
      scopes: new Set(scopesForRole(user.role)),
    },
    channel: 'PORTAL',
  };
}

/**
 * Demo data: the matrix (published 90 days ago, review due in 9 months), an open reason to review, and tickets that
 * show routing by ownership and change control. Called at the end of the demo seed.
 */
export async function seedResponsibilityDemo(prisma: PrismaClient): Promise<void> {
  const users = new Map((await prisma.user.findMany()).map((u) => [u.email, u]));
  const admin = users.get('admin@leonardo.example');
  if (!admin) return;
  const governor = users.get('delivery.lead@leonardo.example') ?? admin;
  const now = Date.now();
  await seedResponsibilityMatrix(prisma, {
    authorId: admin.id,
    approverId: governor.id,
    effectiveFrom: new Date(now - 90 * DAY_MS),
    reviewDueAt: new Date(now + 275 * DAY_MS),
  });
  const globex = await prisma.organization.findUnique({ where: { slug: 'globex' } });
  await prisma.responsibilityReviewReason.create({
    data: {
      kind: 'REGULATION',
      detail:
        'DORA (EU 2022/2554) applies to Globex Bank: ICT third-party risk and incident reporting duties must be reflected in a matrix agreed with Globex.',
      organizationId: globex?.id ?? null,
      recordedById: governor.id,
      recordedAt: new Date(now - 5 * DAY_MS),
    },
  });

  const services = new Map((await prisma.service.findMany()).map((s) => [s.key, s.id]));
  const actor = staffActor(admin);
  const tickets: {
    requester: string;
    title: string;
    description: string;
    class: 'INCIDENT' | 'CHANGE_INQUIRY';
    service: string;
    category: string;
  }[] = [
    {
      requester: 'dan@globex.example',
      title: 'Outbound e-mail queued for 40 minutes',
      description: 'Messages to external recipients sit in the outbox for about 40 minutes before they are delivered.',
      class: 'INCIDENT',
      service: 'email',
      category: 'application',
    },
    {
      requester: 'bob@acme.example',
      title: 'Packet loss on the Turin VPN gateway',
      description:
        'Monitoring shows 8% packet loss on the Turin site-to-site tunnel since 06:00; file transfers time out.',
      class: 'INCIDENT',
      service: 'vpn',
      category: 'vpn',
    },
    {
      requester: 'peter@initech.example',
      title: 'Nightly backup job failed for the file server',
      description: 'The 23:00 backup job of the file server VM failed twice in a row with a snapshot timeout.',
      class: 'INCIDENT',
      service: 'backup',
      category: 'backup',
    },
    {
      requester: 'it.manager@acme.example',
      title: 'Open TCP 8443 from the ERP integration subnet',
      description:
        'The new MES integration needs TCP 8443 from 10.20.30.0/24 to the ERP API; please change the firewall.',
      class: 'CHANGE_INQUIRY',
      service: 'erp',
      category: 'firewall',
    },
    {
      requester: 'it.manager@acme.example',
      title: 'Deploy ERP release 2026.2 to production',
      description: 'Release 2026.2 passed acceptance testing; we ask to deploy it on Saturday 22:00-02:00.',
      class: 'CHANGE_INQUIRY',
      service: 'erp',
      category: 'deployment',
    },
  ];
  for (const d of tickets) {
    const requester = users.get(d.requester);
    if (!requester) continue;
    await createTicket(prisma, actor, {
      title: d.title,
      description: d.description,
      class: d.class,
      impact: 'MEDIUM',
      urgency: 'MEDIUM',
      serviceId: services.get(d.service) ?? null,
      category: d.category,
      requesterId: requester.id,
      channel: 'EMAIL',
    });
  }
  // The release is approved by the application team; it still waits for the policy check.
  const appsLead = users.get('apps.lead@leonardo.example');
  const release = await prisma.ticket.findFirst({ where: { title: 'Deploy ERP release 2026.2 to production' } });
  const step = release
    ? await prisma.changeApprovalStep.findFirst({
        where: { approval: { ticketId: release.id }, kind: 'WORKLOAD_APPROVAL', status: 'PENDING' },
      })
    : null;
  if (appsLead && step)
    await decideStep(prisma, staffActor(appsLead), {
      stepId: step.id,
      decision: 'APPROVE',
      comment: 'Release notes and rollback plan reviewed; the Saturday window suits the plants.',
    });
}
