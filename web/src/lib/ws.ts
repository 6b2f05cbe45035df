import type { FormattedExecutionResult } from 'graphql';
import type { Sink, SubscribePayload, Client as WsClient } from 'graphql-ws';
import { backoffDelay, waitForRetry } from './backoff';
import type { ConnectionMonitor } from './connection';

/** The graphql-ws endpoint on the page's own origin: ws: for http:, wss: for https:. */
export function graphqlWsUrl(location: Pick<Location, 'protocol' | 'host'>, path = '/graphql'): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}`;
}

export function isCloseEventLike(value: unknown): value is { code: number; reason: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    typeof value.code === 'number' &&
    'reason' in value
  );
}

/**
 * graphql-ws retries transient closes itself (retryAttempts: Infinity) but gives up for good on a few close codes
 * it deems fatal (4400, 4401, 4500 …). A server whose database blips during connection_init answers 4500, and a
 * wallboard on a wall must not stay dead after that. So when a subscription fails at the connection level, subscribe
 * again after a backoff; GraphQL errors (the operation itself is wrong or forbidden) still go to the caller.
 */
export function resilientSubscribe<Data = Record<string, unknown>, Extensions = unknown>(
  client: Pick<WsClient, 'subscribe' | 'on'>,
  payload: SubscribePayload,
  sink: Sink<FormattedExecutionResult<Data, Extensions>>,
  options: {
    monitor?: ConnectionMonitor;
    delay?: (attempt: number) => number;
    wait?: (ms: number) => Promise<void>;
  } = {},
): () => void {
  const { monitor, delay = backoffDelay, wait = waitForRetry } = options;
  let disposed = false;
  let attempt = 0;
  let unsubscribe: () => void = () => {};
  const offConnected = client.on('connected', () => {
    attempt = 0;
  });

  const start = () => {
    if (disposed) return;
    unsubscribe = client.subscribe<Data, Extensions>(payload, {
      next: (value) => sink.next(value),
      error: (error) => {
        if (disposed) return;
        if (!isCloseEventLike(error)) {
          sink.error(error);
          return;
        }
        const ms = delay(attempt++);
        monitor?.retryScheduled(ms);
        void wait(ms).then(start);
      },
      complete: () => {
        if (!disposed) sink.complete();
      },
    });
  };

  monitor?.subscriptionStarted();
  start();
  return () => {
    if (disposed) return;
    disposed = true;
    offConnected();
    unsubscribe();
    monitor?.subscriptionEnded();
  };
}

/**
 * A TV on flaky Wi-Fi can hold a half-open socket for minutes without a close event. graphql-ws sends our pings
 * (keepAlive); if the pong does not come back within `timeoutMs`, close the socket ourselves (4408) so the
 * retry logic takes over.
 */
export function closeOnMissedPong(client: Pick<WsClient, 'on'>, timeoutMs: number): () => void {
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const offs = [
    client.on('connected', (s) => {
      socket = s as WebSocket;
    }),
    client.on('closed', () => {
      socket = null;
      clearTimeout(timer);
    }),
    client.on('ping', (received) => {
      if (received) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (socket && socket.readyState === socket.OPEN) socket.close(4408, 'Request Timeout');
      }, timeoutMs);
    }),
    client.on('pong', (received) => {
      if (received) clearTimeout(timer);
    }),
  ];
  return () => {
    clearTimeout(timer);
    for (const off of offs) off();
  };
}

/**
 * Keeps a cursor-carrying subscription (`ticketEvents(after:)`) resumable: every value's cursor is written into the
 * payload's `after` variable. graphql-ws serialises the payload again whenever it (re)subscribes — its own retries
 * and resilientSubscribe's alike — so after an outage the server replays exactly what was missed, no gap and no
 * duplicate, instead of going live from "now".
 */
export function trackCursor<Data>(
  payload: SubscribePayload,
  sink: Sink<FormattedExecutionResult<Data>>,
  cursorOf: (data: Data) => string | null | undefined,
): Sink<FormattedExecutionResult<Data>> {
  return {
    next: (value) => {
      const cursor = value.data ? cursorOf(value.data) : null;
      // SubscribePayload is typed read-only, but it is ours: mutating it is how the next (re)subscribe learns.
      if (cursor) (payload as { variables?: unknown }).variables = { ...payload.variables, after: cursor };
      sink.next(value);
    },
    error: (error) => sink.error(error),
    complete: () => sink.complete(),
  };
}
