import { useSyncExternalStore } from 'react';

/**
 * idle: no subscription needs a socket (graphql-ws connects lazily); connecting: opening or waiting for the
 * server's ack; connected: acknowledged; disconnected: lost, a retry is scheduled (see nextRetryAt).
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'disconnected';

export interface ConnectionState {
  status: ConnectionStatus;
  /** When the status last changed (ms since epoch). */
  since: number;
  /** Last frame of any kind from the server, pings included: proves the socket is alive. */
  lastMessageAt: number | null;
  /** Last `next` (data) frame: what "updated N s ago" means to someone reading the board. */
  lastDataAt: number | null;
  /** Failed attempts since the last successful connection. */
  attempt: number;
  nextRetryAt: number | null;
  /** Why the last socket closed; 4401/4403 mean the credential was missing or refused. */
  lastClose: { code: number; reason: string } | null;
  activeSubscriptions: number;
}

type Listener = () => void;

/** The observable state of the one graphql-ws connection, fed by the client's events (see lib/urql.ts). */
export class ConnectionMonitor {
  private state: ConnectionState;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly now: () => number = Date.now) {
    this.state = {
      status: 'idle',
      since: now(),
      lastMessageAt: null,
      lastDataAt: null,
      attempt: 0,
      nextRetryAt: null,
      lastClose: null,
      activeSubscriptions: 0,
    };
  }

  getState = (): ConnectionState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private update(patch: Partial<ConnectionState>) {
    const next = { ...this.state, ...patch };
    if (patch.status && patch.status !== this.state.status) next.since = this.now();
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }

  connecting(): void {
    this.update({ status: 'connecting', nextRetryAt: null });
  }

  connected(): void {
    this.update({ status: 'connected', attempt: 0, nextRetryAt: null, lastClose: null, lastMessageAt: this.now() });
  }

  message(type: string): void {
    const at = this.now();
    this.update(type === 'next' ? { lastMessageAt: at, lastDataAt: at } : { lastMessageAt: at });
  }

  closed(code: number, reason: string): void {
    // A normal close with nobody subscribed is graphql-ws letting go of an unused socket, not an outage.
    const idle = this.state.activeSubscriptions === 0 && code === 1000;
    this.update({ status: idle ? 'idle' : 'disconnected', lastClose: idle ? null : { code, reason } });
  }

  /** Called with each backoff delay; counts the attempt and tells the UI when the next one is due. */
  retryScheduled(delayMs: number): void {
    this.update({
      status: this.state.status === 'connected' ? 'connected' : 'disconnected',
      attempt: this.state.attempt + 1,
      nextRetryAt: this.now() + delayMs,
    });
  }

  subscriptionStarted(): void {
    this.update({ activeSubscriptions: this.state.activeSubscriptions + 1 });
  }

  subscriptionEnded(): void {
    const activeSubscriptions = Math.max(0, this.state.activeSubscriptions - 1);
    this.update(
      activeSubscriptions === 0 && this.state.status !== 'connected'
        ? { activeSubscriptions, status: 'idle' }
        : { activeSubscriptions },
    );
  }
}

export function useConnectionState(monitor: ConnectionMonitor): ConnectionState {
  return useSyncExternalStore(monitor.subscribe, monitor.getState, monitor.getState);
}

/**
 * Calls `onReconnect` each time the connection comes back after being lost (not on the first connect). Pages that
 * show lists re-read them then: whatever changed during the outage is on screen again even without an event cursor.
 */
export function watchReconnects(monitor: ConnectionMonitor, onReconnect: () => void): () => void {
  let wasLost = monitor.getState().status === 'disconnected';
  return monitor.subscribe(() => {
    const { status } = monitor.getState();
    if (status === 'disconnected') wasLost = true;
    else if (status === 'connected' && wasLost) {
      wasLost = false;
      onReconnect();
    }
  });
}
