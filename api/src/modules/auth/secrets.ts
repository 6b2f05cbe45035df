import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_PREFIX = 'itsm_';

/** 256 random bits; high entropy, so a fast hash is enough at rest. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
