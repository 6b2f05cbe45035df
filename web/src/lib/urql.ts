import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient as createWsClient } from 'graphql-ws';
import { Client, fetchExchange, stringifyDocument, subscriptionExchange } from 'urql';
import schema from '../gql/introspection';
import { backoffDelay, waitForRetry } from './backoff';
import { embeddedTypeKeys } from './cache';
import { ConnectionMonitor } from './connection';
import { getKioskToken } from './kioskToken';
import { closeOnMissedPong, graphqlWsUrl, resilientSubscribe, trackCursor } from './ws';

/** State of the live connection; read it with `useConnectionState(connection)`. */
export const connection = new ConnectionMonitor();

function authorization(): string | null {
  const token = getKioskToken();
  return token ? `Bearer ${token}` : null;
}

const wsClient = createWsClient({
  // Evaluated per connection attempt, so a token stored after start-up is picked up on the next reconnect.
  url: () => graphqlWsUrl(window.location),
  connectionParams: () => {
    const value = authorization();
    // Without a token the server falls back to the session cookie sent with the upgrade request.
    return value ? { authorization: value } : {};
  },
  lazy: true,
  // Navigating between live pages should not drop and reopen the socket.
  lazyCloseTimeout: 5_000,
  keepAlive: 10_000,
  retryAttempts: Number.POSITIVE_INFINITY,
  shouldRetry: () => true,
  retryWait: (retries) => {
    const ms = backoffDelay(retries);
    connection.retryScheduled(ms);
    return waitForRetry(ms);
  },
  on: {
    connecting: () => connection.connecting(),
    connected: () => connection.connected(),
    message: (message) => connection.message(message.type),
    closed: (event) => {
      const { code, reason } = (event ?? {}) as { code?: number; reason?: string };
      connection.closed(code ?? 1006, reason ?? '');
    },
  },
});
closeOnMissedPong(wsClient, 5_000);

/** The application's one urql client: normalized cache, HTTP for queries and mutations, graphql-ws for subscriptions. */
export const client = new Client({
  url: '/graphql',
  // POST only: GET would put variables in the server's access log.
  preferGetMethod: false,
  fetchOptions: () => {
    const value = authorization();
    const headers: Record<string, string> = value ? { authorization: value } : {};
    return { credentials: 'same-origin', headers };
  },
  exchanges: [
    cacheExchange({
      schema,
      keys: embeddedTypeKeys(schema),
      updates: {
        Mutation: {
          login(result, _args, cache) {
            const login = (result as { login?: { __typename?: string; user?: { __typename?: string; id?: string } } })
              .login;
            if (login?.__typename === 'LoginPayload' && login.user?.id) {
              cache.link('Query', 'me', cache.keyOfEntity({ __typename: 'User', id: login.user.id }));
            }
          },
        },
      },
    }),
    fetchExchange,
    subscriptionExchange({
      forwardSubscription(request) {
        const payload = { ...request, query: request.query ?? '' };
        return {
          subscribe: (sink) => ({ unsubscribe: resilientSubscribe(wsClient, payload, sink, { monitor: connection }) }),
        };
      },
    }),
  ],
});

/**
 * A subscription outside urql's cache, for event streams whose values are signals rather than data to keep
 * (`ticketEvents`): resumes from the last cursor after any reconnect (see trackCursor). Returns the unsubscribe.
 */
export function subscribeWithCursor<Data, Variables extends Record<string, unknown>>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  cursorOf: (data: Data) => string | null | undefined,
  onData: (data: Data) => void,
): () => void {
  const payload = { query: stringifyDocument(document), variables: { ...variables } as Record<string, unknown> };
  const sink = {
    next: (value: { data?: Data | null }) => {
      if (value.data) onData(value.data);
    },
    error: (error: unknown) => console.warn('subscription failed', error),
    complete: () => undefined,
  };
  return resilientSubscribe<Data>(wsClient, payload, trackCursor<Data>(payload, sink, cursorOf), {
    monitor: connection,
  });
}
