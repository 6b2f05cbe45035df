import type { Priority, TicketClass, TicketFilter, TicketOrder, TicketStatus } from '../../gql/graphql';
import { ALL_STATUSES, CLASSES, OPEN_STATUSES, PRIORITIES } from './labels';

export type QueueKey = 'mine' | 'groups' | 'unassigned' | 'risk' | 'waiting' | 'all';

export const QUEUES: { key: QueueKey; label: string; description: string }[] = [
  { key: 'mine', label: 'Mine', description: 'Open tickets assigned to you' },
  { key: 'groups', label: 'My groups', description: "Open tickets of a resolver group you're in" },
  { key: 'unassigned', label: 'Unassigned', description: 'Open tickets nobody has taken yet' },
  { key: 'risk', label: 'At risk / breached', description: 'SLA breached, or due soon' },
  { key: 'waiting', label: 'Waiting', description: 'Waiting on the customer or a vendor' },
  { key: 'all', label: 'All open', description: 'Every open ticket you may see' },
];

const WAITING: TicketStatus[] = ['PENDING_CUSTOMER', 'PENDING_VENDOR'];
const ORDERS: TicketOrder[] = ['PRIORITY', 'CREATED_AT_DESC', 'CREATED_AT_ASC', 'UPDATED_AT_DESC'];

export interface QueueState {
  queue: QueueKey;
  /** Empty: the queue's own default statuses. */
  status: TicketStatus[];
  priority: Priority[];
  class: TicketClass[];
  group: string | null;
  search: string;
  order: TicketOrder;
}

function list<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T[] {
  const raw = params.get(name);
  if (!raw) return [];
  return [...new Set(raw.split(','))].filter((v): v is T => (allowed as readonly string[]).includes(v));
}

/** The queue view lives in the address bar, so a view can be bookmarked, shared and survives a reload. */
export function parseQueueState(params: URLSearchParams): QueueState {
  const queue = QUEUES.some((q) => q.key === params.get('queue')) ? (params.get('queue') as QueueKey) : 'mine';
  const order = params.get('order');
  return {
    queue,
    status: list(params, 'status', ALL_STATUSES),
    priority: list(params, 'priority', PRIORITIES),
    class: list(params, 'class', CLASSES),
    group: params.get('group') || null,
    search: params.get('q')?.trim() ?? '',
    order: ORDERS.includes(order as TicketOrder) ? (order as TicketOrder) : 'PRIORITY',
  };
}

export function queueHref(state: QueueState): string {
  const params = new URLSearchParams();
  if (state.queue !== 'mine') params.set('queue', state.queue);
  if (state.status.length) params.set('status', state.status.join(','));
  if (state.priority.length) params.set('priority', state.priority.join(','));
  if (state.class.length) params.set('class', state.class.join(','));
  if (state.group) params.set('group', state.group);
  if (state.search) params.set('q', state.search);
  if (state.order !== 'PRIORITY') params.set('order', state.order);
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

export function defaultStatuses(queue: QueueKey): TicketStatus[] {
  return queue === 'waiting' ? WAITING : OPEN_STATUSES;
}

/**
 * The API filter of a list queue; null when the queue cannot be listed yet (my groups without any group). The
 * at-risk queue is served by `ticketsAtRisk` instead, filtered here with `matchesLocally`.
 */
export function ticketFilterFor(
  state: QueueState,
  viewerId: string,
  myGroupIds: readonly string[],
): TicketFilter | null {
  const filter: TicketFilter = {
    status: state.status.length ? state.status : defaultStatuses(state.queue),
  };
  if (state.priority.length) filter.priority = state.priority;
  if (state.class.length) filter.class = state.class;
  if (state.search) filter.search = state.search;
  if (state.group) filter.resolverGroupId = state.group;
  switch (state.queue) {
    case 'mine':
      filter.assigneeId = viewerId;
      break;
    case 'groups': {
      // The API filters by one group at a time: the chosen one, else the first of mine.
      const group = state.group && myGroupIds.includes(state.group) ? state.group : myGroupIds[0];
      if (!group) return null;
      filter.resolverGroupId = group;
      break;
    }
    case 'unassigned':
      filter.unassigned = true;
      break;
    default:
      break;
  }
  return filter;
}

export interface LocalTicket {
  title: string;
  description?: string | null;
  priority: Priority;
  class: TicketClass;
  status: TicketStatus;
  resolverGroup?: { id: string } | null;
}

/** The same semantics as TicketFilter, for lists the API cannot filter (ticketsAtRisk). */
export function matchesLocally(ticket: LocalTicket, state: QueueState): boolean {
  if (state.status.length && !state.status.includes(ticket.status)) return false;
  if (state.priority.length && !state.priority.includes(ticket.priority)) return false;
  if (state.class.length && !state.class.includes(ticket.class)) return false;
  if (state.group && ticket.resolverGroup?.id !== state.group) return false;
  if (state.search) {
    const haystack = `${ticket.title} ${ticket.description ?? ''}`.toLowerCase();
    if (
      !state.search
        .toLowerCase()
        .split(/\s+/)
        .every((word) => haystack.includes(word))
    )
      return false;
  }
  return true;
}

export interface Reconciled<T> {
  /** Rows in the order already on screen, with fresh data; rows no longer in the queue are kept and flagged. */
  rows: { item: T; gone: boolean }[];
  /** Tickets that entered the queue since it was last shown in full. */
  added: T[];
}

/**
 * Live updates without layout shift: rows on screen keep their place and update in place; tickets that left the
 * queue stay (greyed) and new ones wait behind a "show new" button until the agent asks, so nothing moves under
 * their pointer. `shown` is the ordered ids on screen; `fresh` the latest list from the server.
 */
export function reconcileQueue<T extends { id: string }>(
  shown: readonly string[],
  fresh: readonly T[],
  last: ReadonlyMap<string, T>,
): Reconciled<T> {
  const byId = new Map(fresh.map((t) => [t.id, t]));
  const onScreen = new Set(shown);
  const rows: Reconciled<T>['rows'] = [];
  for (const id of shown) {
    const item = byId.get(id) ?? last.get(id);
    if (item) rows.push({ item, gone: !byId.has(id) });
  }
  return { rows, added: fresh.filter((t) => !onScreen.has(t.id)) };
}
