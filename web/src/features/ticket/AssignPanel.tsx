import { type FormEvent, useEffect, useId, useState } from 'react';
import { useQuery } from 'urql';
import { type FragmentType, getFragmentData } from '../../gql/fragment-masking';
import { graphql } from '../../gql/gql';
import { useViewer } from '../shell/AgentShell';
import { OutcomeMessage } from './OutcomeMessage';
import { useTicketActions, useTicketMutation } from './TicketContext';

export const AssignPanel_TicketFragment = graphql(`
  fragment AssignPanel_TicketFragment on Ticket {
    status
    assignmentPinned
    resolverGroup {
      id
      name
    }
    assignee {
      id
      name
    }
  }
`);

const GroupsQuery = graphql(`
  query AssignGroups {
    resolverGroups {
      id
      name
      onShiftNow
      members {
        openTickets
        effectiveCapacity
        outOfOffice {
          endsAt
        }
        user {
          id
          name
        }
      }
    }
  }
`);

const AssignMutation = graphql(`
  mutation TicketAssign($input: TicketAssignInput!) {
    ticketAssign(input: $input) {
      __typename
      ... on Error {
        message
      }
      ... on ConflictError {
        currentVersion
      }
      ... on ValidationError {
        fieldErrors {
          path
          message
        }
      }
    }
  }
`);

const AutoAssignMutation = graphql(`
  mutation TicketAutoAssign($input: TicketAutoAssignInput!) {
    ticketAutoAssign(input: $input) {
      __typename
      ... on Error {
        message
      }
      ... on ConflictError {
        currentVersion
      }
      ... on ValidationError {
        fieldErrors {
          path
          message
        }
      }
      ... on TicketAutoAssignPayload {
        decision {
          id
          reason
          outcome
        }
      }
    }
  }
`);

/** Assignment by hand (with the reason recorded) or by the engine (which says why it chose whom). */
export function AssignPanel(props: { ticket: FragmentType<typeof AssignPanel_TicketFragment> }) {
  const ticket = getFragmentData(AssignPanel_TicketFragment, props.ticket);
  const id = useId();
  const t = useTicketActions();
  const viewer = useViewer();
  const [{ data }] = useQuery({ query: GroupsQuery });
  const [groupId, setGroupId] = useState(ticket.resolverGroup?.id ?? '');
  const [assigneeId, setAssigneeId] = useState(ticket.assignee?.id ?? '');
  const [reason, setReason] = useState('');
  const [dirty, setDirty] = useState(false);
  const assign = useTicketMutation(AssignMutation, (d) => d.ticketAssign);
  const auto = useTicketMutation(AutoAssignMutation, (d) => d.ticketAutoAssign);
  const decision =
    auto.data?.ticketAutoAssign.__typename === 'TicketAutoAssignPayload' ? auto.data.ticketAutoAssign.decision : null;

  useEffect(() => {
    if (dirty) return;
    setGroupId(ticket.resolverGroup?.id ?? '');
    setAssigneeId(ticket.assignee?.id ?? '');
  }, [ticket.resolverGroup?.id, ticket.assignee?.id, dirty]);

  const groups = data?.resolverGroups ?? [];
  const group = groups.find((g) => g.id === groupId);
  const members = group?.members ?? [];
  const closed = ['RESOLVED', 'CLOSED', 'CANCELLED'].includes(ticket.status);

  const submit = async (input: { resolverGroupId?: string; assigneeId?: string | null }, done: string) => {
    const out = await assign.run(
      { input: { id: t.id, version: t.version, reason: reason.trim() || null, ...input } },
      done,
    );
    if (out.kind === 'ok') {
      setDirty(false);
      setReason('');
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const input: { resolverGroupId?: string; assigneeId?: string | null } = {};
    if (groupId && groupId !== ticket.resolverGroup?.id) input.resolverGroupId = groupId;
    if (assigneeId !== (ticket.assignee?.id ?? '')) input.assigneeId = assigneeId || null;
    void submit(input, 'Assignment saved');
  };

  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="card__title">
        Assignment
      </h2>
      <p>
        <strong>{ticket.resolverGroup?.name ?? 'No group'}</strong>
        {' · '}
        {ticket.assignee?.name ?? <span className="muted">unassigned</span>}
        {ticket.assignmentPinned ? <span className="muted"> · assigned by hand</span> : null}
      </p>
      {closed ? null : (
        <>
          <form className="stack" onSubmit={onSubmit}>
            <div className="field">
              <label htmlFor={`${id}-group`}>Resolver group</label>
              <select
                id={`${id}-group`}
                value={groupId}
                onChange={(e) => {
                  setGroupId(e.target.value);
                  setAssigneeId('');
                  setDirty(true);
                }}
              >
                <option value="">(choose)</option>
                {groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                    {g.onShiftNow ? '' : ' (off shift)'}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-assignee`}>Agent</label>
              <select
                id={`${id}-assignee`}
                value={assigneeId}
                onChange={(e) => {
                  setAssigneeId(e.target.value);
                  setDirty(true);
                }}
              >
                <option value="">Nobody (group queue)</option>
                {members.map((m) => (
                  <option key={m.user.id} value={m.user.id}>
                    {m.user.name} · {m.openTickets} open
                    {m.effectiveCapacity ? ` of ${m.effectiveCapacity}` : ''}
                    {m.outOfOffice ? ' · out of office' : ''}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-reason`}>Reason</label>
              <input
                id={`${id}-reason`}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                placeholder="Recorded in the assignment log"
              />
            </div>
            <div className="form-actions">
              <button type="submit" className="button" disabled={!dirty || assign.fetching}>
                Assign
              </button>
              {ticket.assignee?.id !== viewer.id && members.some((m) => m.user.id === viewer.id) ? (
                <button
                  type="button"
                  className="button button--link"
                  disabled={assign.fetching}
                  onClick={() => void submit({ assigneeId: viewer.id }, 'Assigned to you')}
                >
                  Assign to me
                </button>
              ) : null}
              <OutcomeMessage outcome={assign.outcome} />
            </div>
          </form>
          <div className="form-actions">
            <button
              type="button"
              className="button"
              disabled={auto.fetching}
              onClick={() => void auto.run({ input: { id: t.id, version: t.version } }, 'Auto-assignment done')}
            >
              Auto-assign
            </button>
            <OutcomeMessage outcome={auto.outcome} />
          </div>
          {decision ? (
            <p className="decision" data-testid="auto-assign-decision">
              {decision.reason}
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
