import { createHash } from 'node:crypto';
import type { Tx } from '../../db/tx.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Channel } from '../../generated/prisma/enums.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditChange {
  action: string;
  field?: string | null;
  oldValue?: unknown;
  newValue?: unknown;
  reason?: string | null;
}

export interface AuditActor {
  actorId: string | null;
  channel: Channel;
}

interface HashedFields {
  ticketId: string;
  seq: number;
  action: string;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  actorId: string | null;
  channel: Channel;
  reason: string | null;
  createdAt: Date;
}

/** Canonical JSON (sorted keys) so the hash does not depend on how a JSON column round-trips key order. */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function auditHash(prevHash: string, entry: HashedFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonical({ ...entry, createdAt: entry.createdAt.toISOString() }))
    .digest('hex');
}

/**
 * Appends entries to a ticket's trail inside the caller's transaction. Callers hold the ticket row lock (they have
 * just inserted or version-checked-updated it), so sequence numbers and the chain cannot interleave.
 */
export async function appendAudit(tx: Tx, ticketId: string, actor: AuditActor, changes: AuditChange[], at: Date) {
  if (changes.length === 0) return;
  const last = await tx.auditEntry.findFirst({
    where: { ticketId },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows = changes.map((change) => {
    seq += 1;
    const fields: HashedFields = {
      ticketId,
      seq,
      action: change.action,
      field: change.field ?? null,
      oldValue: change.oldValue ?? null,
      newValue: change.newValue ?? null,
      actorId: actor.actorId,
      channel: actor.channel,
      reason: change.reason ?? null,
      createdAt: at,
    };
    const hash = auditHash(prevHash, fields);
    const row = {
      ...fields,
      oldValue: jsonValue(fields.oldValue),
      newValue: jsonValue(fields.newValue),
      prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  await tx.auditEntry.createMany({ data: rows });
}

function jsonValue(value: unknown) {
  // Prisma wants DbNull semantics spelled out for nullable Json; a JSON null literal is fine for the trail.
  return value === null || value === undefined ? undefined : (JSON.parse(canonical(value)) as object);
}

export interface ChainVerification {
  valid: boolean;
  entries: number;
  /** The first entry whose hash or link does not match; null when the chain is intact. */
  brokenAtSeq: number | null;
}

export async function verifyAuditChain(prisma: PrismaClient | Tx, ticketId: string): Promise<ChainVerification> {
  const rows = await prisma.auditEntry.findMany({ where: { ticketId }, orderBy: { seq: 'asc' } });
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    const recomputed = auditHash(prevHash, {
      ticketId: row.ticketId,
      seq: row.seq,
      action: row.action,
      field: row.field,
      oldValue: row.oldValue ?? null,
      newValue: row.newValue ?? null,
      actorId: row.actorId,
      channel: row.channel,
      reason: row.reason,
      createdAt: row.createdAt,
    });
    if (row.seq !== expectedSeq || row.prevHash !== prevHash || row.hash !== recomputed) {
      return { valid: false, entries: rows.length, brokenAtSeq: row.seq };
    }
    prevHash = row.hash;
    expectedSeq += 1;
  }
  return { valid: true, entries: rows.length, brokenAtSeq: null };
}
