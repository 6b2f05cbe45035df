import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
});
afterAll(() => t?.stop());

const ORGS = '{ organizations(first: 100) { edges { node { id name kind } } } }';
const USERS =
  'query ($org: ID) { users(first: 100, organizationId: $org) { edges { node { id organization { id } } } } }';
const NODE = 'query ($id: ID!) { node(id: $id) { id ... on User { email } ... on Organization { name } } }';

describe('organisation isolation (default deny)', () => {
  it('shows a customer only their own organisation', async () => {
    const res = await t.gql(ORGS, {}, { token: world.tokens.acme });
    const ids = res.data?.organizations.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toEqual([gid('Organization', world.acme.id)]);
  });

  it('shows provider staff every organisation', async () => {
    for (const token of [world.tokens.agent, world.tokens.lead, world.tokens.manager, world.tokens.admin]) {
      const res = await t.gql(ORGS, {}, { token });
      const ids = res.data?.organizations.edges.map((e: { node: { id: string } }) => e.node.id);
      expect(ids).toEqual(
        expect.arrayContaining(
          [world.acme.id, world.globex.id, world.provider.id].map((id) => gid('Organization', id)),
        ),
      );
    }
  });

  it('lists only own-organisation users to a customer, whatever organisation they ask for', async () => {
    const own = await t.gql(USERS, {}, { token: world.tokens.acme });
    const orgs = new Set(
      own.data?.users.edges.map((e: { node: { organization: { id: string } } }) => e.node.organization.id),
    );
    expect([...orgs]).toEqual([gid('Organization', world.acme.id)]);
    const other = await t.gql(USERS, { org: gid('Organization', world.globex.id) }, { token: world.tokens.acme });
    expect(other.errors).toBeUndefined();
    expect(other.data?.users.edges).toEqual([]);
  });

  it('refuses node() for another organisation’s user and organisation', async () => {
    for (const id of [gid('User', world.users.globexCustomer.id), gid('Organization', world.globex.id)]) {
      const res = await t.gql(NODE, { id }, { token: world.tokens.acme });
      expect(res.data?.node ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const own = await t.gql(NODE, { id: gid('User', world.users.acmeCustomer.id) }, { token: world.tokens.acme });
    expect(own.data?.node.email).toBe(world.users.acmeCustomer.email);
  });

  it('lets a customer see the provider staff who work their tickets, but no other customer', async () => {
    const agent = await t.gql(NODE, { id: gid('User', world.users.agent.id) }, { token: world.tokens.acme });
    expect(agent.data?.node.email).toBe(world.users.agent.email);
    const provider = await t.gql(NODE, { id: gid('Organization', world.provider.id) }, { token: world.tokens.acme });
    expect(provider.data?.node.name).toBe(world.provider.name);
    const other = await t.gql(NODE, { id: gid('User', world.users.globexCustomer.id) }, { token: world.tokens.acme });
    expect(other.data?.node ?? null).toBeNull();
  });

  it('hides other users’ tokens; an admin sees them all', async () => {
    const Q = '{ apiTokens(first: 100) { edges { node { user { id } } } } }';
    const mine = await t.gql(Q, {}, { token: world.tokens.acme });
    const owners = new Set(mine.data?.apiTokens.edges.map((e: { node: { user: { id: string } } }) => e.node.user.id));
    expect([...owners]).toEqual([gid('User', world.users.acmeCustomer.id)]);
    const all = await t.gql(Q, {}, { token: world.tokens.admin });
    expect(all.data?.apiTokens.edges.length).toBeGreaterThanOrEqual(6);
  });

  it('requires authentication for every root query field', async () => {
    for (const query of [ORGS, '{ users { edges { node { id } } } }', '{ apiTokens { edges { node { id } } } }']) {
      const res = await t.gql(query);
      expect(res.errors?.[0]?.extensions?.code, query).toBe('UNAUTHENTICATED');
      expect(res.data ?? null).toBeNull();
    }
    const node = await t.gql(NODE, { id: gid('Organization', world.acme.id) });
    expect(node.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
