import type { Tx } from '../../db/tx.js';
import type { TicketClass } from '../../generated/prisma/enums.js';

export const CLASS_PREFIX: Record<TicketClass, string> = {
  INCIDENT: 'INC',
  SERVICE_REQUEST: 'REQ',
  ACCESS_REQUEST: 'ACC',
  INFORMATION_REQUEST: 'INF',
  CHANGE_INQUIRY: 'CHG',
  OTHER: 'OTH',
};

export function formatNumber(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(6, '0')}`;
}

/**
 * Takes the next number of a class inside the caller's transaction. The counter row stays locked until commit, so
 * numbers are unique; a rolled-back create releases nothing that was shown to anyone, and no number is ever reissued.
 */
export async function nextTicketNumber(tx: Tx, ticketClass: TicketClass): Promise<string> {
  const prefix = CLASS_PREFIX[ticketClass];
  const rows = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO "TicketCounter" (prefix, last) VALUES (${prefix}, 1)
    ON CONFLICT (prefix) DO UPDATE SET last = "TicketCounter".last + 1
    RETURNING last`;
  return formatNumber(prefix, Number(rows[0]!.last));
}
