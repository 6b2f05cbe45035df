// Test support (not loaded by the app): a world with the demo's resolver groups, approvers for each role, services
// of each model and version 1 of the standard matrix, published, for the responsibility and change-control tests.
import { expect } from 'vitest';
import { createToken, createUser, createWorld } from '../../../test/fixtures.js';
import type { TestApp } from '../../../test/harness.js';
import { seedResponsibilityMatrix } from './seed.js';

export const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
export const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

export const GROUP_KEYS = [
  'service-desk',
  'infrastructure',
  'application-support',
  'network-operations',
  'security',
  'service-delivery',
  'tier2-specialists',
] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

export const SERVICES = {
  erp: 'PAAS',
  portal: 'PAAS',
  email: 'SAAS',
  iam: 'SAAS',
  vpn: 'IAAS',
  backup: 'IAAS',
} as const;

export async function createResponsibilityWorld(t: TestApp) {
  const world = await createWorld(t.prisma);
  const groups = {} as Record<GroupKey, { id: string; gid: string }>;
  for (const key of GROUP_KEYS) {
    const g = await t.prisma.resolverGroup.create({ data: { key, name: key } });
    groups[key] = { id: g.id, gid: gid('ResolverGroup', g.id) };
  }
  const member = async (key: GroupKey, role: 'AGENT' | 'LEAD' = 'AGENT') => {
    const user = await createUser(t.prisma, world.provider.id, role);
    await t.prisma.resolverGroupMember.create({ data: { groupId: groups[key].id, userId: user.id } });
    return { user, token: (await createToken(t.prisma, user)).secret };
  };
  const people = {
    governance: await member('service-delivery'),
    governance2: await member('service-delivery'),
    platform: await member('infrastructure'),
    network: await member('network-operations'),
    app: await member('application-support'),
    security: await member('security'),
  };
  const services = {} as Record<keyof typeof SERVICES, { id: string; gid: string }>;
  for (const [key, serviceModel] of Object.entries(SERVICES) as [keyof typeof SERVICES, 'IAAS' | 'PAAS' | 'SAAS'][]) {
    const s = await t.prisma.service.create({
      data: { key, name: `${key} service`, criticality: 'MEDIUM', serviceModel },
    });
    services[key] = { id: s.id, gid: gid('Service', s.id) };
  }
  const firstVersion = await seedResponsibilityMatrix(t.prisma, {
    authorId: world.users.admin.id,
    approverId: people.governance.user.id,
    effectiveFrom: new Date(Date.now() - 86_400_000),
  });
  const tokens = {
    ...world.tokens,
    governance: people.governance.token,
    governance2: people.governance2.token,
    platform: people.platform.token,
    network: people.network.token,
    app: people.app.token,
    security: people.security.token,
  };
  return { ...world, groups, people, services, tokens, firstVersion };
}

export type ResponsibilityWorld = Awaited<ReturnType<typeof createResponsibilityWorld>>;

export const RESULT = `__typename
  ... on Error { message }
  ... on ValidationError { fieldErrors { path message } }`;

export function expectForbidden(res: { errors?: { extensions?: { code?: string } }[] }, label = '') {
  expect(res.errors?.[0]?.extensions?.code, `${label} ${JSON.stringify(res.errors)}`).toBe('FORBIDDEN');
}

export function expectNoErrors(res: { errors?: unknown[] }, label = '') {
  expect(res.errors, `${label} ${JSON.stringify(res.errors)}`).toBeUndefined();
}
