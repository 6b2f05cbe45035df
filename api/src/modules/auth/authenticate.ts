import type { PrismaClient } from '../../generated/prisma/client.js';
import { isScope, type Scope, scopesForRole, type Viewer } from './scopes.js';
import { sha256, TOKEN_PREFIX } from './secrets.js';

export const SESSION_COOKIE = 'itsm_session';
const TOUCH_INTERVAL_MS = 60_000;

export type AuthResult = { viewer: Viewer | null; failure: string | null; sessionSecret: string | null };

export interface Credentials {
  authorization?: string | null;
  cookie?: string | null;
}

export function parseCookies(header: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      out[name] = part.slice(eq + 1).trim();
    }
  }
  return out;
}

/** Accepts `Bearer <token>` (any case) or the bare token, as graphql-ws clients often send it. */
export function bearerSecret(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const match = /^\s*(?:bearer\s+)?(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}

/**
 * A bearer token wins over a cookie: a third party's explicit credential must never be silently
 * replaced by a browser session. A presented but invalid credential is a failure, not anonymity.
 */
export async function authenticate(prisma: PrismaClient, creds: Credentials, now = new Date()): Promise<AuthResult> {
  const bearer = bearerSecret(creds.authorization);
  if (bearer) return { ...(await authenticateToken(prisma, bearer, now)), sessionSecret: null };
  const sessionSecret = parseCookies(creds.cookie)[SESSION_COOKIE] ?? null;
  if (sessionSecret) return { ...(await authenticateSession(prisma, sessionSecret, now)), sessionSecret };
  return { viewer: null, failure: null, sessionSecret: null };
}

export async function authenticateToken(
  prisma: PrismaClient,
  secret: string,
  now: Date,
): Promise<Omit<AuthResult, 'sessionSecret'>> {
  if (!secret.startsWith(TOKEN_PREFIX)) return { viewer: null, failure: 'Invalid API token' };
  const token = await prisma.apiToken.findUnique({
    where: { tokenHash: sha256(secret) },
    include: { user: { include: { organization: true } } },
  });
  if (!token) return { viewer: null, failure: 'Invalid API token' };
  if (token.revokedAt) return { viewer: null, failure: 'This API token has been revoked' };
  if (token.expiresAt && token.expiresAt <= now) return { viewer: null, failure: 'This API token has expired' };
  if (!token.user.active) return { viewer: null, failure: 'The account behind this API token is disabled' };
  if (token.user.organizationId !== token.organizationId) {
    return { viewer: null, failure: 'This API token no longer matches its organisation' };
  }
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  const allowed = new Set(scopesForRole(token.user.role));
  const scopes = new Set<Scope>(token.scopes.filter((s): s is Scope => isScope(s) && allowed.has(s)));
  return {
    viewer: {
      userId: token.userId,
      organizationId: token.organizationId,
      organizationKind: token.user.organization.kind,
      role: token.user.role,
      via: 'token',
      sessionId: null,
      tokenId: token.id,
      scopes,
    },
    failure: null,
  };
}

export async function authenticateSession(
  prisma: PrismaClient,
  secret: string,
  now: Date,
): Promise<Omit<AuthResult, 'sessionSecret'>> {
  const session = await prisma.session.findUnique({
    where: { tokenHash: sha256(secret) },
    include: { user: { include: { organization: true } } },
  });
  if (!session || session.revokedAt || session.expiresAt <= now || !session.user.active) {
    return { viewer: null, failure: 'Your session has ended; log in again' };
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  return {
    viewer: {
      userId: session.userId,
      organizationId: session.user.organizationId,
      organizationKind: session.user.organization.kind,
      role: session.user.role,
      via: 'session',
      sessionId: session.id,
      tokenId: null,
      scopes: new Set(scopesForRole(session.user.role)),
    },
    failure: null,
  };
}

/**
 * Is the credential behind a long-lived viewer (a subscription) still good? Re-checked as events flow, so a revoked
 * token or ended session stops receiving events.
 */
export async function credentialStillValid(prisma: PrismaClient, viewer: Viewer, now = new Date()): Promise<boolean> {
  if (viewer.tokenId) {
    const token = await prisma.apiToken.findUnique({ where: { id: viewer.tokenId }, include: { user: true } });
    return !!token && !token.revokedAt && (!token.expiresAt || token.expiresAt > now) && token.user.active;
  }
  if (viewer.sessionId) {
    const session = await prisma.session.findUnique({ where: { id: viewer.sessionId }, include: { user: true } });
    return !!session && !session.revokedAt && session.expiresAt > now && session.user.active;
  }
  return false;
}
