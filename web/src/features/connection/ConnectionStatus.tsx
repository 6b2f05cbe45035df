import { useConnectionState } from '../../lib/connection';
import { useNow } from '../../lib/time';
import { connection } from '../../lib/urql';
import { type ConnectionSummary, summarizeConnection } from './summary';

export function useConnectionSummary(expectedEveryMs: number): ConnectionSummary {
  const state = useConnectionState(connection);
  const now = useNow(1000);
  return summarizeConnection(state, now, expectedEveryMs);
}

export function ConnectionPill({ summary }: { summary: ConnectionSummary }) {
  return (
    <div className={`status-pill status-pill--${summary.tone}`} data-testid="connection-status">
      <span className="status-pill__dot" aria-hidden="true" />
      <span className="status-pill__label">{summary.label}</span>
      <span className="status-pill__updated" data-testid="updated-ago">
        {summary.updated}
      </span>
    </div>
  );
}

export function ConnectionBanner({ summary }: { summary: ConnectionSummary }) {
  // The live region stays mounted; only its content comes and goes, so assistive tech announces it.
  return (
    <div className="connection-banner-slot" role="alert" aria-atomic="true">
      {summary.problem ? (
        <div className={`connection-banner connection-banner--${summary.tone}`} data-testid="connection-banner">
          {summary.problem}
        </div>
      ) : null}
    </div>
  );
}

/**
 * The workspace's small live indicator. Agents' pages get events only when something changes, so silence is normal
 * here; only the socket's state matters.
 */
export function ConnectionDot() {
  const state = useConnectionState(connection);
  const lost = state.status === 'disconnected' || (state.status === 'connecting' && state.lastClose !== null);
  const tone = state.status === 'connected' ? 'ok' : lost ? 'bad' : 'neutral';
  const text =
    state.status === 'connected'
      ? 'Live'
      : lost
        ? 'Offline, reconnecting…'
        : state.status === 'idle'
          ? ''
          : 'Connecting…';
  return (
    <span className={`live-dot live-dot--${tone}`} role="status" data-testid="live-indicator">
      {text ? (
        <>
          <span className="live-dot__dot" aria-hidden="true" />
          {text}
        </>
      ) : null}
    </span>
  );
}
