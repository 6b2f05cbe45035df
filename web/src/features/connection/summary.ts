import type { ConnectionState } from '../../lib/connection';
import { formatDuration, formatUpdatedAgo, freshness } from '../../lib/time';

export type Tone = 'ok' | 'warn' | 'bad' | 'neutral';

export interface ConnectionSummary {
  tone: Tone;
  /** Short, for the status pill. */
  label: string;
  /** "updated 4 s ago". */
  updated: string;
  /** A sentence for the banner; null when everything is fine. */
  problem: string | null;
}

/**
 * Turns the raw connection state into what the board says. `expectedEveryMs` is how often data normally arrives,
 * so "late" and "stale" mean something for the board at hand.
 */
export function summarizeConnection(state: ConnectionState, now: number, expectedEveryMs: number): ConnectionSummary {
  const updated = formatUpdatedAgo(state.lastDataAt, now);
  const code = state.lastClose?.code;
  const retry =
    state.nextRetryAt && state.nextRetryAt > now
      ? `Retrying in ${formatDuration((state.nextRetryAt - now) / 1000)}.`
      : 'Retrying…';
  const lastUpdate = state.lastDataAt
    ? ` Last update ${formatUpdatedAgo(state.lastDataAt, now).replace(/^updated /, '')}.`
    : '';
  if (state.status !== 'connected' && code === 4401) {
    return {
      tone: 'bad',
      label: 'Not signed in',
      updated,
      problem: `Not signed in: open this board with its token link (…/wallboard#token=…). ${retry}`,
    };
  }
  if (state.status !== 'connected' && code === 4403) {
    return {
      tone: 'bad',
      label: 'Access refused',
      updated,
      problem: `Access refused: the wallboard token is invalid, expired or revoked. ${retry}`,
    };
  }
  if (state.status === 'disconnected' || (state.status === 'connecting' && state.lastClose)) {
    const reconnect = retry === 'Retrying…' ? 'Reconnecting…' : retry.replace('Retrying', 'Reconnecting');
    return { tone: 'bad', label: 'Disconnected', updated, problem: `Connection lost. ${reconnect}${lastUpdate}` };
  }
  if (state.status === 'connecting' || state.status === 'idle')
    return { tone: 'neutral', label: 'Connecting…', updated, problem: null };
  const fresh = freshness(state.lastDataAt, now, expectedEveryMs);
  if (fresh === 'stale' && state.lastDataAt !== null) {
    return {
      tone: 'warn',
      label: 'No updates',
      updated,
      problem: `Connected, but no updates are arriving (${updated}).`,
    };
  }
  return { tone: fresh === 'late' ? 'warn' : 'ok', label: 'Live', updated, problem: null };
}
