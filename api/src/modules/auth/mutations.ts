import { z } from 'zod';
import { builder } from '../../builder.js';
import { appConfig } from '../../config.js';
import { db } from '../../db.js';
import { ConflictError, InvalidCredentialsError, NotFoundError, TooManyAttemptsError } from '../../errors.js';
import { UserType } from '../directory/types.js';
import { createApiToken, MAX_TOKEN_DAYS, revokeApiToken } from './apiToken.service.js';
import { authenticateSession, SESSION_COOKIE } from './authenticate.js';
import type { Scope } from './scopes.js';
import { login, logout } from './session.service.js';
import { ApiTokenScopeEnum, ApiTokenType } from './types.js';

function sessionCookie(value: string, maxAgeSeconds: number): string {
  // SameSite=Strict: the SPA is same-origin, so no cross-site request ever needs the session (no CSRF surface).
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (appConfig().cookieSecure) parts.push('Secure');
  return parts.join('; ');
}

const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({
    email: t.string({ validate: z.string().trim().email('Enter an email address').max(320) }),
    password: t.string({ validate: z.string().min(1, 'Enter your password').max(1024) }),
  }),
});

const LoginPayload = builder.objectRef<{ userId: string; expiresAt: Date }>('LoginPayload').implement({
  fields: (t) => ({ expiresAt: t.expose('expiresAt', { type: 'DateTime' }) }),
});

builder.objectField(LoginPayload, 'user', (t) =>
  t.prismaField({
    type: 'User',
    resolve: (query, payload) => db().user.findUniqueOrThrow({ ...query, where: { id: payload.userId } }),
  }),
);

builder.mutationField('login', (t) =>
  t.field({
    type: LoginPayload,
    description: 'Password login for the SPA: sets an HTTP-only session cookie. Throttled per email and address.',
    skipTypeScopes: true,
    args: { input: t.arg({ type: LoginInput }) },
    errors: { types: [InvalidCredentialsError, TooManyAttemptsError] },
    resolve: async (_root, { input }, ctx) => {
      const config = appConfig();
      const session = await login(db(), {
        email: input.email,
        password: input.password,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        sessionTtlHours: config.sessionTtlHours,
      });
      ctx.responseCookies.push(sessionCookie(session.secret, config.sessionTtlHours * 3600));
      // The rest of this response (e.g. `user { … }`) is read as the person who just logged in.
      ctx.viewer = (await authenticateSession(db(), session.secret, new Date())).viewer;
      ctx.log.info({ userId: session.userId }, 'login');
      return { userId: session.userId, expiresAt: session.expiresAt };
    },
  }),
);

const LogoutPayload = builder.objectRef<{ loggedOut: boolean }>('LogoutPayload').implement({
  fields: (t) => ({
    loggedOut: t.exposeBoolean('loggedOut', { description: 'False when there was no active session.' }),
  }),
});

builder.mutationField('logout', (t) =>
  t.field({
    type: LogoutPayload,
    description: 'Ends the session of this browser and clears its cookie.',
    skipTypeScopes: true,
    resolve: async (_root, _args, ctx) => {
      const loggedOut = ctx.sessionSecret ? await logout(db(), ctx.sessionSecret) : false;
      ctx.responseCookies.push(sessionCookie('', 0));
      return { loggedOut };
    },
  }),
);

const ApiTokenCreateInput = builder.inputType('ApiTokenCreateInput', {
  fields: (t) => ({
    name: t.string({ validate: z.string().trim().min(1, 'Name the token').max(100) }),
    scopes: t.field({ type: [ApiTokenScopeEnum], validate: z.array(z.string()).min(1, 'Give at least one scope') }),
    userId: t.globalID({
      required: false,
      for: UserType,
      description: 'The principal the token acts as (admins only); defaults to you.',
    }),
    expiresInDays: t.int({
      required: false,
      description: `Lifetime in days, 1 to ${MAX_TOKEN_DAYS}; 90 when omitted.`,
      validate: z.number().int().min(1).max(MAX_TOKEN_DAYS),
    }),
  }),
});

const ApiTokenCreatePayload = builder
  .objectRef<{ secret: string; tokenId: string }>('ApiTokenCreatePayload')
  .implement({
    fields: (t) => ({
      secret: t.exposeString('secret', { description: 'The token itself. Shown only now: only its hash is stored.' }),
    }),
  });

builder.objectField(ApiTokenCreatePayload, 'apiToken', (t) =>
  t.prismaField({
    type: 'ApiToken',
    resolve: (query, payload) => db().apiToken.findUniqueOrThrow({ ...query, where: { id: payload.tokenId } }),
  }),
);

builder.mutationField('apiTokenCreate', (t) =>
  t.field({
    type: ApiTokenCreatePayload,
    description: 'Creates a token for yourself, or (admins) for any user; the secret is returned once.',
    args: { input: t.arg({ type: ApiTokenCreateInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer!;
      const { token, secret } = await createApiToken(db(), viewer, {
        name: input.name,
        scopes: input.scopes as Scope[],
        userId: input.userId?.id ?? null,
        expiresInDays: input.expiresInDays ?? null,
      });
      ctx.log.info({ tokenId: token.id, principal: token.userId, scopes: token.scopes }, 'api token created');
      return { secret, tokenId: token.id };
    },
  }),
);

const ApiTokenRevokeInput = builder.inputType('ApiTokenRevokeInput', {
  fields: (t) => ({ id: t.globalID({ for: ApiTokenType }) }),
});

const ApiTokenRevokePayload = builder.objectRef<{ tokenId: string }>('ApiTokenRevokePayload').implement({
  fields: () => ({}),
});

builder.objectField(ApiTokenRevokePayload, 'apiToken', (t) =>
  t.prismaField({
    type: 'ApiToken',
    resolve: (query, payload) => db().apiToken.findUniqueOrThrow({ ...query, where: { id: payload.tokenId } }),
  }),
);

builder.mutationField('apiTokenRevoke', (t) =>
  t.field({
    type: ApiTokenRevokePayload,
    description: 'Revokes a token you own or created (admins: any); it is refused from the next request on.',
    args: { input: t.arg({ type: ApiTokenRevokeInput }) },
    errors: { types: [NotFoundError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const token = await revokeApiToken(db(), ctx.viewer!, input.id.id);
      ctx.log.info({ tokenId: token.id }, 'api token revoked');
      return { tokenId: token.id };
    },
  }),
);
