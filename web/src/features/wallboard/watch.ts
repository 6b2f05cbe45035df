import { formatCountdown } from '../../lib/time';

export interface BoardTicket {
  ticketId: string;
  number: string;
  title: string;
  priority: string;
  status: string;
  target: string;
  dueAt: string;
  breachedAt?: string | null;
  groupName?: string | null;
  organizationName: string;
}

/** Overdue time for a board: "+4:05" under an hour, then "+3h 46m", then "+2d 4h" (never wider than 7 characters). */
export function formatOverdue(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 3600) return `+${formatCountdown(s)}`;
  const hours = Math.floor(s / 3600);
  if (hours < 10) return `+${hours}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (hours < 24) return `+${hours}h`;
  const days = Math.floor(hours / 24);
  return days < 10 ? `+${days}d ${hours % 24}h` : `+${days}d`;
}

export interface WatchRow extends BoardTicket {
  /** Seconds to the due time on the server's clock (negative: overdue). */
  remaining: number;
  breached: boolean;
  /** "12:04" ticking down, or "+1:02:03" overdue. */
  countdown: string;
  /** Further targets of the same ticket on the watch (shown once, by its most urgent target). */
  otherTargets: number;
}

/**
 * The board's SLA watch: breached and at-risk targets as one list, soonest due first, so breached ones (due in the
 * past) lead; one row per ticket, by its most urgent target. A target whose countdown passes zero between two pushes
 * turns breached here at once, in place.
 */
export function watchList(
  breached: readonly BoardTicket[],
  atRisk: readonly BoardTicket[],
  serverNow: number,
): WatchRow[] {
  const seen = new Set<string>();
  const rows: WatchRow[] = [];
  for (const [t, isBreached] of [
    ...breached.map((t) => [t, true] as const),
    ...atRisk.map((t) => [t, false] as const),
  ]) {
    const key = `${t.ticketId}:${t.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const remaining = Math.round((Date.parse(t.dueAt) - serverNow) / 1000);
    const breachedNow = isBreached || !!t.breachedAt || remaining <= 0;
    rows.push({
      ...t,
      remaining,
      breached: breachedNow,
      countdown: breachedNow ? formatOverdue(-remaining) : formatCountdown(remaining),
      otherTargets: 0,
    });
  }
  rows.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.number.localeCompare(b.number));
  const byTicket = new Map<string, WatchRow>();
  for (const row of rows) {
    const first = byTicket.get(row.ticketId);
    if (first) first.otherTargets += 1;
    else byTicket.set(row.ticketId, row);
  }
  return [...byTicket.values()];
}
