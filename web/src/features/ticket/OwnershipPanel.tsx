import { type FormEvent, useId, useState } from 'react';
import { useQuery } from 'urql';
import { type FragmentType, getFragmentData } from '../../gql/fragment-masking';
import { graphql } from '../../gql/gql';
import { PARTY_ICON, PARTY_LABEL, ROLE_SHORT, SERVICE_MODEL_LABEL } from '../responsibility/matrix';
import { humanize } from '../tickets/labels';
import { Disclosure } from './Disclosure';
import { OutcomeMessage } from './OutcomeMessage';
import { useTicketActions, useTicketMutation } from './TicketContext';

export const OwnershipPanel_TicketFragment = graphql(`
  fragment OwnershipPanel_TicketFragment on Ticket {
    ownership {
      determined
      owner
      explanation
      domainSource
      serviceModel
      providerName
      providerDuties
      customerDuties
      responsibleRoles
      matrixVersion
      domain {
        key
        name
      }
      routing {
        action
        explanation
        vendorName
        internalGroup {
          id
          name
        }
      }
    }
  }
`);

const DomainsQuery = graphql(`
  query ResponsibilityDomainOptions {
    responsibilityDomains {
      key
      name
    }
  }
`);

const SetDomainMutation = graphql(`
  mutation TicketResponsibilityDomainSet($input: TicketResponsibilityDomainSetInput!) {
    ticketResponsibilityDomainSet(input: $input) {
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

function SetDomain({ current }: { current: string | null }) {
  const id = useId();
  const t = useTicketActions();
  const [{ data }] = useQuery({ query: DomainsQuery });
  const [domain, setDomain] = useState(current ?? '');
  const [reason, setReason] = useState('');
  const m = useTicketMutation(SetDomainMutation, (d) => d.ticketResponsibilityDomainSet);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const out = await m.run(
      { input: { id: t.id, version: t.version, domain: domain || null, reason } },
      'Responsibility domain set',
    );
    if (out.kind === 'ok') setReason('');
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={`${id}-domain`}>Domain</label>
        <select id={`${id}-domain`} value={domain} onChange={(e) => setDomain(e.target.value)}>
          <option value="">From the category (default)</option>
          {data?.responsibilityDomains.map((d) => (
            <option key={d.key} value={d.key}>
              {d.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason</label>
        <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} required />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={m.fetching || !reason.trim()}>
          Set domain
        </button>
        <OutcomeMessage outcome={m.outcome} />
      </div>
    </form>
  );
}

/** Who owns the problem under the shared-responsibility matrix, and what routing did about it. */
export function OwnershipPanel(props: { ticket: FragmentType<typeof OwnershipPanel_TicketFragment> }) {
  const { ownership: o } = getFragmentData(OwnershipPanel_TicketFragment, props.ticket);
  const id = useId();
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="card__title">
        Responsibility
      </h2>
      {o.determined && o.owner ? (
        <>
          <p>
            <strong>
              <span aria-hidden="true">{PARTY_ICON[o.owner]} </span>
              {PARTY_LABEL[o.owner]}
              {o.owner !== 'CUSTOMER' && o.providerName ? ` (${o.providerName})` : ''}
            </strong>
            {o.domain ? ` · ${o.domain.name}` : ''}
            {o.serviceModel ? ` · ${SERVICE_MODEL_LABEL[o.serviceModel]}` : ''}
            {o.matrixVersion ? <span className="muted"> · matrix v{o.matrixVersion}</span> : null}
          </p>
          {o.responsibleRoles?.length ? (
            <p className="muted">
              Responsible: {o.responsibleRoles.map((r) => ROLE_SHORT[r] ?? humanize(r)).join(', ')}
            </p>
          ) : null}
        </>
      ) : null}
      <p className="muted">{o.explanation}</p>
      {o.routing ? (
        <p className="decision">
          {humanize(o.routing.action)}
          {o.routing.vendorName ? ` · ${o.routing.vendorName}` : ''}
          {o.routing.internalGroup ? ` · ${o.routing.internalGroup.name}` : ''}: {o.routing.explanation}
        </p>
      ) : null}
      <Disclosure label="Set the responsibility domain">
        <SetDomain current={o.domainSource === 'EXPLICIT' ? (o.domain?.key ?? null) : null} />
      </Disclosure>
    </section>
  );
}
