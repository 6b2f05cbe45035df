import { useId, useMemo, useState } from 'react';
import { type FragmentType, getFragmentData } from '../../gql/fragment-masking';
import { graphql } from '../../gql/gql';
import { humanize } from '../tickets/labels';
import { buildTimeline, filterTimeline, type TimelineFilter, type TimelineKind } from './timeline';

export const Timeline_TicketFragment = graphql(`
  fragment Timeline_TicketFragment on Ticket {
    requester {
      id
      name
    }
    assignee {
      id
      name
    }
    entries {
      id
      kind
      internal
      body
      createdAt
      channel
      vendorRef
      author {
        id
        name
      }
    }
    audit {
      seq
      action
      field
      oldValue
      newValue
      reason
      createdAt
      actorId
      channel
    }
    outboundMail {
      id
      kind
      subject
      to
      status
      createdAt
      sentAt
      lastError
    }
    auditVerification {
      valid
      entries
      brokenAtSeq
    }
    assignmentLog {
      id
      createdAt
      trigger
      outcome
      reason
      actor {
        id
        name
      }
      toGroup {
        id
        name
      }
      toAssignee {
        id
        name
      }
    }
    escalations {
      id
      kind
      level
      reason
      detail
      createdAt
      overdue
      targetRole
      vendorName
      vendorRef
      acknowledgedAt
      acknowledgement
      resolvedAt
      resolution
      createdBy {
        id
        name
      }
      targetGroup {
        id
        name
      }
      targetUser {
        id
        name
      }
      acknowledgedBy {
        id
        name
      }
      resolvedBy {
        id
        name
      }
    }
  }
`);

const KIND_ICON: Record<TimelineKind, string> = {
  created: '✚',
  public: '✉',
  internal: '✎',
  status: '⇄',
  assignment: '→',
  escalation: '⇧',
  sla: '◷',
  mail: '@',
  change: 'Δ',
};

const KIND_LABEL: Record<TimelineKind, string> = {
  created: 'Logged',
  public: 'Public',
  internal: 'Internal',
  status: 'Status',
  assignment: 'Assignment',
  escalation: 'Escalation',
  sla: 'SLA',
  mail: 'Mail',
  change: 'Change',
};

const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function When({ at }: { at: string }) {
  return (
    <time dateTime={at} title={at}>
      {time.format(new Date(at))}
    </time>
  );
}

type View = TimelineFilter | 'audit';

export function Timeline(props: { ticket: FragmentType<typeof Timeline_TicketFragment> }) {
  const ticket = getFragmentData(Timeline_TicketFragment, props.ticket);
  const id = useId();
  const [view, setView] = useState<View>('all');
  const items = useMemo(
    () =>
      buildTimeline({
        entries: ticket.entries,
        audit: ticket.audit,
        assignmentLog: ticket.assignmentLog,
        escalations: ticket.escalations,
        mail: ticket.outboundMail,
        people: [ticket.requester, ticket.assignee],
      }),
    [ticket],
  );
  const shown = view === 'audit' ? [] : filterTimeline(items, view);
  const verification = ticket.auditVerification;

  return (
    <section className="card timeline" aria-labelledby={`${id}-title`}>
      <div className="timeline__head">
        <h2 id={`${id}-title`} className="card__title">
          Timeline
        </h2>
        <fieldset className="segmented segmented--small">
          <legend className="visually-hidden">Show</legend>
          {(
            [
              ['all', 'Everything'],
              ['conversation', 'Conversation'],
              ['changes', 'Changes'],
              ['audit', 'Audit trail'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="segmented__option">
              <input
                type="radio"
                name={`${id}-view`}
                value={value}
                checked={view === value}
                onChange={() => setView(value)}
              />
              <span>{label}</span>
            </label>
          ))}
        </fieldset>
      </div>
      {view === 'audit' ? (
        <div className="audit">
          <p className={verification.valid ? 'audit__ok' : 'audit__bad'} role="status">
            {verification.valid
              ? `✓ Hash chain verified: ${verification.entries} entries, none edited, removed or reordered.`
              : `▲ Hash chain broken at entry ${verification.brokenAtSeq}: the audit trail was tampered with.`}
          </p>
          <div className="table-wrap">
            <table className="audit__table">
              <caption className="visually-hidden">Audit trail</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">When</th>
                  <th scope="col">Action</th>
                  <th scope="col">Field</th>
                  <th scope="col">Old</th>
                  <th scope="col">New</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Channel</th>
                </tr>
              </thead>
              <tbody>
                {ticket.audit.map((a) => (
                  <tr key={a.seq}>
                    <td>{a.seq}</td>
                    <td>
                      <When at={a.createdAt} />
                    </td>
                    <td>{humanize(a.action)}</td>
                    <td>{a.field ?? ''}</td>
                    <td className="audit__value">{a.oldValue ?? ''}</td>
                    <td className="audit__value">{a.newValue ?? ''}</td>
                    <td>{a.reason ?? ''}</td>
                    <td>{humanize(a.channel)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : (
        <ol className="timeline__list" data-testid="timeline">
          {shown.map((item) => (
            <li key={item.key} className={`tl tl--${item.kind}${item.alert ? ' tl--alert' : ''}`} data-kind={item.kind}>
              <span className="tl__icon" aria-hidden="true">
                {KIND_ICON[item.kind]}
              </span>
              <div className="tl__content">
                <p className="tl__head">
                  <span className="tl__tag">{KIND_LABEL[item.kind]}</span>
                  <strong className="tl__title">{item.title}</strong>
                  <span className="tl__meta">
                    {item.actor ?? 'System'} · <When at={item.at} />
                  </span>
                </p>
                {item.body ? <p className="tl__body">{item.body}</p> : null}
                {item.detail ? <p className="tl__detail">{item.detail}</p> : null}
              </div>
            </li>
          ))}
          {shown.length === 0 ? <li className="muted">Nothing to show.</li> : null}
        </ol>
      )}
    </section>
  );
}
