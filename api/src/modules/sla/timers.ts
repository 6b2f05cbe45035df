import type { Tx } from '../../db/tx.js';
import type { SlaTimerKind } from '../../generated/prisma/enums.js';

export interface NewTimer {
  kind: SlaTimerKind;
  ticketId: string;
  dueAt: Date;
  clockId?: string | null;
  generation?: number;
  percent?: number | null;
  escalationId?: string | null;
}

/** Earliest due time of a timer this process scheduled since the loop last looked (the embedded loop's wake-up). */
let hint = Number.POSITIVE_INFINITY;

export function peekTimerHint(): number {
  return hint;
}

export function takeTimerHint(): number {
  const value = hint;
  hint = Number.POSITIVE_INFINITY;
  return value;
}

export async function scheduleTimers(tx: Tx, timers: NewTimer[]): Promise<void> {
  if (timers.length === 0) return;
  for (const t of timers) hint = Math.min(hint, t.dueAt.getTime());
  await tx.slaTimer.createMany({
    data: timers.map((t) => ({
      kind: t.kind,
      ticketId: t.ticketId,
      dueAt: t.dueAt,
      clockId: t.clockId ?? null,
      generation: t.generation ?? 0,
      percent: t.percent ?? null,
      escalationId: t.escalationId ?? null,
    })),
  });
}

/**
 * Drops a clock's or an escalation's pending timers without waiting: a timer the scheduler holds right now is
 * skipped (SKIP LOCKED), and the scheduler will find it stale. Never blocking here is what keeps the lock order
 * (ticket → clock → timer for changes, timer → ticket → clock for the scheduler) free of deadlocks.
 */
export async function dropPendingTimers(tx: Tx, by: { clockId?: string; escalationId?: string }): Promise<void> {
  if (by.clockId) {
    await tx.$executeRaw`DELETE FROM "SlaTimer" WHERE id IN (
      SELECT id FROM "SlaTimer" WHERE "clockId" = ${by.clockId}::uuid AND "firedAt" IS NULL FOR UPDATE SKIP LOCKED)`;
  }
  if (by.escalationId) {
    await tx.$executeRaw`DELETE FROM "SlaTimer" WHERE id IN (
      SELECT id FROM "SlaTimer" WHERE "escalationId" = ${by.escalationId}::uuid AND "firedAt" IS NULL FOR UPDATE SKIP LOCKED)`;
  }
}
