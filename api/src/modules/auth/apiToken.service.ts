import { ConflictError, forbidden, NotFoundError, ValidationError } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { isStaff, roleAtLeast, type Scope, scopesForRole, type Viewer } from './scopes.js';
import { newSecret, sha256, TOKEN_PREFIX } from './secrets.js';

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 730;

export interface ApiTokenCreateInput {
  name: string;
  scopes: Scope[];
  /** Principal the token acts as; defaults to the caller. Only admins mint tokens for others. */
  userId?: string | null;
  expiresInDays?: number | null;
  now?: Date;
}

export function isAdmin(viewer: Viewer): boolean {
  return isStaff(viewer) && roleAtLeast(viewer.role, 'ADMIN') && viewer.scopes.has('admin');
}

export async function createApiToken(prisma: PrismaClient, viewer: Viewer, input: ApiTokenCreateInput) {
  const now = input.now ?? new Date();
  // A leaked token must not be able to mint fresh ones: only sessions and admin-scoped tokens may.
  if (viewer.via === 'token' && !viewer.scopes.has('admin')) {
    throw forbidden('API tokens can be created from a logged-in session or an admin token');
  }
  const principalId = input.userId ?? viewer.userId;
  if (principalId !== viewer.userId && !isAdmin(viewer)) {
    throw forbidden('Only admins can create tokens for other users');
  }
  const principal = await prisma.user.findUnique({ where: { id: principalId } });
  if (!principal) throw new NotFoundError('User', principalId);
  if (!principal.active) throw ValidationError.of('userId', 'This user is disabled');

  const name = input.name.trim();
  const issues: { path: string[]; message: string }[] = [];
  if (name.length < 1 || name.length > 100) issues.push({ path: ['name'], message: 'Use 1 to 100 characters' });
  const allowed = new Set(scopesForRole(principal.role));
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) issues.push({ path: ['scopes'], message: 'Give the token at least one scope' });
  const denied = scopes.filter((s) => !allowed.has(s));
  if (denied.length) {
    issues.push({ path: ['scopes'], message: `A ${principal.role} cannot hold ${denied.join(', ')}` });
  }
  const days = input.expiresInDays ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
    issues.push({ path: ['expiresInDays'], message: `Use a whole number of days from 1 to ${MAX_TOKEN_DAYS}` });
  }
  if (issues.length) throw new ValidationError(issues);

  const secret = newSecret(TOKEN_PREFIX);
  const token = await prisma.apiToken.create({
    data: {
      name,
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      tokenHash: sha256(secret),
      scopes,
      organizationId: principal.organizationId,
      userId: principal.id,
      createdById: viewer.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + days * 86_400_000),
    },
  });
  return { token, secret };
}

/** Tokens the viewer may see and revoke: their own and those they created; admins see all. */
export function visibleTokensWhere(viewer: Viewer) {
  if (isAdmin(viewer)) return {};
  return { OR: [{ userId: viewer.userId }, { createdById: viewer.userId }] };
}

export async function revokeApiToken(prisma: PrismaClient, viewer: Viewer, tokenId: string, now = new Date()) {
  const token = await prisma.apiToken.findFirst({ where: { id: tokenId, ...visibleTokensWhere(viewer) } });
  if (!token) throw new NotFoundError('ApiToken', tokenId);
  if (token.revokedAt) throw new ConflictError('This token is already revoked');
  return prisma.apiToken.update({ where: { id: token.id }, data: { revokedAt: now } });
}
