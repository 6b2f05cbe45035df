import { useEffect, useMemo } from 'react';
import { useSubscription } from 'urql';
import { ConnectionBanner, ConnectionPill } from '../../features/connection/ConnectionStatus';
import { summarizeConnection } from '../../features/connection/summary';
import { BigClock } from '../../features/wallboard/BigClock';
import { Board } from '../../features/wallboard/Board';
import { useServerClock } from '../../features/wallboard/useServerClock';
import { graphql } from '../../gql/gql';
import type { WallboardScope, WallboardSubscription } from '../../gql/graphql';
import { useConnectionState } from '../../lib/connection';
import { useLocation } from '../../lib/router';
import { useNow, useSecondTicker } from '../../lib/time';
import { connection } from '../../lib/urql';
import './wallboard.css';

/**
 * The server pushes the whole board at once on subscribe, whenever it changes (at most once a second) and every
 * 15 s regardless. So after any reconnect — network blip, API restart, deploy — resubscribing *is* resuming: the
 * first push is the complete current state, and there is no event cursor to carry over for the board. (The agent
 * workspace's ticket event stream is different: it resumes from its cursor, see lib/ws.ts trackCursor.)
 */
const WallboardDocument = graphql(`
  subscription Wallboard($scope: WallboardScope) {
    wallboardUpdated(scope: $scope) {
      generatedAt
      ...Board_WallboardFragment
    }
  }
`);

const REFRESH_EVERY_MS = 15_000;

/** `?group=<id>` or `?org=<id>` scope the board; `?title=` names it. */
export function scopeFromSearch(search: URLSearchParams): WallboardScope | null {
  const resolverGroupId = search.get('group') || null;
  const organizationId = search.get('org') || null;
  return resolverGroupId || organizationId ? { resolverGroupId, organizationId } : null;
}

/** Keeps the TV from dimming or sleeping while the board is visible; best effort, not every browser has it. */
function useScreenWakeLock() {
  useEffect(() => {
    if (!('wakeLock' in navigator)) return;
    let sentinel: WakeLockSentinel | null = null;
    let cancelled = false;
    const acquire = () => {
      if (document.visibilityState !== 'visible') return;
      navigator.wakeLock.request('screen').then(
        (s) => {
          if (cancelled) void s.release();
          else sentinel = s;
        },
        () => undefined,
      );
    };
    acquire();
    // The browser drops the lock whenever the page is hidden; take it again on return.
    document.addEventListener('visibilitychange', acquire);
    return () => {
      cancelled = true;
      document.removeEventListener('visibilitychange', acquire);
      void sentinel?.release().catch(() => undefined);
    };
  }, []);
}

/** A board never scrolls: whatever does not fit is summarised ("+ 3 more"), not pushed below the fold. */
function useNoPageScroll() {
  useEffect(() => {
    const root = document.documentElement;
    const previous = root.style.overflow;
    root.style.overflow = 'hidden';
    return () => {
      root.style.overflow = previous;
    };
  }, []);
}

interface Received {
  board: WallboardSubscription['wallboardUpdated'];
  /** Local time the push arrived. */
  at: number;
  /** The board's own clock (the server's app clock) minus ours: countdowns run on the clock that decided them. */
  offsetMs: number;
}

export function WallboardPage() {
  const { search } = useLocation();
  const scopeKey = `${search.get('group') ?? ''}|${search.get('org') ?? ''}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the scope changes only with these two parameters.
  const scope = useMemo(() => scopeFromSearch(search), [scopeKey]);
  const title = search.get('title') || (scope ? 'Service desk (filtered)' : 'Service desk');

  const [{ data: received, error }] = useSubscription<WallboardSubscription, Received | undefined>(
    { query: WallboardDocument, variables: { scope } },
    (_previous, data) => {
      const board = data.wallboardUpdated;
      const at = Date.now();
      return { board, at, offsetMs: Date.parse(board.generatedAt) - at };
    },
  );
  const clock = useServerClock();
  const state = useConnectionState(connection);
  const now = useNow(1000);
  // "Updated N s ago" is about the board's data, which the server re-sends at least every 15 s.
  const summary = summarizeConnection({ ...state, lastDataAt: received?.at ?? null }, now, REFRESH_EVERY_MS);
  const serverNow = useSecondTicker(received?.offsetMs ?? clock.offsetMs);
  useScreenWakeLock();
  useNoPageScroll();

  return (
    <div className={`wallboard wb--${summary.tone}`} data-tone={summary.tone}>
      <title>{`${title} · Wallboard`}</title>
      <header className="wb-header">
        <div className="wb-header__title">
          <h1>{title}</h1>
          <p className="wb-header__scope">{scope ? 'Scoped board' : 'All groups and customers'}</p>
        </div>
        <div className="wb-header__status">
          <ConnectionPill summary={summary} />
        </div>
        <BigClock offsetMs={clock.offsetMs} serverTime={clock.lastServerTime} dimmed={summary.tone === 'bad'} />
      </header>
      <main className="wb-main" aria-busy={!received}>
        {received ? (
          <Board board={received.board} serverNow={serverNow} />
        ) : (
          <div className="wb-waiting" role="status">
            {error ? error.message : 'Waiting for the first update…'}
          </div>
        )}
      </main>
      {/* An overlay, not a row: appearing and disappearing it moves nothing on the board. */}
      <ConnectionBanner summary={summary} />
    </div>
  );
}
