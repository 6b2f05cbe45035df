import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { type FragmentType, getFragmentData } from '../../gql/fragment-masking';
import { graphql } from '../../gql/gql';
import type { TicketStatus } from '../../gql/graphql';
import { Link } from '../../lib/router';
import { StatusBadge } from '../tickets/Badges';
import { humanize, RESOLUTION_CODE_LABEL, RESOLUTION_CODES, STATUS_LABEL } from '../tickets/labels';
import { Disclosure } from './Disclosure';
import { fieldError, OutcomeMessage } from './OutcomeMessage';
import type { ChecklistItem, Outcome } from './outcome';
import { useTicketActions, useTicketMutation } from './TicketContext';
import { useDraft } from './useDraft';

export const WorkflowPanel_TicketFragment = graphql(`
  fragment WorkflowPanel_TicketFragment on Ticket {
    version
    status
    allowedTransitions
    resolutionCode
    resolutionNotes
    resolutionConfirmed
    resolvedAt
    closedAt
    reopenCount
    closureChecklist {
      rule
      satisfied
      detail
    }
  }
`);

const TransitionMutation = graphql(`
  mutation TicketTransition($input: TicketTransitionInput!) {
    ticketTransition(input: $input) {
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

const VendorReferenceMutation = graphql(`
  mutation TicketVendorReference($input: TicketAddEntryInput!) {
    ticketAddEntry(input: $input) {
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
      ... on TicketPayload {
        ticket {
          id
          version
        }
      }
    }
  }
`);

const ResolveMutation = graphql(`
  mutation TicketResolve($input: TicketResolveInput!) {
    ticketResolve(input: $input) {
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

const CloseMutation = graphql(`
  mutation TicketClose($input: TicketCloseInput!) {
    ticketClose(input: $input) {
      __typename
      ... on Error {
        message
      }
      ... on ConflictError {
        currentVersion
      }
      ... on ClosureRulesUnmetError {
        checklist {
          rule
          satisfied
          detail
        }
      }
    }
  }
`);

const ReopenMutation = graphql(`
  mutation TicketReopen($input: TicketReopenInput!) {
    ticketReopen(input: $input) {
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
      ... on TicketReopenPayload {
        newTicket {
          id
          number
        }
      }
    }
  }
`);

const ConfirmMutation = graphql(`
  mutation TicketRecordConfirmation($input: TicketResolutionResponseInput!) {
    ticketRespondToResolution(input: $input) {
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

/** Moves the forms below handle themselves; the select offers the plain ones. */
const PLAIN: TicketStatus[] = ['ASSIGNED', 'IN_PROGRESS', 'PENDING_CUSTOMER', 'CANCELLED'];

const RULE_LABEL: Record<string, string> = {
  RESOLVED: 'Resolved',
  DOCUMENTED: 'Solution documented',
  CUSTOMER_INFORMED: 'Customer informed',
  SOLUTION_VALIDATED: 'Solution validated',
  LINKED_TICKETS_UPDATED: 'Linked tickets updated',
};

export function ClosureChecklist({ items, highlight }: { items: readonly ChecklistItem[]; highlight?: boolean }) {
  const id = useId();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (highlight) ref.current?.focus();
  }, [highlight]);
  const unmet = items.filter((i) => !i.satisfied).length;
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className={`checklist${highlight ? ' checklist--highlight' : ''}`}
      aria-labelledby={id}
      data-testid="closure-checklist"
    >
      <h3 id={id} className="checklist__title">
        Closure checklist {unmet ? `(${unmet} open)` : '(complete)'}
      </h3>
      <ul>
        {items.map((item) => (
          <li key={item.rule} className={item.satisfied ? 'checklist__ok' : 'checklist__open'} data-rule={item.rule}>
            <span aria-hidden="true" className="checklist__icon">
              {item.satisfied ? '✓' : '✗'}
            </span>
            <span className="visually-hidden">{item.satisfied ? 'Done: ' : 'Missing: '}</span>
            <strong>{RULE_LABEL[item.rule] ?? humanize(item.rule)}</strong> <span className="muted">{item.detail}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ChangeStatus({ allowed }: { allowed: TicketStatus[] }) {
  const id = useId();
  const t = useTicketActions();
  const options = allowed.filter((s) => PLAIN.includes(s));
  const [to, setTo] = useState<TicketStatus | ''>('');
  const [reason, setReason, clearReason] = useDraft(`itsm.draft.${t.id}.status-reason`);
  const m = useTicketMutation(TransitionMutation, (d) => d.ticketTransition);
  if (!options.length) return null;
  const target = to && options.includes(to) ? to : (options[0] ?? '');
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!target) return;
    const out = await m.run(
      { input: { id: t.id, version: t.version, to: target, reason: reason.trim() || null } },
      `Status changed to ${STATUS_LABEL[target]}`,
    );
    if (out.kind === 'ok') clearReason();
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={`${id}-to`}>New status</label>
        <select id={`${id}-to`} value={target} onChange={(e) => setTo(e.target.value as TicketStatus)}>
          {options.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason {target === 'CANCELLED' ? '' : '(optional)'}</label>
        <input
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required={target === 'CANCELLED'}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={m.fetching}>
          Change status
        </button>
        <OutcomeMessage outcome={m.outcome} />
      </div>
    </form>
  );
}

function PendingVendor() {
  const id = useId();
  const t = useTicketActions();
  const [vendor, setVendor] = useDraft(`itsm.draft.${t.id}.vendor-name`);
  const [ref, setRef] = useDraft(`itsm.draft.${t.id}.vendor-ref`);
  const [note, setNote, clearNote] = useDraft(`itsm.draft.${t.id}.vendor-note`);
  const entry = useTicketMutation(VendorReferenceMutation, (d) => d.ticketAddEntry);
  const move = useTicketMutation(TransitionMutation, (d) => d.ticketTransition);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!vendor.trim()) return;
    let version = t.version;
    if (ref.trim()) {
      const body = `Case opened with ${vendor.trim()}: ${ref.trim()}${note.trim() ? `. ${note.trim()}` : ''}`;
      const first = await entry.run({
        input: { id: t.id, version, kind: 'VENDOR_REFERENCE', vendorRef: ref.trim(), body },
      });
      if (first.kind !== 'ok') return setOutcome(first);
      version += 1;
    }
    const reason = `waiting on ${vendor.trim()}${ref.trim() ? ` (case ${ref.trim()})` : ''}${note.trim() ? `: ${note.trim()}` : ''}`;
    const out = await move.run({ input: { id: t.id, version, to: 'PENDING_VENDOR', reason } }, 'Waiting on the vendor');
    setOutcome(out);
    if (out.kind === 'ok') clearNote();
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={`${id}-vendor`}>Vendor</label>
        <input id={`${id}-vendor`} value={vendor} onChange={(e) => setVendor(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor={`${id}-ref`}>Vendor's case reference (optional)</label>
        <input id={`${id}-ref`} value={ref} onChange={(e) => setRef(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note (optional)</label>
        <input id={`${id}-note`} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={entry.fetching || move.fetching || !vendor.trim()}>
          Set pending vendor
        </button>
        <OutcomeMessage outcome={outcome} />
      </div>
    </form>
  );
}

function Resolve() {
  const id = useId();
  const t = useTicketActions();
  const [code, setCode] = useState<string>('FIXED');
  const [notes, setNotes, clearNotes] = useDraft(`itsm.draft.${t.id}.resolution-notes`);
  const [notify, setNotify] = useState(true);
  const m = useTicketMutation(ResolveMutation, (d) => d.ticketResolve);
  const error = fieldError(m.outcome, 'resolutionNotes');
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const out = await m.run(
      {
        input: {
          id: t.id,
          version: t.version,
          resolutionCode: code,
          resolutionNotes: notes,
          notifyCustomer: notify,
        },
      },
      'Ticket resolved',
    );
    if (out.kind === 'ok') clearNotes();
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={`${id}-code`}>Resolution code</label>
        <select id={`${id}-code`} value={code} onChange={(e) => setCode(e.target.value)}>
          {RESOLUTION_CODES.map((c) => (
            <option key={c} value={c}>
              {RESOLUTION_CODE_LABEL[c]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-notes`}>Resolution notes</label>
        <p className="field__hint" id={`${id}-notes-hint`}>
          What was wrong and what fixed it (at least 10 characters); the customer sees it in the resolution notice.
        </p>
        <textarea
          id={`${id}-notes`}
          rows={4}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          aria-describedby={`${id}-notes-hint${error ? ` ${id}-notes-error` : ''}`}
          aria-invalid={error ? true : undefined}
          required
        />
        {error ? (
          <p className="field__error" id={`${id}-notes-error`}>
            {error}
          </p>
        ) : null}
      </div>
      <label className="check">
        <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> Send the customer the
        resolution notice
      </label>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={m.fetching || !notes.trim()}>
          Resolve
        </button>
        <OutcomeMessage outcome={m.outcome} />
      </div>
    </form>
  );
}

function RecordConfirmation() {
  const id = useId();
  const t = useTicketActions();
  const [comment, setComment, clear] = useDraft(`itsm.draft.${t.id}.confirmation`);
  const m = useTicketMutation(ConfirmMutation, (d) => d.ticketRespondToResolution);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const out = await m.run(
      { input: { id: t.id, version: t.version, accept: true, comment: comment.trim() || null } },
      'Confirmation recorded',
    );
    if (out.kind === 'ok') clear();
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={`${id}-how`}>How did the customer confirm?</label>
        <input
          id={`${id}-how`}
          value={comment}
          placeholder="e.g. by phone, 14:05"
          onChange={(e) => setComment(e.target.value)}
          required
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={m.fetching || !comment.trim()}>
          Record confirmation
        </button>
        <OutcomeMessage outcome={m.outcome} />
      </div>
    </form>
  );
}

function Reopen() {
  const id = useId();
  const t = useTicketActions();
  const [reason, setReason, clear] = useDraft(`itsm.draft.${t.id}.reopen`);
  const m = useTicketMutation(ReopenMutation, (d) => d.ticketReopen);
  const result = m.data?.ticketReopen;
  const followUp = result?.__typename === 'TicketReopenPayload' ? result.newTicket : null;
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const out = await m.run({ input: { id: t.id, version: t.version, reason } }, 'Ticket reopened');
    if (out.kind === 'ok') clear();
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Why reopen?</label>
        <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} required />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={m.fetching || !reason.trim()}>
          Reopen
        </button>
        <OutcomeMessage outcome={m.outcome} />
      </div>
      {followUp ? (
        <p>
          Closed too long ago to reopen: follow-up{' '}
          <Link to={`/tickets/${encodeURIComponent(followUp.number)}`}>{followUp.number}</Link> was opened and linked.
        </p>
      ) : null}
    </form>
  );
}

function Close({ onUnmet }: { onUnmet: (items: ChecklistItem[]) => void }) {
  const t = useTicketActions();
  const m = useTicketMutation(CloseMutation, (d) => d.ticketClose);
  const onClick = async () => {
    const out = await m.run({ input: { id: t.id, version: t.version } }, 'Ticket closed');
    if (out.kind === 'unmet') onUnmet(out.checklist);
  };
  return (
    <div className="form-actions">
      <button type="button" className="button button--primary" onClick={onClick} disabled={m.fetching}>
        Close ticket
      </button>
      <OutcomeMessage outcome={m.outcome} />
    </div>
  );
}

export function WorkflowPanel(props: { ticket: FragmentType<typeof WorkflowPanel_TicketFragment> }) {
  const ticket = getFragmentData(WorkflowPanel_TicketFragment, props.ticket);
  const id = useId();
  const [refused, setRefused] = useState<{ version: number; checklist: ChecklistItem[] } | null>(null);
  const allowed = ticket.allowedTransitions;
  const resolved = ticket.status === 'RESOLVED';
  const finished = resolved || ticket.status === 'CLOSED';
  // After a refused close, the checklist the server evaluated then (the freshest); once the ticket changes, the
  // ticket's own, still highlighted so the agent sees what is left.
  const unmet = refused && refused.version === ticket.version ? refused.checklist : null;
  const checklist = unmet ?? ticket.closureChecklist;
  const validationOpen = checklist.some((i) => i.rule === 'SOLUTION_VALIDATED' && !i.satisfied);

  return (
    <section className="card workflow" aria-labelledby={id}>
      <h2 id={id} className="card__title">
        Status
      </h2>
      <p className="workflow__status">
        <StatusBadge status={ticket.status} />
        {ticket.resolutionCode ? (
          <span className="muted">
            {' '}
            ·{' '}
            {RESOLUTION_CODE_LABEL[ticket.resolutionCode as keyof typeof RESOLUTION_CODE_LABEL] ??
              ticket.resolutionCode}
          </span>
        ) : null}
      </p>
      {ticket.resolutionNotes && finished ? <p className="workflow__notes">{ticket.resolutionNotes}</p> : null}
      {resolved ? <ClosureChecklist items={checklist} highlight={!!refused} /> : null}
      {resolved ? <Close onUnmet={(items) => setRefused({ version: ticket.version, checklist: items })} /> : null}
      {resolved && validationOpen ? (
        <Disclosure label="Customer confirmed by phone or in person?">
          <RecordConfirmation />
        </Disclosure>
      ) : null}
      {allowed.some((s) => PLAIN.includes(s)) ? (
        <Disclosure label="Change status">
          <ChangeStatus allowed={allowed} />
        </Disclosure>
      ) : null}
      {allowed.includes('PENDING_VENDOR') ? (
        <Disclosure label="Pending vendor">
          <PendingVendor />
        </Disclosure>
      ) : null}
      {allowed.includes('RESOLVED') ? (
        <Disclosure label="Resolve" tone="primary">
          <Resolve />
        </Disclosure>
      ) : null}
      {finished ? (
        <Disclosure label="Reopen">
          <Reopen />
        </Disclosure>
      ) : null}
    </section>
  );
}
