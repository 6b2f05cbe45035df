import type { PrismaClient } from '../../generated/prisma/client.js';
import type { TicketClass } from '../../generated/prisma/enums.js';

const DOMAINS_LOCK = 7_311_042_051;

export interface DomainDefinition {
  key: string;
  name: string;
  description: string;
  /** Lower-case ticket categories that concern the domain. */
  categories: string[];
  ticketClasses: TicketClass[];
}

/**
 * The seven domains the requirements name, with the ticket categories that concern each. A category belongs to one
 * domain; the demo services' tickets use these categories (vpn → network and host security, mfa → identity …).
 */
export const STANDARD_DOMAINS: readonly DomainDefinition[] = [
  {
    key: 'data-protection',
    name: 'Data protection and classification',
    description: 'Classification of information, encryption, retention, deletion and data-loss prevention.',
    categories: ['data-classification', 'encryption', 'data-loss', 'data-retention', 'dlp', 'privacy'],
    ticketClasses: [],
  },
  {
    key: 'identity-access',
    name: 'Identity and access management',
    description: 'Users, groups, roles and permissions; authentication, MFA and single sign-on; access reviews.',
    categories: ['identity', 'access', 'mfa', 'sso', 'authentication', 'permissions', 'password'],
    ticketClasses: ['ACCESS_REQUEST'],
  },
  {
    key: 'security-monitoring',
    name: 'Security monitoring and threat detection',
    description: 'Security logging, alerting, threat detection and the response to security events.',
    categories: ['security-alert', 'threat', 'malware', 'phishing', 'siem', 'suspicious-activity'],
    ticketClasses: [],
  },
  {
    key: 'network-host',
    name: 'Network and host security',
    description: 'Networks, firewalls, VPN, DNS and load balancing; hosts, operating systems and their patching.',
    categories: [
      'network',
      'connectivity',
      'vpn',
      'firewall',
      'dns',
      'load-balancer',
      'host',
      'server',
      'os-patching',
      'virtual-machine',
    ],
    ticketClasses: [],
  },
  {
    key: 'app-config',
    name: 'Application configuration and secure development',
    description: 'Application settings, releases and deployments, integrations, defects and secure development.',
    categories: [
      'application',
      'application-error',
      'configuration',
      'deployment',
      'performance',
      'integration',
      'software-defect',
      'api',
    ],
    ticketClasses: [],
  },
  {
    key: 'backup-recovery',
    name: 'Backup, restore and recovery',
    description: 'Backups and their retention, restores, replication and disaster recovery.',
    categories: ['backup', 'restore', 'disaster-recovery', 'data-recovery', 'replication'],
    ticketClasses: [],
  },
  {
    key: 'compliance-audit',
    name: 'Compliance, auditing and reporting',
    description: 'Regulatory and contractual compliance, audit evidence, certifications and compliance reporting.',
    categories: ['compliance', 'audit', 'reporting', 'regulatory', 'evidence', 'certification'],
    ticketClasses: [],
  },
];

/**
 * Reference data every installation needs (not demo data): the seven domains of the requirements. Created on
 * first use and safe when several instances race; admins and governance add domains later.
 */
export async function ensureResponsibilityDomains(prisma: PrismaClient): Promise<void> {
  if (await prisma.responsibilityDomain.findFirst({ select: { id: true } })) return;
  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${DOMAINS_LOCK}::bigint)`;
    if (await tx.responsibilityDomain.findFirst({ select: { id: true } })) return;
    await tx.responsibilityDomain.createMany({
      data: STANDARD_DOMAINS.map((d, i) => ({ ...d, position: (i + 1) * 10 })),
    });
  });
}
