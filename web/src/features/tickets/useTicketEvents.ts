import { useEffect, useRef } from 'react';
import { graphql } from '../../gql/gql';
import type { LiveTicketEventsSubscription } from '../../gql/graphql';
import { watchReconnects } from '../../lib/connection';
import { connection, subscribeWithCursor } from '../../lib/urql';

const LiveTicketEvents = graphql(`
  subscription LiveTicketEvents($after: String, $filter: TicketEventFilter) {
    ticketEvents(after: $after, filter: $filter) {
      cursor
      type
      ticketId
      occurredAt
    }
  }
`);

export type LiveTicketEvent = LiveTicketEventsSubscription['ticketEvents'];

/**
 * Calls `onEvent` for every ticket event the viewer may see (of one ticket when `ticketId` is given). The stream
 * resumes from its last cursor after a reconnect, so nothing that happened during an outage is missed.
 */
export function useTicketEvents(
  onEvent: (event: LiveTicketEvent) => void,
  { ticketId, enabled = true }: { ticketId?: string; enabled?: boolean } = {},
): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!enabled) return;
    return subscribeWithCursor(
      LiveTicketEvents,
      { after: null, filter: ticketId ? { ticketId } : null },
      (data) => data.ticketEvents.cursor,
      (data) => handler.current(data.ticketEvents),
    );
  }, [ticketId, enabled]);
}

/**
 * Runs `refresh` after events, at most once per `waitMs` (trailing), so a burst of changes (a bulk import, a
 * cascade) costs one refetch instead of dozens.
 */
export function useThrottledCallback(refresh: () => void, waitMs = 500): () => void {
  const latest = useRef(refresh);
  latest.current = refresh;
  const state = useRef<{ timer: ReturnType<typeof setTimeout> | null; last: number }>({ timer: null, last: 0 });
  useEffect(
    () => () => {
      if (state.current.timer) clearTimeout(state.current.timer);
    },
    [],
  );
  const trigger = useRef(() => {
    const s = state.current;
    if (s.timer) return;
    const wait = Math.max(0, s.last + waitMs - Date.now());
    s.timer = setTimeout(() => {
      s.timer = null;
      s.last = Date.now();
      latest.current();
    }, wait);
  });
  return trigger.current;
}

/** Runs `onReconnect` whenever the live connection comes back after an outage. */
export function useOnReconnect(onReconnect: () => void): void {
  const handler = useRef(onReconnect);
  handler.current = onReconnect;
  useEffect(() => watchReconnects(connection, () => handler.current()), []);
}
