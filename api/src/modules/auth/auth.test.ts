import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, createUser, createWorld, TEST_PASSWORD } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
});
afterAll(() => t?.stop());

const ME = '{ me { id email role organization { id kind } } }';

function sessionCookieFrom(headers: Headers): string | null {
  const raw = headers.getSetCookie().find((c) => c.startsWith('itsm_session='));
  return raw ? raw.split(';')[0]! : null;
}

describe('bearer tokens', () => {
  it('refuses a request without credentials with UNAUTHENTICATED', async () => {
    const res = await t.gql(ME);
    expect(res.data?.me ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers `me` for a valid token', async () => {
    const res = await t.gql(ME, {}, { token: world.tokens.acme });
    expect(res.errors).toBeUndefined();
    expect(res.data?.me.email).toBe(world.users.acmeCustomer.email);
    expect(res.data?.me.organization.kind).toBe('CUSTOMER');
  });

  it('refuses an unknown token, naming the reason', async () => {
    const res = await t.gql(ME, {}, { token: 'itsm_not-a-real-token' });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0]?.message).toMatch(/invalid api token/i);
  });

  it('refuses an expired token', async () => {
    const { token, secret } = await createToken(t.prisma, world.users.agent, ['tickets:read']);
    await t.prisma.apiToken.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await t.gql(ME, {}, { token: secret });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0]?.message).toMatch(/expired/);
  });

  it('refuses the token of a disabled user', async () => {
    const user = await createUser(t.prisma, world.acme.id, 'CUSTOMER');
    const { secret } = await createToken(t.prisma, user);
    expect((await t.gql(ME, {}, { token: secret })).data?.me.email).toBe(user.email);
    await t.prisma.user.update({ where: { id: user.id }, data: { active: false } });
    expect((await t.gql(ME, {}, { token: secret })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('password login and sessions', () => {
  const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) {
    __typename
    ... on LoginPayload { expiresAt user { email } }
    ... on Error { message }
    ... on ValidationError { fieldErrors { path message } }
    ... on TooManyAttemptsError { retryAfterSeconds }
  } }`;

  it('logs in with an HTTP-only SameSite cookie, serves `me` on it, and logs out', async () => {
    const user = await createUser(t.prisma, world.provider.id, 'AGENT');
    const res = await t.gql(LOGIN, { input: { email: user.email.toUpperCase(), password: TEST_PASSWORD } });
    expect(res.data?.login.__typename, JSON.stringify(res)).toBe('LoginPayload');
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/itsm_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    const cookie = sessionCookieFrom(res.headers)!;
    expect((await t.gql(ME, {}, { cookie })).data?.me.email).toBe(user.email);

    const out = await t.gql('mutation { logout { loggedOut } }', {}, { cookie });
    expect(out.data?.logout.loggedOut).toBe(true);
    expect(out.headers.getSetCookie().join()).toMatch(/itsm_session=; .*Max-Age=0/);
    const after = await t.gql(ME, {}, { cookie });
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(after.errors?.[0]?.message).toMatch(/session has ended/);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const user = await createUser(t.prisma, world.provider.id, 'AGENT');
    const wrong = await t.gql(LOGIN, { input: { email: user.email, password: 'nope' } });
    const unknown = await t.gql(LOGIN, { input: { email: 'nobody@example.test', password: 'nope' } });
    expect(wrong.data?.login).toEqual({ __typename: 'InvalidCredentialsError', message: expect.any(String) });
    expect(unknown.data?.login).toEqual(wrong.data?.login);
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it('throttles after five failures, even for the right password', async () => {
    const user = await createUser(t.prisma, world.provider.id, 'AGENT');
    for (let i = 0; i < 5; i += 1) {
      const res = await t.gql(LOGIN, { input: { email: user.email, password: `wrong-${i}` } });
      expect(res.data?.login.__typename).toBe('InvalidCredentialsError');
    }
    const res = await t.gql(LOGIN, { input: { email: user.email, password: TEST_PASSWORD } });
    expect(res.data?.login.__typename).toBe('TooManyAttemptsError');
    expect(res.data?.login.retryAfterSeconds).toBeGreaterThan(0);
    expect(await t.prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it('returns a typed ValidationError for malformed input and records nothing', async () => {
    const before = await t.prisma.loginAttempt.count();
    const res = await t.gql(LOGIN, { input: { email: 'not-an-email', password: '' } });
    expect(res.data?.login.__typename).toBe('ValidationError');
    expect(res.data?.login.fieldErrors[0]).toEqual({ path: ['input', 'email'], message: 'Enter an email address' });
    const empty = await t.gql(LOGIN, { input: { email: 'someone@example.test', password: '' } });
    expect(empty.data?.login.fieldErrors).toEqual([{ path: ['input', 'password'], message: 'Enter your password' }]);
    expect(await t.prisma.loginAttempt.count()).toBe(before);
  });

  it('refuses login to a disabled account and to a password-less service account', async () => {
    const disabled = await createUser(t.prisma, world.provider.id, 'AGENT', { active: false });
    const service = await createUser(t.prisma, world.provider.id, 'AGENT', { withPassword: false });
    for (const u of [disabled, service]) {
      const res = await t.gql(LOGIN, { input: { email: u.email, password: TEST_PASSWORD } });
      expect(res.data?.login.__typename).toBe('InvalidCredentialsError');
    }
  });
});

describe('API token management', () => {
  const CREATE = `mutation ($input: ApiTokenCreateInput!) { apiTokenCreate(input: $input) {
    __typename
    ... on ApiTokenCreatePayload { secret apiToken { id name prefix scopes expiresAt user { id } organization { id } } }
    ... on ValidationError { fieldErrors { path message } }
    ... on NotFoundError { message }
  } }`;
  const REVOKE = `mutation ($id: ID!) { apiTokenRevoke(input: { id: $id }) {
    __typename ... on ApiTokenRevokePayload { apiToken { revokedAt } } ... on Error { message }
  } }`;

  async function sessionOf(user: { email: string }) {
    const res = await t.gql(
      'mutation ($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { __typename } }',
      {
        e: user.email,
        p: TEST_PASSWORD,
      },
    );
    return sessionCookieFrom(res.headers)!;
  }

  it('creates a token from a session, shows the secret once, and the token works', async () => {
    const cookie = await sessionOf(world.users.acmeCustomer);
    const res = await t.gql(
      CREATE,
      { input: { name: 'CI partner', scopes: ['TICKETS_READ', 'EVENTS_SUBSCRIBE'], expiresInDays: 30 } },
      { cookie },
    );
    const payload = res.data?.apiTokenCreate;
    expect(payload.__typename).toBe('ApiTokenCreatePayload');
    expect(payload.secret).toMatch(/^itsm_/);
    expect(payload.secret.startsWith(payload.apiToken.prefix)).toBe(true);
    expect(payload.apiToken.scopes).toEqual(['TICKETS_READ', 'EVENTS_SUBSCRIBE']);
    expect(payload.apiToken.organization.id).toBeTruthy();
    const stored = await t.prisma.apiToken.findFirstOrThrow({ where: { name: 'CI partner' } });
    expect(stored.tokenHash).not.toContain(payload.secret);
    expect(JSON.stringify(stored)).not.toContain(payload.secret);
    expect((await t.gql(ME, {}, { token: payload.secret })).data?.me.email).toBe(world.users.acmeCustomer.email);
    const list = await t.gql('{ apiTokens { edges { node { name } } } }', {}, { cookie });
    expect(JSON.stringify(list.data)).not.toContain(payload.secret);
  });

  it('refuses scopes beyond the role, empty scopes and bad lifetimes, creating nothing', async () => {
    const cookie = await sessionOf(world.users.acmeCustomer);
    const before = await t.prisma.apiToken.count();
    for (const input of [
      { name: 'x', scopes: ['WALLBOARD_READ'] },
      { name: 'x', scopes: ['ADMIN'] },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['TICKETS_READ'], expiresInDays: 0 },
      { name: '', scopes: ['TICKETS_READ'] },
    ]) {
      const res = await t.gql(CREATE, { input }, { cookie });
      expect(res.data?.apiTokenCreate.__typename, JSON.stringify(input)).toBe('ValidationError');
    }
    expect(await t.prisma.apiToken.count()).toBe(before);
  });

  it('lets an admin mint a token for another user, but nobody else', async () => {
    const target = await createUser(t.prisma, world.globex.id, 'CUSTOMER');
    const targetId = Buffer.from(`User:${target.id}`).toString('base64');
    const admin = await t.gql(
      CREATE,
      { input: { name: 'partner', scopes: ['TICKETS_READ'], userId: targetId } },
      { token: world.tokens.admin },
    );
    expect(admin.data?.apiTokenCreate.apiToken.user.id).toBe(targetId);
    expect(admin.data?.apiTokenCreate.apiToken.organization.id).toBe(
      Buffer.from(`Organization:${world.globex.id}`).toString('base64'),
    );

    const cookie = await sessionOf(world.users.manager);
    const denied = await t.gql(
      CREATE,
      { input: { name: 'x', scopes: ['TICKETS_READ'], userId: targetId } },
      { cookie },
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('does not let a non-admin token mint new tokens', async () => {
    const res = await t.gql(CREATE, { input: { name: 'x', scopes: ['TICKETS_READ'] } }, { token: world.tokens.agent });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('revokes a token: refused from the next request; others cannot see or revoke it', async () => {
    const { token, secret } = await createToken(t.prisma, world.users.acmeCustomer, ['tickets:read']);
    const id = Buffer.from(`ApiToken:${token.id}`).toString('base64');
    const stranger = await t.gql(REVOKE, { id }, { cookie: await sessionOf(world.users.globexCustomer) });
    expect(stranger.data?.apiTokenRevoke.__typename).toBe('NotFoundError');
    expect((await t.gql(ME, {}, { token: secret })).data?.me).toBeTruthy();

    const own = await t.gql(REVOKE, { id }, { cookie: await sessionOf(world.users.acmeCustomer) });
    expect(own.data?.apiTokenRevoke.apiToken.revokedAt).toBeTruthy();
    const refused = await t.gql(ME, {}, { token: secret });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.errors?.[0]?.message).toMatch(/revoked/);
    const again = await t.gql(REVOKE, { id }, { token: world.tokens.admin });
    expect(again.data?.apiTokenRevoke.__typename).toBe('ConflictError');
  });

  it('narrows a token to its scopes', async () => {
    const { secret } = await createToken(t.prisma, world.users.agent, ['wallboard:read']);
    expect((await t.gql(ME, {}, { token: secret })).data?.me.email).toBe(world.users.agent.email);
    const res = await t.gql('{ organizations { edges { node { id } } } }', {}, { token: secret });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
