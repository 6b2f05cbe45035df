import { type FragmentType, getFragmentData } from '../../gql/fragment-masking';
import { graphql } from '../../gql/gql';
import type { TicketTable_TicketFragmentFragment } from '../../gql/graphql';
import { Link } from '../../lib/router';
import { useNow } from '../../lib/time';
import { PriorityBadge, SlaBadge, StatusBadge } from './Badges';
import { CLASS_LABEL } from './labels';
import { mostUrgent, slaStanding } from './sla';

export const TicketTable_TicketFragment = graphql(`
  fragment TicketTable_TicketFragment on Ticket {
    id
    number
    title
    status
    priority
    class
    updatedAt
    assignee {
      id
      name
    }
    resolverGroup {
      id
      name
    }
    organization {
      id
      name
    }
    sla {
      breached
      firstResponse {
        kind
        state
        dueAt
        targetSeconds
      }
      nextUpdate {
        kind
        state
        dueAt
        targetSeconds
      }
      resolution {
        kind
        state
        dueAt
        targetSeconds
      }
    }
  }
`);

type Row = TicketTable_TicketFragmentFragment;

const SHORT_TARGET: Record<string, string> = {
  FIRST_RESPONSE: 'Response',
  NEXT_UPDATE: 'Update',
  RESOLUTION: 'Resolve',
};

export function ticketSla(ticket: Pick<Row, 'sla'>, now: number) {
  const sla = ticket.sla;
  const target = mostUrgent([sla.firstResponse, sla.nextUpdate, sla.resolution], now);
  return target ? { target, standing: slaStanding(target, now) } : null;
}

function SlaCell({ ticket, now }: { ticket: Row; now: number }) {
  const urgent = ticketSla(ticket, now);
  if (!urgent) return <span className="muted">—</span>;
  return <SlaBadge standing={urgent.standing} label={SHORT_TARGET[urgent.target.kind] ?? urgent.target.kind} />;
}

export interface TicketTableRow {
  ticket: FragmentType<typeof TicketTable_TicketFragment>;
  /** The ticket no longer matches the queue (kept in place until the agent refreshes). */
  gone?: boolean;
}

/**
 * A queue as a table: fixed column widths and one-line rows, so live changes update cells in place and never
 * move the rows around (see reconcileQueue).
 */
export function TicketTable({ rows, caption }: { rows: TicketTableRow[]; caption: string }) {
  const now = useNow(1000);
  return (
    <div className="table-wrap">
      <table className="tickets">
        <caption className="visually-hidden">{caption}</caption>
        <colgroup>
          <col className="tickets__col-number" />
          <col className="tickets__col-prio" />
          <col />
          <col className="tickets__col-status" />
          <col className="tickets__col-sla" />
          <col className="tickets__col-group" />
          <col className="tickets__col-assignee" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Ticket</th>
            <th scope="col">Priority</th>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">SLA</th>
            <th scope="col">Group</th>
            <th scope="col">Assignee</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const t = getFragmentData(TicketTable_TicketFragment, row.ticket);
            return (
              <tr
                key={t.id}
                className={row.gone ? 'tickets__row tickets__row--gone' : 'tickets__row'}
                data-number={t.number}
              >
                <td>
                  <Link to={`/tickets/${encodeURIComponent(t.number)}`} className="ticket-link">
                    {t.number}
                  </Link>
                </td>
                <td>
                  <PriorityBadge priority={t.priority} />
                </td>
                <td className="tickets__title" title={t.title}>
                  <span className="tickets__title-text">{t.title}</span>
                  <span className="tickets__sub">
                    {CLASS_LABEL[t.class]} · {t.organization.name}
                  </span>
                </td>
                <td>{row.gone ? <span className="tag">Left this queue</span> : <StatusBadge status={t.status} />}</td>
                <td>
                  <SlaCell ticket={t} now={now} />
                </td>
                <td className="ellipsis">{t.resolverGroup?.name ?? <span className="muted">Unrouted</span>}</td>
                <td className="ellipsis">{t.assignee?.name ?? <span className="muted">Unassigned</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
