import { useEffect } from 'react';
import { ConnectionBanner, ConnectionPill, useConnectionSummary } from '../../features/connection/ConnectionStatus';
import { BigClock } from '../../features/wallboard/BigClock';
import { useServerClock } from '../../features/wallboard/useServerClock';
import './wallboard.css';

const CLOCK_INTERVAL_MS = 1000;

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

export function WallboardPage() {
  const clock = useServerClock();
  const summary = useConnectionSummary(CLOCK_INTERVAL_MS);
  useScreenWakeLock();

  return (
    <div className="wallboard" data-tone={summary.tone}>
      <title>Wallboard · ITSM</title>
      <ConnectionBanner summary={summary} />
      <header className="wallboard__header">
        <h1 className="wallboard__title">Service desk</h1>
        <ConnectionPill summary={summary} />
      </header>
      <main className="wallboard__main">
        <BigClock offsetMs={clock.offsetMs} serverTime={clock.lastServerTime} dimmed={summary.tone === 'bad'} />
        {clock.error && !summary.problem ? (
          <p className="wallboard__error" role="alert">
            {clock.error.message}
          </p>
        ) : null}
      </main>
      <footer className="wallboard__footer">
        {['Open tickets', 'SLA at risk', 'Escalations'].map((name) => (
          <section key={name} className="panel" aria-label={name}>
            <h2 className="panel__title">{name}</h2>
            <p className="panel__value">
              <span aria-hidden="true">—</span>
              <span className="visually-hidden">not available yet</span>
            </p>
          </section>
        ))}
      </footer>
    </div>
  );
}
