import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../src/db.js';
import type { OrganizationKind, Role } from '../src/generated/prisma/enums.js';
import { createApiToken } from '../src/modules/auth/apiToken.service.js';
import { hashPassword } from '../src/modules/auth/password.js';
import { type Scope, scopesForRole, type Viewer } from '../src/modules/auth/scopes.js';

const unique = () => randomBytes(4).toString('hex');

export async function createOrganization(prisma: PrismaClient, kind: OrganizationKind, name?: string) {
  const slug = `${kind.toLowerCase()}-${unique()}`;
  return prisma.organization.create({ data: { slug, name: name ?? slug, kind } });
}

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

export async function createUser(
  prisma: PrismaClient,
  organizationId: string,
  role: Role,
  opts: { email?: string; active?: boolean; withPassword?: boolean } = {},
) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  return prisma.user.create({
    data: {
      email: opts.email ?? `${role.toLowerCase()}-${unique()}@example.test`,
      name: `${role} ${unique()}`,
      role,
      organizationId,
      active: opts.active ?? true,
      passwordHash: opts.withPassword === false ? null : await passwordHash,
    },
    include: { organization: true },
  });
}

/** Mints a token as the admin mutation would, acting for `user`. */
export async function createToken(
  prisma: PrismaClient,
  user: { id: string; organizationId: string; role: Role; organization: { kind: OrganizationKind } },
  scopes?: Scope[],
  expiresInDays?: number,
) {
  const viewer: Viewer = {
    userId: user.id,
    organizationId: user.organizationId,
    organizationKind: user.organization.kind,
    role: user.role,
    via: 'session',
    sessionId: null,
    tokenId: null,
    scopes: new Set(scopesForRole(user.role)),
  };
  const { token, secret } = await createApiToken(prisma, viewer, {
    name: `test ${unique()}`,
    scopes: scopes ?? scopesForRole(user.role),
    expiresInDays: expiresInDays ?? null,
  });
  return { token, secret };
}

/** A provider with one user per staff role and two customer organisations with a customer each. */
export async function createWorld(prisma: PrismaClient) {
  const provider = await createOrganization(prisma, 'PROVIDER');
  const acme = await createOrganization(prisma, 'CUSTOMER');
  const globex = await createOrganization(prisma, 'CUSTOMER');
  const [admin, manager, lead, agent, acmeCustomer, globexCustomer] = await Promise.all([
    createUser(prisma, provider.id, 'ADMIN'),
    createUser(prisma, provider.id, 'MANAGER'),
    createUser(prisma, provider.id, 'LEAD'),
    createUser(prisma, provider.id, 'AGENT'),
    createUser(prisma, acme.id, 'CUSTOMER'),
    createUser(prisma, globex.id, 'CUSTOMER'),
  ]);
  const tokens = {
    admin: (await createToken(prisma, admin)).secret,
    manager: (await createToken(prisma, manager)).secret,
    lead: (await createToken(prisma, lead)).secret,
    agent: (await createToken(prisma, agent)).secret,
    acme: (await createToken(prisma, acmeCustomer)).secret,
    globex: (await createToken(prisma, globexCustomer)).secret,
  };
  return { provider, acme, globex, users: { admin, manager, lead, agent, acmeCustomer, globexCustomer }, tokens };
}
