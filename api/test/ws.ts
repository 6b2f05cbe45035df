import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Collected<T> {
  items: T[];
  errors: unknown[];
  done: boolean;
  /** Resolves when at least `n` items have arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<T[]>;
  stop(): void;
  client: Client;
}

/** Subscribes over graphql-ws with a bearer token and collects what arrives. */
export function subscribe<T = Record<string, any>>(
  wsUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Collected<T> {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  const waiters: (() => void)[] = [];
  const state: Collected<T> = {
    items: [],
    errors: [],
    done: false,
    client,
    waitFor: (n, ms = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (state.items.length >= n) {
            resolve(state.items);
            return true;
          }
          if (state.done) {
            reject(new Error(`subscription ended after ${state.items.length} items: ${JSON.stringify(state.errors)}`));
            return true;
          }
          return false;
        };
        if (check()) return;
        const timer = setTimeout(() => reject(new Error(`timed out with ${state.items.length}/${n} items`)), ms);
        const waiter = () => {
          if (check()) clearTimeout(timer);
          else waiters.push(waiter);
        };
        waiters.push(waiter);
      }),
    stop: () => {
      unsubscribe();
      void client.dispose();
    },
  };
  const notify = () => {
    for (const w of waiters.splice(0)) w();
  };
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (msg) => {
        if (msg.errors) state.errors.push(...msg.errors);
        if (msg.data) state.items.push(msg.data as T);
        notify();
      },
      error: (err) => {
        state.errors.push(err);
        state.done = true;
        notify();
      },
      complete: () => {
        state.done = true;
        notify();
      },
    },
  );
  return state;
}
