/**
 * SLA clock arithmetic, pure: a ledger of running and paused segments plus a business calendar give the business
 * time used, the due time and the moment each threshold is reached. Nothing here reads the database or the clock.
 */
import { addBusinessMs, businessMsBetween, type CalendarSpec } from '../calendar/calendar.js';

export type TargetKind = 'FIRST_RESPONSE' | 'NEXT_UPDATE' | 'RESOLUTION';

export interface LedgerSegment {
  kind: 'RUNNING' | 'PAUSED';
  reason: string;
  startedAt: Date;
  /** Null for the open (current) segment. */
  endedAt: Date | null;
}

/** Business ms the running segments have used by `now`. */
export function elapsedMs(cal: CalendarSpec, segments: readonly LedgerSegment[], now: Date): number {
  let total = 0;
  for (const s of segments) {
    if (s.kind !== 'RUNNING' || s.startedAt >= now) continue;
    const end = s.endedAt && s.endedAt < now ? s.endedAt : now;
    total += businessMsBetween(cal, s.startedAt, end);
  }
  return total;
}

/**
 * The instant the running segments accumulate `ms` of business time: inside a closed segment when it was reached
 * there, from the open running segment otherwise; null when the ledger stops (paused) before reaching it.
 */
export function instantAtElapsed(cal: CalendarSpec, segments: readonly LedgerSegment[], ms: number): Date | null {
  let used = 0;
  for (const s of segments) {
    if (s.kind !== 'RUNNING') continue;
    const left = ms - used;
    if (left <= 0) return new Date(s.startedAt);
    if (!s.endedAt) return addBusinessMs(cal, s.startedAt, left);
    const inSegment = businessMsBetween(cal, s.startedAt, s.endedAt);
    if (inSegment >= left) return addBusinessMs(cal, s.startedAt, left);
    used += inSegment;
  }
  return null;
}

export function isRunning(segments: readonly LedgerSegment[]): boolean {
  const last = segments.at(-1);
  return !!last && last.kind === 'RUNNING' && last.endedAt === null;
}

export interface ClockStatus {
  running: boolean;
  elapsedMs: number;
  /** Null while paused short of the target. */
  dueAt: Date | null;
  /** Negative once past due. */
  remainingMs: number;
  percentUsed: number;
}

export function clockStatus(
  cal: CalendarSpec,
  segments: readonly LedgerSegment[],
  targetMs: number,
  now: Date,
): ClockStatus {
  const used = elapsedMs(cal, segments, now);
  return {
    running: isRunning(segments),
    elapsedMs: used,
    dueAt: instantAtElapsed(cal, segments, targetMs),
    remainingMs: targetMs - used,
    percentUsed: targetMs > 0 ? (used / targetMs) * 100 : 100,
  };
}

export interface ThresholdPlan {
  percent: number;
  at: Date;
}

/**
 * When each threshold above `firedPercent` will be reached. Of those already reached by `now`, only the highest is
 * kept: a late timer reports where the clock stands, not every step it missed.
 */
export function planThresholds(
  cal: CalendarSpec,
  segments: readonly LedgerSegment[],
  targetMs: number,
  percents: readonly number[],
  firedPercent: number,
  now: Date,
): ThresholdPlan[] {
  const wanted = [...new Set(percents)].filter((p) => p > firedPercent && p <= 100).sort((a, b) => a - b);
  const planned: ThresholdPlan[] = [];
  for (const percent of wanted) {
    const at = instantAtElapsed(cal, segments, (targetMs * percent) / 100);
    if (at) planned.push({ percent, at });
  }
  const past = planned.filter((p) => p.at <= now);
  const future = planned.filter((p) => p.at > now);
  return past.length ? [past.at(-1)!, ...future] : future;
}

export type StatusLike = {
  status: string;
  firstResponseAt: Date | null;
};

export type Desired =
  | { mode: 'run' }
  | { mode: 'pause'; reason: string }
  | { mode: 'complete'; reason: string }
  | { mode: 'cancel'; reason: string };

/**
 * What a target's clock should be doing for a ticket in this state. PENDING_CUSTOMER always pauses; PENDING_VENDOR
 * pauses when the policy says so; the first response completes its clock; resolving completes every clock.
 */
export function desiredMode(kind: TargetKind, ticket: StatusLike, pauseOnPendingVendor: boolean): Desired {
  if (ticket.status === 'CANCELLED') return { mode: 'cancel', reason: 'ticket cancelled' };
  if (kind === 'FIRST_RESPONSE' && ticket.firstResponseAt) return { mode: 'complete', reason: 'first response' };
  if (ticket.status === 'RESOLVED' || ticket.status === 'CLOSED')
    return { mode: 'complete', reason: `ticket ${ticket.status.toLowerCase()}` };
  if (ticket.status === 'PENDING_CUSTOMER') return { mode: 'pause', reason: 'waiting for the customer' };
  if (ticket.status === 'PENDING_VENDOR' && pauseOnPendingVendor)
    return { mode: 'pause', reason: 'waiting for a vendor' };
  return { mode: 'run' };
}

export interface PolicyLike {
  id: string;
  key: string;
  priority: string | null;
  ticketClass: string | null;
  organizationId: string | null;
}

/** The most specific matching policy: organisation (4) outweighs priority (2), which outweighs class (1). */
export function pickPolicy<P extends PolicyLike>(
  policies: readonly P[],
  ticket: { priority: string; class: string; organizationId: string },
): P | null {
  let best: P | null = null;
  let bestScore = -1;
  for (const p of policies) {
    if (p.priority && p.priority !== ticket.priority) continue;
    if (p.ticketClass && p.ticketClass !== ticket.class) continue;
    if (p.organizationId && p.organizationId !== ticket.organizationId) continue;
    const score = (p.organizationId ? 4 : 0) + (p.priority ? 2 : 0) + (p.ticketClass ? 1 : 0);
    if (score > bestScore || (score === bestScore && best && p.key < best.key)) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

export function targetSecondsOf(
  policy: { firstResponseSeconds: number | null; nextUpdateSeconds: number | null; resolutionSeconds: number | null },
  kind: TargetKind,
): number | null {
  const value =
    kind === 'FIRST_RESPONSE'
      ? policy.firstResponseSeconds
      : kind === 'NEXT_UPDATE'
        ? policy.nextUpdateSeconds
        : policy.resolutionSeconds;
  return value && value > 0 ? value : null;
}

export const TARGET_KINDS: readonly TargetKind[] = ['FIRST_RESPONSE', 'NEXT_UPDATE', 'RESOLUTION'];
