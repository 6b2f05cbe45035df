import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { AgentShell, useViewer } from '../../features/shell/AgentShell';
import {
  ALL_STATUSES,
  CLASS_LABEL,
  CLASSES,
  PRIORITIES,
  PRIORITY_LABEL,
  STATUS_LABEL,
} from '../../features/tickets/labels';
import {
  matchesLocally,
  parseQueueState,
  QUEUES,
  type QueueState,
  queueHref,
  reconcileQueue,
  ticketFilterFor,
} from '../../features/tickets/queues';
import { TicketTable, type TicketTable_TicketFragment } from '../../features/tickets/TicketTable';
import { useOnReconnect, useThrottledCallback, useTicketEvents } from '../../features/tickets/useTicketEvents';
import type { FragmentType } from '../../gql/fragment-masking';
import { graphql } from '../../gql/gql';
import type { Priority, TicketClass, TicketOrder, TicketStatus } from '../../gql/graphql';
import { describeError } from '../../lib/errors';
import { Link, navigate, useLocation } from '../../lib/router';

const MyGroupsQuery = graphql(`
  query QueueGroups {
    resolverGroups {
      id
      name
      members {
        user {
          id
        }
      }
    }
  }
`);

const QueueTicketsQuery = graphql(`
  query QueueTickets($filter: TicketFilter, $orderBy: TicketOrder, $first: Int) {
    tickets(filter: $filter, orderBy: $orderBy, first: $first) {
      edges {
        node {
          id
          ...TicketTable_TicketFragment
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

const AtRiskQuery = graphql(`
  query QueueAtRisk {
    ticketsAtRisk(first: 100, includeBreached: true) {
      id
      title
      description
      priority
      class
      status
      resolverGroup {
        id
      }
      ...TicketTable_TicketFragment
    }
  }
`);

const PAGE = 100;

type Item = { id: string } & FragmentType<typeof TicketTable_TicketFragment>;

/**
 * Keeps the rows on screen where they are while live results come in (see reconcileQueue); `viewKey` identifies
 * the view, and a new view starts afresh.
 */
function useStableRows(viewKey: string, fresh: Item[] | undefined) {
  const [shown, setShown] = useState<{ key: string; ids: string[] } | null>(null);
  const last = useRef(new Map<string, Item>());
  const current = shown?.key === viewKey ? shown : null;
  useEffect(() => {
    if (fresh && !current) setShown({ key: viewKey, ids: fresh.map((t) => t.id) });
  }, [fresh, current, viewKey]);
  const result = useMemo(() => {
    if (!fresh) return null;
    const ids = current?.ids ?? fresh.map((t) => t.id);
    return reconcileQueue(ids, fresh, last.current);
  }, [fresh, current]);
  useEffect(() => {
    if (!result) return;
    for (const row of result.rows) last.current.set(row.item.id, row.item);
  }, [result]);
  const showAll = () => fresh && setShown({ key: viewKey, ids: fresh.map((t) => t.id) });
  return { result, showAll };
}

function Filters({ state, groups }: { state: QueueState; groups: { id: string; name: string }[] }) {
  const id = useId();
  const [search, setSearch] = useState(state.search);
  useEffect(() => setSearch(state.search), [state.search]);
  const go = (patch: Partial<QueueState>) => navigate(queueHref({ ...state, ...patch }), { replace: true });
  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    go({ search: search.trim() });
  };
  const togglePriority = (p: Priority) =>
    go({ priority: state.priority.includes(p) ? state.priority.filter((x) => x !== p) : [...state.priority, p] });

  return (
    <div className="filters">
      <search className="filters__search">
        <form onSubmit={onSearch}>
          <label htmlFor={`${id}-q`}>Search</label>
          <input
            id={`${id}-q`}
            type="search"
            value={search}
            placeholder="Words in the title or description"
            onChange={(e) => setSearch(e.target.value)}
          />
          <button type="submit" className="button">
            Search
          </button>
        </form>
      </search>
      <fieldset className="filters__prio">
        <legend>Priority</legend>
        {PRIORITIES.map((p) => (
          <label key={p} className="chip">
            <input type="checkbox" checked={state.priority.includes(p)} onChange={() => togglePriority(p)} />
            <span title={PRIORITY_LABEL[p]}>{p}</span>
          </label>
        ))}
      </fieldset>
      <div className="field field--inline">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={state.status.length === 1 ? state.status[0] : ''}
          onChange={(e) => go({ status: e.target.value ? [e.target.value as TicketStatus] : [] })}
        >
          <option value="">Queue default</option>
          {ALL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field field--inline">
        <label htmlFor={`${id}-class`}>Class</label>
        <select
          id={`${id}-class`}
          value={state.class.length === 1 ? state.class[0] : ''}
          onChange={(e) => go({ class: e.target.value ? [e.target.value as TicketClass] : [] })}
        >
          <option value="">Any</option>
          {CLASSES.map((c) => (
            <option key={c} value={c}>
              {CLASS_LABEL[c]}
            </option>
          ))}
        </select>
      </div>
      <div className="field field--inline">
        <label htmlFor={`${id}-group`}>Group</label>
        <select id={`${id}-group`} value={state.group ?? ''} onChange={(e) => go({ group: e.target.value || null })}>
          <option value="">{state.queue === 'groups' ? 'My first group' : 'Any'}</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field field--inline">
        <label htmlFor={`${id}-order`}>Sort</label>
        <select
          id={`${id}-order`}
          value={state.order}
          onChange={(e) => go({ order: e.target.value as TicketOrder })}
          disabled={state.queue === 'risk'}
        >
          <option value="PRIORITY">Priority</option>
          <option value="CREATED_AT_DESC">Newest first</option>
          <option value="CREATED_AT_ASC">Oldest first</option>
          <option value="UPDATED_AT_DESC">Recently updated</option>
        </select>
      </div>
      {state.priority.length || state.status.length || state.class.length || state.group || state.search ? (
        <button
          type="button"
          className="button button--link"
          onClick={() => go({ priority: [], status: [], class: [], group: null, search: '' })}
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

function QueueView() {
  const viewer = useViewer();
  const { search } = useLocation();
  const state = parseQueueState(search);
  const [groupsResult] = useQuery({ query: MyGroupsQuery });
  const allGroups = groupsResult.data?.resolverGroups ?? [];
  const myGroups = allGroups.filter((g) => g.members.some((m) => m.user.id === viewer.id));
  const filter = ticketFilterFor(
    state,
    viewer.id,
    myGroups.map((g) => g.id),
  );
  const isRisk = state.queue === 'risk';
  const waitingForGroups = state.queue === 'groups' && !groupsResult.data;

  const [list, refetchList] = useQuery({
    query: QueueTicketsQuery,
    variables: { filter, orderBy: state.order, first: PAGE },
    pause: isRisk || !filter,
    requestPolicy: 'cache-and-network',
  });
  const [risk, refetchRisk] = useQuery({ query: AtRiskQuery, pause: !isRisk, requestPolicy: 'cache-and-network' });

  const refresh = useThrottledCallback(() => {
    if (isRisk) refetchRisk({ requestPolicy: 'network-only' });
    else if (filter) refetchList({ requestPolicy: 'network-only' });
  }, 750);
  useTicketEvents(() => refresh());
  useOnReconnect(refresh);

  const fresh: Item[] | undefined = isRisk
    ? risk.data?.ticketsAtRisk.filter((t) => matchesLocally(t, state))
    : list.data?.tickets.edges.map((e) => e.node);
  const viewKey = queueHref(state) + JSON.stringify(filter);
  const { result, showAll } = useStableRows(viewKey, fresh);
  const error = isRisk ? risk.error : list.error;
  const fetching = isRisk ? risk.fetching : list.fetching;
  const queue = QUEUES.find((q) => q.key === state.queue)!;
  const groupName =
    state.queue === 'groups' && filter?.resolverGroupId
      ? allGroups.find((g) => g.id === filter.resolverGroupId)?.name
      : null;
  const added = result?.added.length ?? 0;

  return (
    <div className="queues">
      <nav aria-label="Queues" className="queue-nav">
        <ul>
          {QUEUES.map((q) => (
            <li key={q.key}>
              <Link
                to={queueHref({ ...state, queue: q.key, status: [], group: null })}
                aria-current={q.key === state.queue ? 'page' : undefined}
                title={q.description}
              >
                {q.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section className="queue" aria-labelledby="queue-title">
        <div className="queue__head">
          <h1 id="queue-title">
            {queue.label}
            {groupName ? `: ${groupName}` : ''}
          </h1>
          <p className="muted">
            {queue.description}
            {groupName && filter?.resolverGroupId ? (
              <>
                {' · '}
                <a
                  href={`/wallboard?group=${encodeURIComponent(filter.resolverGroupId)}&title=${encodeURIComponent(groupName)}`}
                  target="_blank"
                  rel="noopener"
                >
                  Open this group's wallboard
                </a>
              </>
            ) : null}
          </p>
        </div>
        <Filters state={state} groups={state.queue === 'groups' ? myGroups : allGroups} />
        {/* Always rendered at the same height, so a notice appearing never pushes the table down. */}
        <div className="queue__notice" aria-live="polite">
          {added > 0 ? (
            <button type="button" className="button button--small" onClick={showAll}>
              {added === 1 ? 'Show 1 new ticket' : `Show ${added} new tickets`}
            </button>
          ) : null}
          {result?.rows.some((r) => r.gone) ? (
            <button type="button" className="button button--small button--link" onClick={showAll}>
              Remove tickets that left this queue
            </button>
          ) : null}
          {fetching && result ? <span className="muted">Refreshing…</span> : null}
        </div>
        {state.queue === 'groups' && groupsResult.data && myGroups.length === 0 ? (
          <p className="card">You are not a member of any resolver group.</p>
        ) : error && !result ? (
          <div className="card card--error" role="alert">
            <p>{describeError(error)}</p>
          </div>
        ) : !result || waitingForGroups ? (
          <p role="status">Loading…</p>
        ) : result.rows.length === 0 ? (
          <p className="card empty">No tickets here{state.search ? ` match “${state.search}”` : ''}.</p>
        ) : (
          <>
            <TicketTable
              caption={`${queue.label}: ${result.rows.length} tickets`}
              rows={result.rows.map((r) => ({ ticket: r.item, gone: r.gone }))}
            />
            <p className="muted queue__count" data-testid="queue-count">
              {result.rows.length} {result.rows.length === 1 ? 'ticket' : 'tickets'}
              {!isRisk && list.data?.tickets.pageInfo.hasNextPage
                ? ` (the first ${PAGE}: narrow the list with filters)`
                : ''}
            </p>
          </>
        )}
      </section>
    </div>
  );
}

export function QueuePage() {
  return (
    <AgentShell title="Queues" wide>
      <QueueView />
    </AgentShell>
  );
}
