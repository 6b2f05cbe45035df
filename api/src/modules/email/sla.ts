import type { Tx } from '../../db/tx.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface SlaDue {
  firstResponseDue: Date | null;
  nextUpdateDue: Date | null;
  resolutionDue: Date | null;
  /** The next-update target of the policy (business seconds), when there is one: the status-update cadence. */
  nextUpdateSeconds: number | null;
  /** When the current next-update cycle started (a public update restarts it). */
  nextUpdateCycleStartedAt: Date | null;
}

const NONE: SlaDue = {
  firstResponseDue: null,
  nextUpdateDue: null,
  resolutionDue: null,
  nextUpdateSeconds: null,
  nextUpdateCycleStartedAt: null,
};

/**
 * Due times of a ticket's open SLA clocks, as the SLA module keeps them (`SlaClock`; its hook runs before ours in the
 * same transaction, so a new ticket's clocks already exist). Only reads: mail is an optional consumer of SLA data,
 * and a ticket without clocks (no policy matched) simply has no commitments to quote.
 */
export async function slaDueTimes(prisma: PrismaClient | Tx, ticketId: string): Promise<SlaDue> {
  const clocks = await prisma.slaClock.findMany({
    where: { ticketId, completedAt: null, state: { in: ['RUNNING', 'PAUSED', 'BREACHED'] } },
    select: { kind: true, dueAt: true, targetSeconds: true, cycleStartedAt: true },
  });
  if (clocks.length === 0) return NONE;
  const due = { ...NONE };
  for (const c of clocks) {
    if (c.kind === 'FIRST_RESPONSE') due.firstResponseDue = c.dueAt;
    if (c.kind === 'RESOLUTION') due.resolutionDue = c.dueAt;
    if (c.kind === 'NEXT_UPDATE') {
      due.nextUpdateDue = c.dueAt;
      due.nextUpdateSeconds = c.targetSeconds;
      due.nextUpdateCycleStartedAt = c.cycleStartedAt;
    }
  }
  return due;
}
