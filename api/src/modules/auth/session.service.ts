import { InvalidCredentialsError, TooManyAttemptsError } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { burnPasswordCheck, verifyPassword } from './password.js';
import { newSecret, sha256 } from './secrets.js';

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 30;

export interface LoginInput {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  sessionTtlHours: number;
  now?: Date;
}

/**
 * Checks throttling before the password so a locked-out attacker learns nothing, records every attempt,
 * and answers the same way for an unknown email and a wrong password.
 */
export async function login(prisma: PrismaClient, input: LoginInput) {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const [byEmail, byIp] = await Promise.all([
    prisma.loginAttempt.findMany({
      where: { email, success: false, createdAt: { gt: since } },
      orderBy: { createdAt: 'asc' },
      select: { createdAt: true },
    }),
    input.ip ? prisma.loginAttempt.count({ where: { ip: input.ip, success: false, createdAt: { gt: since } } }) : 0,
  ]);
  if (byEmail.length >= MAX_FAILURES_PER_EMAIL || byIp >= MAX_FAILURES_PER_IP) {
    const oldest = byEmail[byEmail.length - MAX_FAILURES_PER_EMAIL]?.createdAt ?? now;
    const retryAfterMs = Math.max(1000, oldest.getTime() + THROTTLE_WINDOW_MS - now.getTime());
    throw new TooManyAttemptsError(Math.ceil(retryAfterMs / 1000));
  }

  const user = await prisma.user.findUnique({ where: { email } });
  let ok = false;
  if (user?.passwordHash && user.active) ok = await verifyPassword(input.password, user.passwordHash);
  else await burnPasswordCheck(input.password);

  await prisma.loginAttempt.create({ data: { email, ip: input.ip, success: ok, createdAt: now } });
  if (!ok || !user) throw new InvalidCredentialsError();

  const secret = newSecret();
  const expiresAt = new Date(now.getTime() + input.sessionTtlHours * 3_600_000);
  await prisma.$transaction([
    prisma.session.create({
      data: {
        tokenHash: sha256(secret),
        userId: user.id,
        expiresAt,
        createdAt: now,
        lastSeenAt: now,
        ip: input.ip,
        userAgent: input.userAgent?.slice(0, 500) ?? null,
      },
    }),
    prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: now } }),
  ]);
  return { userId: user.id, secret, expiresAt };
}

export async function logout(prisma: PrismaClient, sessionSecret: string, now = new Date()): Promise<boolean> {
  const { count } = await prisma.session.updateMany({
    where: { tokenHash: sha256(sessionSecret), revokedAt: null },
    data: { revokedAt: now },
  });
  return count > 0;
}
