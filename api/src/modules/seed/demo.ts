import type { PrismaClient } from '../../generated/prisma/client.js';
import type { OrganizationKind, Role } from '../../generated/prisma/enums.js';
import type { Logger } from '../../logger.js';
import { hashPassword } from '../auth/password.js';
import { newSecret, sha256, TOKEN_PREFIX } from '../auth/secrets.js';

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

  const shown = ['ADMIN', 'MANAGER', 'LEAD', 'AGENT', 'CUSTOMER'] as const;
  const credentials = shown.map((role) => {
    const person = everyone.find((p) => p.role === role)!;
    return { email: person.email, password: DEMO_PASSWORD, role };
  });
  return { credentials, wallboardToken };
}
