import { type FormEvent, useId, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { AgentShell } from '../../features/shell/AgentShell';
import { interpretResult, type Outcome } from '../../features/ticket/outcome';
import { useDraft } from '../../features/ticket/useDraft';
import { PriorityBadge } from '../../features/tickets/Badges';
import { CLASS_LABEL, CLASSES, LEVEL_LABEL, LEVELS, URGENCIES } from '../../features/tickets/labels';
import { previewPriority } from '../../features/tickets/priority';
import { graphql } from '../../gql/gql';
import type { Channel, Impact, TicketClass, Urgency } from '../../gql/graphql';
import { navigate } from '../../lib/router';

const NewTicketOptionsQuery = graphql(`
  query NewTicketOptions {
    services {
      id
      name
      criticality
    }
    organizations(kind: CUSTOMER, first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
    priorityMatrix {
      version
      cells {
        impact
        urgency
        priority
      }
      criticality {
        criticality
        levels
      }
    }
  }
`);

const RequestersQuery = graphql(`
  query NewTicketRequesters($organizationId: ID!) {
    users(organizationId: $organizationId, first: 100) {
      edges {
        node {
          id
          name
          email
          active
        }
      }
    }
  }
`);

const CreateMutation = graphql(`
  mutation TicketCreate($input: TicketCreateInput!) {
    ticketCreate(input: $input) {
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
      ... on IdempotencyKeyReusedError {
        existingTicketNumber
      }
      ... on TicketCreatePayload {
        replayed
        ticket {
          id
          number
        }
      }
    }
  }
`);

const newKey = () =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

function NewTicketForm() {
  const id = useId();
  const [{ data: options }] = useQuery({ query: NewTicketOptionsQuery });
  const [title, setTitle, clearTitle] = useDraft('itsm.draft.new.title');
  const [description, setDescription, clearDescription] = useDraft('itsm.draft.new.description');
  const [ticketClass, setClass] = useState<TicketClass>('INCIDENT');
  const [impact, setImpact] = useState<Impact>('MEDIUM');
  const [urgency, setUrgency] = useState<Urgency>('MEDIUM');
  const [serviceId, setServiceId] = useState('');
  const [category, setCategory] = useState('');
  const [channel, setChannel] = useState<Channel>('PHONE');
  const [organizationId, setOrganizationId] = useState('');
  const [requesterId, setRequesterId] = useState('');
  const [awaitMissing, setAwaitMissing] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // One key per ticket being written: a double click or a retry after a timeout never makes a second ticket.
  const idempotencyKey = useRef(newKey());
  const [{ data: requesters }] = useQuery({
    query: RequestersQuery,
    variables: { organizationId },
    pause: !organizationId,
  });
  const [{ fetching }, create] = useMutation(CreateMutation);
  const alertRef = useRef<HTMLDivElement>(null);

  const service = options?.services.find((s) => s.id === serviceId);
  const preview = options?.priorityMatrix
    ? previewPriority(options.priorityMatrix, impact, urgency, service?.criticality ?? null)
    : null;
  const fields = outcome?.kind === 'invalid' ? outcome.fields : {};

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    const result = await create({
      input: {
        title,
        description,
        class: ticketClass,
        impact,
        urgency,
        channel,
        serviceId: serviceId || null,
        category: category.trim() || null,
        requesterId: requesterId || null,
        awaitMissingInformation: awaitMissing,
        idempotencyKey: idempotencyKey.current,
      },
    });
    const payload = result.data?.ticketCreate;
    if (payload?.__typename === 'TicketCreatePayload') {
      clearTitle();
      clearDescription();
      idempotencyKey.current = newKey();
      navigate(`/tickets/${encodeURIComponent(payload.ticket.number)}`);
      return;
    }
    if (payload?.__typename === 'IdempotencyKeyReusedError') {
      idempotencyKey.current = newKey();
      setOutcome({ kind: 'error', message: `${payload.message} (${payload.existingTicketNumber})` });
    } else {
      setOutcome(interpretResult(result.error, payload));
    }
    alertRef.current?.focus();
  };

  const err = (name: string) =>
    fields[name] ? (
      <p className="field__error" id={`${id}-${name}-error`}>
        {fields[name]}
      </p>
    ) : null;
  const described = (name: string) => (fields[name] ? `${id}-${name}-error` : undefined);

  return (
    <form className="card new-ticket" onSubmit={onSubmit} aria-labelledby={`${id}-title-h`} noValidate>
      <h1 id={`${id}-title-h`}>New ticket</h1>
      <div className="form-alert" role="alert" tabIndex={-1} ref={alertRef}>
        {outcome && outcome.kind !== 'ok' ? <p>{outcome.message}</p> : null}
      </div>
      <div className="grid-form">
        <div className="field">
          <label htmlFor={`${id}-org`}>Customer organisation</label>
          <select
            id={`${id}-org`}
            value={organizationId}
            onChange={(e) => {
              setOrganizationId(e.target.value);
              setRequesterId('');
            }}
          >
            <option value="">(internal: logged for yourself)</option>
            {options?.organizations.edges.map((e) => (
              <option key={e.node.id} value={e.node.id}>
                {e.node.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-requester`}>Requester</label>
          <select
            id={`${id}-requester`}
            value={requesterId}
            onChange={(e) => setRequesterId(e.target.value)}
            disabled={!organizationId}
            aria-describedby={described('requesterId')}
          >
            <option value="">{organizationId ? '(choose)' : '(you)'}</option>
            {requesters?.users.edges
              .filter((e) => e.node.active)
              .map((e) => (
                <option key={e.node.id} value={e.node.id}>
                  {e.node.name} &lt;{e.node.email}&gt;
                </option>
              ))}
          </select>
          {err('requesterId')}
        </div>
        <div className="field grid-form__wide">
          <label htmlFor={`${id}-title`}>Title</label>
          <input
            id={`${id}-title`}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            required
            aria-invalid={fields.title ? true : undefined}
            aria-describedby={described('title')}
          />
          {err('title')}
        </div>
        <div className="field grid-form__wide">
          <label htmlFor={`${id}-description`}>Description</label>
          <textarea
            id={`${id}-description`}
            rows={6}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            required
            aria-invalid={fields.description ? true : undefined}
            aria-describedby={described('description')}
          />
          {err('description')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-class`}>Class</label>
          <select id={`${id}-class`} value={ticketClass} onChange={(e) => setClass(e.target.value as TicketClass)}>
            {CLASSES.map((c) => (
              <option key={c} value={c}>
                {CLASS_LABEL[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-service`}>Service</label>
          <select id={`${id}-service`} value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
            <option value="">(none)</option>
            {options?.services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.criticality.toLowerCase()})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-impact`}>Impact</label>
          <select id={`${id}-impact`} value={impact} onChange={(e) => setImpact(e.target.value as Impact)}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {LEVEL_LABEL[l]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-urgency`}>Urgency</label>
          <select id={`${id}-urgency`} value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)}>
            {URGENCIES.map((l) => (
              <option key={l} value={l}>
                {LEVEL_LABEL[l]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-category`}>Category (optional)</label>
          <input id={`${id}-category`} value={category} onChange={(e) => setCategory(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-channel`}>Received by</label>
          <select id={`${id}-channel`} value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
            <option value="PHONE">Phone</option>
            <option value="EMAIL">Email</option>
            <option value="PORTAL">Portal / walk-in</option>
          </select>
        </div>
        <div className="priority-why grid-form__wide" aria-live="polite" data-testid="priority-preview">
          {preview ? (
            <>
              <PriorityBadge priority={preview.priority} />
              <span>
                Expected priority <strong>{preview.priority}</strong>: {preview.reason} (matrix v
                {options?.priorityMatrix?.version})
              </span>
            </>
          ) : null}
        </div>
        <label className="check grid-form__wide">
          <input type="checkbox" checked={awaitMissing} onChange={(e) => setAwaitMissing(e.target.checked)} /> If
          information is missing, ask the customer at once (waits on them)
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={fetching}>
          {fetching ? 'Creating…' : 'Create ticket'}
        </button>
      </div>
    </form>
  );
}

export function NewTicketPage() {
  return (
    <AgentShell title="New ticket">
      <NewTicketForm />
    </AgentShell>
  );
}
