import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { AgentShell } from '../../features/shell/AgentShell';
import { AssignPanel } from '../../features/ticket/AssignPanel';
import { ClassifyPanel } from '../../features/ticket/ClassifyPanel';
import { Composer } from '../../features/ticket/Composer';
import { EscalationsPanel } from '../../features/ticket/EscalationsPanel';
import { LinksPanel } from '../../features/ticket/LinksPanel';
import { OwnershipPanel } from '../../features/ticket/OwnershipPanel';
import type { Outcome } from '../../features/ticket/outcome';
import { SlaPanel } from '../../features/ticket/SlaPanel';
import { type TicketActions, TicketActionsProvider } from '../../features/ticket/TicketContext';
import { Timeline } from '../../features/ticket/Timeline';
import { WorkflowPanel } from '../../features/ticket/WorkflowPanel';
import { PriorityBadge, StatusBadge } from '../../features/tickets/Badges';
import { CLASS_LABEL, humanize } from '../../features/tickets/labels';
import { useOnReconnect, useThrottledCallback, useTicketEvents } from '../../features/tickets/useTicketEvents';
import { graphql } from '../../gql/gql';
import { describeError } from '../../lib/errors';
import { Link, navigate } from '../../lib/router';

const TicketPageQuery = graphql(`
  query TicketPage($number: String!) {
    ticketByNumber(number: $number) {
      id
      number
      numbers
      version
      title
      description
      status
      priority
      class
      channel
      category
      createdAt
      updatedAt
      missingInformation
      requester {
        id
        name
        email
      }
      organization {
        id
        name
      }
      service {
        id
        name
      }
      ...Timeline_TicketFragment
      ...SlaPanel_TicketFragment
      ...WorkflowPanel_TicketFragment
      ...ClassifyPanel_TicketFragment
      ...AssignPanel_TicketFragment
      ...EscalationsPanel_TicketFragment
      ...LinksPanel_TicketFragment
      ...OwnershipPanel_TicketFragment
    }
  }
`);

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function TicketView({ number }: { number: string }) {
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: TicketPageQuery,
    variables: { number },
    requestPolicy: 'cache-and-network',
  });
  const ticket = data?.ticketByNumber;
  const [conflict, setConflict] = useState<Extract<Outcome, { kind: 'conflict' }> | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [lastLive, setLastLive] = useState<string | null>(null);
  const conflictRef = useRef<HTMLDivElement>(null);

  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const liveRefresh = useThrottledCallback(refresh, 400);
  useTicketEvents(
    (event) => {
      setLastLive(event.occurredAt);
      liveRefresh();
    },
    { ticketId: ticket?.id, enabled: !!ticket },
  );
  useOnReconnect(liveRefresh);

  // A ticket renumbered by a class change is found by its old number; show the address of the current one.
  useEffect(() => {
    if (ticket && ticket.number !== number)
      navigate(`/tickets/${encodeURIComponent(ticket.number)}`, { replace: true });
  }, [ticket, number]);

  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  const actions = useMemo<TicketActions | null>(
    () =>
      ticket
        ? {
            id: ticket.id,
            number: ticket.number,
            version: ticket.version,
            refresh,
            conflict: setConflict,
            announce: setAnnouncement,
          }
        : null,
    [ticket, refresh],
  );

  if (error && !ticket) {
    return (
      <div className="card card--error" role="alert">
        <p>{describeError(error)}</p>
      </div>
    );
  }
  if (!ticket || !actions) {
    if (fetching || !data) return <p role="status">Loading…</p>;
    return (
      <div className="card">
        <h1>No ticket {number}</h1>
        <p>
          It does not exist or you may not see it. <Link to="/">Back to the queues</Link>
        </p>
      </div>
    );
  }

  return (
    <TicketActionsProvider value={actions}>
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
      <div className="conflict-slot">
        {conflict ? (
          <div className="conflict" role="alert" tabIndex={-1} ref={conflictRef} data-testid="conflict">
            <p>
              <strong>Someone else changed {ticket.number} while you were working on it.</strong> Your change was not
              saved; what you typed is kept. Reload to see their change, then send yours again.
            </p>
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                refresh();
                setConflict(null);
              }}
            >
              Reload ticket
            </button>
          </div>
        ) : null}
      </div>
      <header className="ticket-head">
        <p className="ticket-head__number">
          <span data-testid="ticket-number">{ticket.number}</span>
          {ticket.numbers.length > 1 ? (
            <span className="muted"> (formerly {ticket.numbers.filter((n) => n !== ticket.number).join(', ')})</span>
          ) : null}
        </p>
        <h1 className="ticket-head__title">{ticket.title}</h1>
        <div className="ticket-head__facts">
          <PriorityBadge priority={ticket.priority} />
          <span data-testid="ticket-status">
            <StatusBadge status={ticket.status} />
          </span>
          <span>{CLASS_LABEL[ticket.class]}</span>
          <span>
            {ticket.requester.name} · {ticket.organization.name}
          </span>
          {ticket.service ? <span>{ticket.service.name}</span> : null}
          <span className="muted">
            via {humanize(ticket.channel).toLowerCase()} · opened {dateTime.format(new Date(ticket.createdAt))}
          </span>
          <span className="muted" data-testid="ticket-version">
            v{ticket.version}
            {lastLive ? ' · live' : ''}
          </span>
        </div>
      </header>
      <div className="ticket-layout">
        <div className="ticket-main">
          <section className="card" aria-labelledby="description-title">
            <h2 id="description-title" className="card__title">
              Description
            </h2>
            <p className="prewrap">{ticket.description}</p>
            {ticket.missingInformation.length ? (
              <p className="notice">Missing at intake: {ticket.missingInformation.join(', ')}</p>
            ) : null}
          </section>
          {['CLOSED', 'CANCELLED'].includes(ticket.status) ? null : (
            <section className="card" aria-label="Add to the ticket">
              <Composer canRequestInformation={!['RESOLVED', 'PENDING_CUSTOMER'].includes(ticket.status)} />
            </section>
          )}
          <Timeline ticket={ticket} />
        </div>
        <aside className="ticket-side" aria-label="Ticket actions">
          <SlaPanel ticket={ticket} />
          <WorkflowPanel ticket={ticket} />
          <EscalationsPanel ticket={ticket} />
          <AssignPanel ticket={ticket} />
          <ClassifyPanel ticket={ticket} />
          <OwnershipPanel ticket={ticket} />
          <LinksPanel ticket={ticket} />
        </aside>
      </div>
    </TicketActionsProvider>
  );
}

export function TicketPage({ params }: { params: Record<string, string> }) {
  const number = (params.number ?? '').toUpperCase();
  return (
    <AgentShell title={number} wide>
      <TicketView key={number} number={number} />
    </AgentShell>
  );
}
