import { type FormEvent, useId, useState } from 'react';
import { useClient } from 'urql';
import { type FragmentType, getFragmentData } from '../../gql/fragment-masking';
import { graphql } from '../../gql/gql';
import type { LinkKind } from '../../gql/graphql';
import { Link } from '../../lib/router';
import { StatusBadge } from '../tickets/Badges';
import { Disclosure } from './Disclosure';
import { OutcomeMessage } from './OutcomeMessage';
import type { Outcome } from './outcome';
import { useTicketActions, useTicketMutation } from './TicketContext';

export const LinksPanel_TicketFragment = graphql(`
  fragment LinksPanel_TicketFragment on Ticket {
    status
    links {
      direction
      kind
      ticket {
        id
        number
        title
        status
      }
    }
  }
`);

const FindTicketQuery = graphql(`
  query LinkTarget($number: String!) {
    ticketByNumber(number: $number) {
      id
      number
    }
  }
`);

const LinkMutation = graphql(`
  mutation TicketLink($input: TicketLinkInput!) {
    ticketLink(input: $input) {
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

const DuplicateMutation = graphql(`
  mutation TicketMarkDuplicate($input: TicketMarkDuplicateInput!) {
    ticketMarkDuplicate(input: $input) {
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

const KINDS: { kind: LinkKind; outgoing: string; incoming: string }[] = [
  { kind: 'RELATED_TO', outgoing: 'Related to', incoming: 'Related to' },
  { kind: 'PARENT_OF', outgoing: 'Parent of', incoming: 'Child of' },
  { kind: 'CAUSED_BY', outgoing: 'Caused by', incoming: 'Causes' },
  { kind: 'DUPLICATE_OF', outgoing: 'Duplicate of', incoming: 'Duplicated by' },
];

function useFindTicket() {
  const client = useClient();
  return async (number: string): Promise<{ id: string; number: string } | string> => {
    const wanted = number.trim().toUpperCase();
    if (!wanted) return 'Enter a ticket number, e.g. INC-000123.';
    const result = await client
      .query(FindTicketQuery, { number: wanted }, { requestPolicy: 'network-only' })
      .toPromise();
    if (result.error) return result.error.message;
    return result.data?.ticketByNumber ?? `No ticket ${wanted} that you may see.`;
  };
}

function AddLink() {
  const id = useId();
  const t = useTicketActions();
  const find = useFindTicket();
  const [kind, setKind] = useState<LinkKind>('RELATED_TO');
  const [number, setNumber] = useState('');
  const [problem, setProblem] = useState<Outcome | null>(null);
  const m = useTicketMutation(LinkMutation, (d) => d.ticketLink);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const target = await find(number);
    if (typeof target === 'string') return setProblem({ kind: 'error', message: target });
    const out = await m.run(
      { input: { id: t.id, version: t.version, kind, targetId: target.id } },
      `Linked to ${target.number}`,
    );
    if (out.kind === 'ok') setNumber('');
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={`${id}-kind`}>This ticket is</label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as LinkKind)}>
          {KINDS.filter((k) => k.kind !== 'DUPLICATE_OF').map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.outgoing.toLowerCase()}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-number`}>Ticket number</label>
        <input
          id={`${id}-number`}
          value={number}
          onChange={(e) => setNumber(e.target.value)}
          placeholder="INC-000123"
          autoComplete="off"
          required
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={m.fetching}>
          Link
        </button>
        <OutcomeMessage outcome={problem ?? m.outcome} />
      </div>
    </form>
  );
}

function MarkDuplicate() {
  const id = useId();
  const t = useTicketActions();
  const find = useFindTicket();
  const [number, setNumber] = useState('');
  const [problem, setProblem] = useState<Outcome | null>(null);
  const m = useTicketMutation(DuplicateMutation, (d) => d.ticketMarkDuplicate);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const target = await find(number);
    if (typeof target === 'string') return setProblem({ kind: 'error', message: target });
    await m.run(
      { input: { id: t.id, version: t.version, originalId: target.id } },
      `Marked as a duplicate of ${target.number}`,
    );
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <p className="field__hint">Resolves this ticket (code DUPLICATE) and points the requester to the original.</p>
      <div className="field">
        <label htmlFor={`${id}-number`}>Original ticket number</label>
        <input id={`${id}-number`} value={number} onChange={(e) => setNumber(e.target.value)} required />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={m.fetching}>
          Mark as duplicate
        </button>
        <OutcomeMessage outcome={problem ?? m.outcome} />
      </div>
    </form>
  );
}

export function LinksPanel(props: { ticket: FragmentType<typeof LinksPanel_TicketFragment> }) {
  const ticket = getFragmentData(LinksPanel_TicketFragment, props.ticket);
  const id = useId();
  const open = !['RESOLVED', 'CLOSED', 'CANCELLED'].includes(ticket.status);
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="card__title">
        Linked tickets
      </h2>
      {ticket.links.length === 0 ? <p className="muted">None.</p> : null}
      <ul className="links">
        {ticket.links.map((l, i) => {
          const names = KINDS.find((k) => k.kind === l.kind);
          const relation = l.direction === 'OUTGOING' ? names?.outgoing : names?.incoming;
          return (
            <li key={`${l.kind}-${l.ticket?.id ?? i}`}>
              <span className="muted">{relation ?? l.kind}</span>{' '}
              {l.ticket ? (
                <>
                  <Link to={`/tickets/${encodeURIComponent(l.ticket.number)}`}>{l.ticket.number}</Link> {l.ticket.title}{' '}
                  <StatusBadge status={l.ticket.status} />
                </>
              ) : (
                <span className="muted">a ticket you may not see</span>
              )}
            </li>
          );
        })}
      </ul>
      <Disclosure label="Link a ticket">
        <AddLink />
      </Disclosure>
      {open ? (
        <Disclosure label="Mark as duplicate">
          <MarkDuplicate />
        </Disclosure>
      ) : null}
    </section>
  );
}
