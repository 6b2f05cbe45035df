import { type FormEvent, useId, useState } from 'react';
import { useQuery } from 'urql';
import { type FragmentType, getFragmentData } from '../../gql/fragment-masking';
import { graphql } from '../../gql/gql';
import type { EscalationKind, EscalationsPanel_TicketFragmentFragment, Role } from '../../gql/graphql';
import { formatCountdown, useNow } from '../../lib/time';
import { humanize } from '../tickets/labels';
import { Disclosure } from './Disclosure';
import { OutcomeMessage } from './OutcomeMessage';
import { useTicketActions, useTicketMutation } from './TicketContext';
import { useDraft } from './useDraft';

export const EscalationsPanel_TicketFragment = graphql(`
  fragment EscalationsPanel_TicketFragment on Ticket {
    status
    escalations {
      id
      kind
      level
      status
      reason
      detail
      createdAt
      ackDueAt
      overdue
      targetRole
      vendorName
      vendorRef
      acknowledgedAt
      acknowledgement
      resolvedAt
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
    }
  }
`);

const EscalateMutation = graphql(`
  mutation TicketEscalate($input: TicketEscalateInput!) {
    ticketEscalate(input: $input) {
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

const AcknowledgeMutation = graphql(`
  mutation EscalationAcknowledge($input: EscalationAcknowledgeInput!) {
    escalationAcknowledge(input: $input) {
      __typename
      ... on Error {
        message
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

const ResolveEscalationMutation = graphql(`
  mutation EscalationResolve($input: EscalationResolveInput!) {
    escalationResolve(input: $input) {
      __typename
      ... on Error {
        message
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

const EscalationTargetsQuery = graphql(`
  query EscalationTargets {
    resolverGroups {
      id
      name
    }
    users(first: 100) {
      edges {
        node {
          id
          name
          role
          organization {
            kind
          }
        }
      }
    }
  }
`);

type Escalation = EscalationsPanel_TicketFragmentFragment['escalations'][number];

function target(e: Escalation): string {
  return (
    e.targetUser?.name ?? e.targetGroup?.name ?? e.vendorName ?? (e.targetRole ? `any ${humanize(e.targetRole)}` : '—')
  );
}

function Acknowledge({ escalation }: { escalation: Escalation }) {
  const id = useId();
  const t = useTicketActions();
  const [note, setNote, clear] = useDraft(`itsm.draft.${t.id}.ack.${escalation.id}`);
  const [vendorRef, setVendorRef] = useState('');
  const m = useTicketMutation(AcknowledgeMutation, (d) => d.escalationAcknowledge);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const out = await m.run(
      { input: { id: escalation.id, note: note.trim() || null, vendorRef: vendorRef.trim() || null } },
      'Escalation acknowledged',
    );
    if (out.kind === 'ok') clear();
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note (optional)</label>
        <input id={`${id}-note`} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      {escalation.kind === 'VENDOR' ? (
        <div className="field">
          <label htmlFor={`${id}-ref`}>Vendor's reference (optional)</label>
          <input id={`${id}-ref`} value={vendorRef} onChange={(e) => setVendorRef(e.target.value)} />
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={m.fetching}>
          Acknowledge
        </button>
        <OutcomeMessage outcome={m.outcome} />
      </div>
    </form>
  );
}

function ResolveEscalation({ escalation }: { escalation: Escalation }) {
  const id = useId();
  const t = useTicketActions();
  const [text, setText, clear] = useDraft(`itsm.draft.${t.id}.esc-resolve.${escalation.id}`);
  const m = useTicketMutation(ResolveEscalationMutation, (d) => d.escalationResolve);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const out = await m.run({ input: { id: escalation.id, resolution: text } }, 'Escalation resolved');
    if (out.kind === 'ok') clear();
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={`${id}-res`}>What came of it</label>
        <input id={`${id}-res`} value={text} onChange={(e) => setText(e.target.value)} required />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={m.fetching || !text.trim()}>
          Resolve escalation
        </button>
        <OutcomeMessage outcome={m.outcome} />
      </div>
    </form>
  );
}

const ROLES: Role[] = ['LEAD', 'MANAGER', 'ADMIN'];

function Escalate() {
  const id = useId();
  const t = useTicketActions();
  const [{ data }] = useQuery({ query: EscalationTargetsQuery });
  const [kind, setKind] = useState<EscalationKind>('FUNCTIONAL');
  const [targetGroupId, setGroup] = useState('');
  const [targetUserId, setUser] = useState('');
  const [targetRole, setRole] = useState<Role | ''>('');
  const [vendorName, setVendorName] = useState('');
  const [vendorRef, setVendorRef] = useState('');
  const [minutes, setMinutes] = useState('');
  const [detail, setDetail, clear] = useDraft(`itsm.draft.${t.id}.escalate`);
  const m = useTicketMutation(EscalateMutation, (d) => d.ticketEscalate);
  const staff = (data?.users.edges ?? [])
    .map((e) => e.node)
    .filter((u) => u.organization.kind === 'PROVIDER' && u.role !== 'CUSTOMER');

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const input: Parameters<typeof m.run>[0]['input'] = { id: t.id, version: t.version, kind, detail };
    if (kind === 'FUNCTIONAL') input.targetGroupId = targetGroupId || null;
    if (kind === 'HIERARCHICAL') {
      if (targetUserId) input.targetUserId = targetUserId;
      else if (targetRole) input.targetRole = targetRole;
    }
    if (kind === 'VENDOR') {
      input.vendorName = vendorName;
      if (vendorRef.trim()) input.vendorRef = vendorRef.trim();
    }
    if (minutes && Number(minutes) > 0) input.ackWindowMinutes = Number(minutes);
    const out = await m.run({ input }, 'Escalated');
    if (out.kind === 'ok') clear();
  };

  return (
    <form className="stack" onSubmit={onSubmit}>
      <fieldset className="segmented">
        <legend>Kind</legend>
        {(['FUNCTIONAL', 'HIERARCHICAL', 'VENDOR'] as const).map((k) => (
          <label key={k} className="segmented__option">
            <input type="radio" name={`${id}-kind`} checked={kind === k} onChange={() => setKind(k)} />
            <span>{k === 'FUNCTIONAL' ? 'To a group' : k === 'HIERARCHICAL' ? 'To management' : 'To a vendor'}</span>
          </label>
        ))}
      </fieldset>
      {kind === 'FUNCTIONAL' ? (
        <div className="field">
          <label htmlFor={`${id}-group`}>Group (the ticket moves there)</label>
          <select id={`${id}-group`} value={targetGroupId} onChange={(e) => setGroup(e.target.value)} required>
            <option value="">(choose)</option>
            {data?.resolverGroups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {kind === 'HIERARCHICAL' ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-user`}>Person (optional)</label>
            <select id={`${id}-user`} value={targetUserId} onChange={(e) => setUser(e.target.value)}>
              <option value="">The group's lead</option>
              {staff.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({humanize(u.role).toLowerCase()})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-role`}>Or anyone with the role</label>
            <select
              id={`${id}-role`}
              value={targetRole}
              onChange={(e) => setRole(e.target.value as Role | '')}
              disabled={!!targetUserId}
            >
              <option value="">(not used)</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {humanize(r)}
                </option>
              ))}
            </select>
          </div>
        </>
      ) : null}
      {kind === 'VENDOR' ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-vendor`}>Vendor</label>
            <input id={`${id}-vendor`} value={vendorName} onChange={(e) => setVendorName(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor={`${id}-vref`}>Vendor's reference (optional)</label>
            <input id={`${id}-vref`} value={vendorRef} onChange={(e) => setVendorRef(e.target.value)} />
          </div>
        </>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-detail`}>Why</label>
        <textarea id={`${id}-detail`} rows={2} value={detail} onChange={(e) => setDetail(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor={`${id}-min`}>Acknowledge within (minutes, optional)</label>
        <input
          id={`${id}-min`}
          type="number"
          min={1}
          inputMode="numeric"
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={m.fetching || !detail.trim()}>
          Escalate
        </button>
        <OutcomeMessage outcome={m.outcome} />
      </div>
    </form>
  );
}

export function EscalationsPanel(props: { ticket: FragmentType<typeof EscalationsPanel_TicketFragment> }) {
  const ticket = getFragmentData(EscalationsPanel_TicketFragment, props.ticket);
  const id = useId();
  const now = useNow(1000);
  const open = ticket.escalations.filter((e) => !e.resolvedAt);
  const closed = ['RESOLVED', 'CLOSED', 'CANCELLED'].includes(ticket.status);
  return (
    <section className="card" aria-labelledby={id} data-testid="escalations">
      <h2 id={id} className="card__title">
        Escalations {open.length ? <span className="count">{open.length} open</span> : null}
      </h2>
      {ticket.escalations.length === 0 ? <p className="muted">None.</p> : null}
      <ul className="escalations">
        {ticket.escalations.map((e) => {
          const ackLeft = e.ackDueAt && !e.acknowledgedAt ? (Date.parse(e.ackDueAt) - now) / 1000 : null;
          return (
            <li key={e.id} className={`escalation${e.overdue && !e.acknowledgedAt ? ' escalation--overdue' : ''}`}>
              <p>
                <strong>
                  {humanize(e.kind)} · level {e.level}
                </strong>{' '}
                → {target(e)} <span className="tag">{humanize(e.status)}</span>
              </p>
              <p className="muted">{e.detail}</p>
              {e.acknowledgedAt ? (
                <p className="muted">
                  ✓ Acknowledged by {e.acknowledgedBy?.name ?? 'someone'}
                  {e.acknowledgement ? `: ${e.acknowledgement}` : ''}
                  {e.vendorRef ? ` (ref ${e.vendorRef})` : ''}
                </p>
              ) : ackLeft !== null ? (
                <p className={ackLeft < 0 ? 'escalation__late' : 'muted'}>
                  {ackLeft < 0
                    ? `▲ Not acknowledged, ${formatCountdown(-ackLeft)} overdue`
                    : `Acknowledge within ${formatCountdown(ackLeft)}`}
                </p>
              ) : null}
              {!e.resolvedAt ? (
                <div className="escalation__actions">
                  {!e.acknowledgedAt ? (
                    <Disclosure label="Acknowledge">
                      <Acknowledge escalation={e} />
                    </Disclosure>
                  ) : null}
                  <Disclosure label="Resolve escalation">
                    <ResolveEscalation escalation={e} />
                  </Disclosure>
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      {closed ? null : (
        <Disclosure label="Escalate">
          <Escalate />
        </Disclosure>
      )}
    </section>
  );
}
