export interface BackoffOptions {
  /** Delay scale for the first retry. */
  baseMs?: number;
  /** No single wait exceeds this. */
  capMs?: number;
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": half the exponential step is fixed, half is random. The fixed half keeps
 * a broken server from being hammered; the random half spreads a room full of wallboards that all lost the
 * connection at the same moment (a deploy) so they do not reconnect in lockstep.
 */
export function backoffDelay(
  attempt: number,
  { baseMs = 1000, capMs = 30_000, random = Math.random }: BackoffOptions = {},
) {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Waits `ms`, but wakes early when the browser regains the network or the tab becomes visible again, since a
 * sleeping laptop or a TV that lost Wi-Fi would otherwise sit out the rest of a 30 s backoff for nothing.
 */
export function waitForRetry(ms: number, target: EventTarget | undefined = globalThis.window): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      target?.removeEventListener('online', done);
      globalThis.document?.removeEventListener('visibilitychange', onVisible);
      resolve();
    };
    const onVisible = () => {
      if (globalThis.document?.visibilityState === 'visible') done();
    };
    const timer = setTimeout(done, ms);
    target?.addEventListener('online', done);
    globalThis.document?.addEventListener('visibilitychange', onVisible);
  });
}
