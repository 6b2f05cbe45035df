import type { SlaState } from '../../gql/graphql';
import { formatCountdown } from '../../lib/time';

/**
 * ok: running with time to spare; warn: running and due soon (or past `warnPercent` of its target); bad: breached;
 * paused / done / none: not counting. Every tone has its own icon and word, never colour alone.
 */
export type SlaTone = 'ok' | 'warn' | 'bad' | 'paused' | 'done' | 'none';

export interface SlaTargetLike {
  kind?: string;
  state: SlaState;
  dueAt?: string | null;
  targetSeconds?: number | null;
  breachedAt?: string | null;
}

export interface SlaStanding {
  tone: SlaTone;
  /** Seconds until due (negative when overdue); null when the target does not count down. */
  remainingSeconds: number | null;
  /** Short text: "12:04 left", "overdue 1:02:03", "paused", "met". */
  text: string;
}

/** A countdown that stays short: "14:05", "3:02:10", or "2 d 11 h" beyond a day. */
export function formatLeft(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 86_400) return formatCountdown(s);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  return hours ? `${days} d ${hours} h` : `${days} d`;
}

/** Due within this many seconds counts as at risk, whatever the target's length. */
export const AT_RISK_SECONDS = 30 * 60;

export function slaStanding(target: SlaTargetLike, now: number, warnPercent = 75): SlaStanding {
  const due = target.dueAt ? Date.parse(target.dueAt) : Number.NaN;
  const remaining = Number.isNaN(due) ? null : Math.round((due - now) / 1000);
  switch (target.state) {
    case 'MET':
      return { tone: 'done', remainingSeconds: null, text: 'met' };
    case 'CANCELLED':
    case 'NOT_APPLICABLE':
      return { tone: 'none', remainingSeconds: null, text: target.state === 'CANCELLED' ? 'cancelled' : 'none' };
    case 'PAUSED':
      return { tone: 'paused', remainingSeconds: remaining, text: 'paused' };
    case 'BREACHED':
      return {
        tone: 'bad',
        remainingSeconds: remaining,
        text: remaining === null ? 'breached' : `overdue ${formatLeft(-remaining)}`,
      };
    default: {
      if (remaining === null) return { tone: 'ok', remainingSeconds: null, text: 'running' };
      // The server re-evaluates on its own schedule; between pushes the countdown itself says when it is over.
      if (remaining <= 0)
        return { tone: 'bad', remainingSeconds: remaining, text: `overdue ${formatLeft(-remaining)}` };
      const used = target.targetSeconds ? 1 - remaining / target.targetSeconds : 0;
      const tone = remaining <= AT_RISK_SECONDS || used * 100 >= warnPercent ? 'warn' : 'ok';
      return { tone, remainingSeconds: remaining, text: `${formatLeft(remaining)} left` };
    }
  }
}

const TONE_RANK: Record<SlaTone, number> = { bad: 0, warn: 1, ok: 2, paused: 3, done: 4, none: 5 };

/** The target an agent should look at first: breached before at risk before running, then the soonest due. */
export function mostUrgent<T extends SlaTargetLike>(targets: readonly T[], now: number): T | null {
  let best: { target: T; rank: number; due: number } | null = null;
  for (const target of targets) {
    const standing = slaStanding(target, now);
    if (standing.tone === 'none' || standing.tone === 'done') continue;
    const rank = TONE_RANK[standing.tone];
    const due = target.dueAt ? Date.parse(target.dueAt) : Number.POSITIVE_INFINITY;
    if (!best || rank < best.rank || (rank === best.rank && due < best.due)) best = { target, rank, due };
  }
  return best?.target ?? null;
}

export const SLA_ICON: Record<SlaTone, string> = {
  ok: '●',
  warn: '◆',
  bad: '▲',
  paused: 'Ⅱ',
  done: '✓',
  none: '–',
};

export const SLA_WORD: Record<SlaTone, string> = {
  ok: 'On track',
  warn: 'At risk',
  bad: 'Breached',
  paused: 'Paused',
  done: 'Met',
  none: 'No SLA',
};
