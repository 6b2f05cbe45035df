import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appConfig } from '../../config.js';
import type { Tx } from '../../db/tx.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

/**
 * The installation's mail keys. Outbound Message-IDs carry the installation id, the ticket, the outbox message and a
 * recipient tag, signed with an HMAC of the instance secret (as osTicket does), so a reply threads by cryptographic
 * proof rather than by a guessable number, and a reference minted by another installation is recognised as such.
 */
export interface MailKeys {
  secret: Buffer;
  /** Public: identifies this installation in Message-IDs (10 hex digits derived from the secret). */
  instanceId: string;
}

const cache = new WeakMap<object, MailKeys>();
let configured: { secret: string; keys: MailKeys } | undefined;

function keysFrom(secret: string): MailKeys {
  const buf = Buffer.from(secret, 'utf8');
  return { secret: buf, instanceId: createHmac('sha256', buf).update('itsm-instance').digest('hex').slice(0, 10) };
}

/**
 * Reads (or creates) the keys. Created inside a transaction that may roll back, a fresh secret is not cached: the
 * next caller reads whatever was committed. Every API instance on one database shares the row.
 */
export async function mailKeys(prisma: PrismaClient | Tx): Promise<MailKeys> {
  // MAIL_SECRET, when set, replaces the generated secret kept in the database.
  const secret = appConfig().mail.secret;
  if (secret) {
    if (configured?.secret !== secret) configured = { secret, keys: keysFrom(secret) };
    return configured.keys;
  }
  const cached = cache.get(prisma);
  if (cached) return cached;
  const row = await prisma.mailInstance.findUnique({ where: { id: 1 } });
  if (row) {
    const keys = keysFrom(row.secret);
    cache.set(prisma, keys);
    return keys;
  }
  await prisma.$executeRaw`INSERT INTO "MailInstance" (id, secret) VALUES (1, ${randomBytes(32).toString('base64url')}) ON CONFLICT (id) DO NOTHING`;
  const created = await prisma.mailInstance.findUniqueOrThrow({ where: { id: 1 } });
  return keysFrom(created.secret);
}

const hex = (uuid: string) => uuid.replace(/-/g, '');
const uuidOf = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

export function recipientTag(address: string): string {
  return createHash('sha256').update(address.toLowerCase()).digest('hex').slice(0, 8);
}

function mac(keys: MailKeys, data: string, length: number): string {
  return createHmac('sha256', keys.secret).update(data).digest('hex').slice(0, length);
}

/** `itsm.<instance>.<ticket>.<message>.<recipient>.<hmac>@<domain>` (without angle brackets). */
export function signedMessageId(
  keys: MailKeys,
  domain: string,
  parts: { ticketId: string | null; outboxId: string; recipient: string },
): string {
  const body = `${keys.instanceId}.${parts.ticketId ? hex(parts.ticketId) : '0'}.${hex(parts.outboxId)}.${recipientTag(parts.recipient)}`;
  return `itsm.${body}.${mac(keys, body, 24)}@${domain}`;
}

export type MessageIdVerdict =
  | { kind: 'ours'; ticketId: string | null; outboxId: string; recipientTag: string }
  | { kind: 'foreign'; instanceId: string }
  | { kind: 'forged' }
  | { kind: 'other' };

const SIGNED = /^itsm\.([0-9a-f]{10})\.([0-9a-f]{32}|0)\.([0-9a-f]{32})\.([0-9a-f]{8})\.([0-9a-f]{24})@/;

/** Ours (valid signature), another installation's (our format, another instance id), forged, or someone else's. */
export function verifyMessageId(keys: MailKeys, id: string): MessageIdVerdict {
  const m = SIGNED.exec(id);
  if (!m) return { kind: 'other' };
  const [, instance, ticket, outbox, tag, sig] = m as unknown as [string, string, string, string, string, string];
  if (instance !== keys.instanceId) return { kind: 'foreign', instanceId: instance };
  const expected = mac(keys, `${instance}.${ticket}.${outbox}.${tag}`, 24);
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(sig))) return { kind: 'forged' };
  return {
    kind: 'ours',
    ticketId: ticket === '0' ? null : uuidOf(ticket),
    outboxId: uuidOf(outbox),
    recipientTag: tag,
  };
}

/**
 * A link token for the customer's answer to one resolution: bound to the ticket and the exact resolution time, so a
 * link from an earlier resolution cannot confirm a later one. Stateless: nothing to store or expire by hand.
 */
export function resolutionToken(keys: MailKeys, ticketId: string, resolvedAt: Date): string {
  const body = `${hex(ticketId)}.${resolvedAt.getTime().toString(36)}`;
  return `${body}.${mac(keys, `resolution.${body}`, 32)}`;
}

export function verifyResolutionToken(keys: MailKeys, token: string): { ticketId: string; resolvedAt: Date } | null {
  const m = /^([0-9a-f]{32})\.([0-9a-z]{1,12})\.([0-9a-f]{32})$/.exec(token.trim());
  if (!m) return null;
  const expected = mac(keys, `resolution.${m[1]}.${m[2]}`, 32);
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(m[3]!))) return null;
  return { ticketId: uuidOf(m[1]!), resolvedAt: new Date(Number.parseInt(m[2]!, 36)) };
}
