import { type FormEvent, useEffect, useId, useState } from 'react';
import { useQuery } from 'urql';
import { type FragmentType, getFragmentData } from '../../gql/fragment-masking';
import { graphql } from '../../gql/gql';
import type { Impact, Priority, TicketClass, Urgency } from '../../gql/graphql';
import { PriorityBadge } from '../tickets/Badges';
import { CLASS_LABEL, CLASSES, LEVEL_LABEL, LEVELS, PRIORITIES, PRIORITY_LABEL, URGENCIES } from '../tickets/labels';
import { Disclosure } from './Disclosure';
import { OutcomeMessage } from './OutcomeMessage';
import { useTicketActions, useTicketMutation } from './TicketContext';
import { useDraft } from './useDraft';

export const ClassifyPanel_TicketFragment = graphql(`
  fragment ClassifyPanel_TicketFragment on Ticket {
    class
    category
    impact
    urgency
    priority
    priorityOverridden
    priorityReason
    priorityMatrixVersion
    service {
      id
      name
      criticality
    }
  }
`);

const ServicesQuery = graphql(`
  query ClassifyServices {
    services {
      id
      name
      criticality
    }
  }
`);

const UpdateMutation = graphql(`
  mutation TicketClassify($input: TicketUpdateInput!) {
    ticketUpdate(input: $input) {
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

const SetPriorityMutation = graphql(`
  mutation TicketSetPriority($input: TicketSetPriorityInput!) {
    ticketSetPriority(input: $input) {
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

interface Values {
  class: TicketClass;
  category: string;
  serviceId: string;
  impact: Impact;
  urgency: Urgency;
}

function PriorityOverride({ current, overridden }: { current: Priority; overridden: boolean }) {
  const id = useId();
  const t = useTicketActions();
  const [priority, setPriority] = useState<Priority>(current);
  const [reason, setReason, clear] = useDraft(`itsm.draft.${t.id}.priority-reason`);
  const m = useTicketMutation(SetPriorityMutation, (d) => d.ticketSetPriority);
  useEffect(() => setPriority(current), [current]);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const out = await m.run(
      { input: { id: t.id, version: t.version, priority, reason: reason.trim() || null } },
      `Priority set to ${priority}`,
    );
    if (out.kind === 'ok') clear();
  };
  const backToMatrix = () =>
    m.run({ input: { id: t.id, version: t.version, priority: null } }, 'Priority back to the matrix');
  return (
    <form className="stack" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={`${id}-p`}>Priority</label>
        <select id={`${id}-p`} value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p} · {PRIORITY_LABEL[p]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-r`}>Reason for the override</label>
        <input id={`${id}-r`} value={reason} onChange={(e) => setReason(e.target.value)} required />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={m.fetching || !reason.trim()}>
          Override priority
        </button>
        {overridden ? (
          <button type="button" className="button button--link" onClick={backToMatrix} disabled={m.fetching}>
            Use the matrix again
          </button>
        ) : null}
        <OutcomeMessage outcome={m.outcome} />
      </div>
    </form>
  );
}

/** Classification and impact × urgency; the priority that follows is shown with the reason the server gives. */
export function ClassifyPanel(props: { ticket: FragmentType<typeof ClassifyPanel_TicketFragment> }) {
  const ticket = getFragmentData(ClassifyPanel_TicketFragment, props.ticket);
  const id = useId();
  const t = useTicketActions();
  const [{ data: services }] = useQuery({ query: ServicesQuery });
  const initial: Values = {
    class: ticket.class,
    category: ticket.category ?? '',
    serviceId: ticket.service?.id ?? '',
    impact: ticket.impact,
    urgency: ticket.urgency,
  };
  const [values, setValues] = useState<Values>(initial);
  const [dirty, setDirty] = useState(false);
  const [reason, setReason] = useState('');
  const m = useTicketMutation(UpdateMutation, (d) => d.ticketUpdate);
  const initialKey = JSON.stringify(initial);
  // Live updates refresh the form unless the agent is editing it.
  useEffect(() => {
    if (!dirty) setValues(JSON.parse(initialKey));
  }, [initialKey, dirty]);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setDirty(true);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const input: Parameters<typeof m.run>[0]['input'] = { id: t.id, version: t.version, reason: reason.trim() || null };
    if (values.class !== ticket.class) input.class = values.class;
    if (values.category !== (ticket.category ?? '')) input.category = values.category;
    if (values.serviceId && values.serviceId !== (ticket.service?.id ?? '')) input.serviceId = values.serviceId;
    if (values.impact !== ticket.impact) input.impact = values.impact;
    if (values.urgency !== ticket.urgency) input.urgency = values.urgency;
    const out = await m.run({ input }, 'Classification saved');
    if (out.kind === 'ok') {
      setDirty(false);
      setReason('');
    }
  };

  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="card__title">
        Classification
      </h2>
      <div className="priority-why" data-testid="priority">
        <PriorityBadge priority={ticket.priority} />
        <div>
          <strong>
            {PRIORITY_LABEL[ticket.priority]}
            {ticket.priorityOverridden ? ' (overridden)' : ''}
          </strong>
          <p className="muted">
            Why: {ticket.priorityReason ?? 'no reason recorded'} · matrix v{ticket.priorityMatrixVersion}
          </p>
        </div>
      </div>
      <form className="grid-form" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor={`${id}-class`}>Class</label>
          <select id={`${id}-class`} value={values.class} onChange={(e) => set('class', e.target.value as TicketClass)}>
            {CLASSES.map((c) => (
              <option key={c} value={c}>
                {CLASS_LABEL[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-service`}>Service</label>
          <select id={`${id}-service`} value={values.serviceId} onChange={(e) => set('serviceId', e.target.value)}>
            <option value="">(none)</option>
            {services?.services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.criticality.toLowerCase()})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-category`}>Category</label>
          <input id={`${id}-category`} value={values.category} onChange={(e) => set('category', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-impact`}>Impact</label>
          <select id={`${id}-impact`} value={values.impact} onChange={(e) => set('impact', e.target.value as Impact)}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {LEVEL_LABEL[l]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-urgency`}>Urgency</label>
          <select
            id={`${id}-urgency`}
            value={values.urgency}
            onChange={(e) => set('urgency', e.target.value as Urgency)}
          >
            {URGENCIES.map((l) => (
              <option key={l} value={l}>
                {LEVEL_LABEL[l]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason (optional)</label>
          <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <div className="form-actions grid-form__wide">
          <button type="submit" className="button" disabled={!dirty || m.fetching}>
            Save classification
          </button>
          {dirty ? (
            <button
              type="button"
              className="button button--link"
              onClick={() => {
                setDirty(false);
                setValues(initial);
              }}
            >
              Discard changes
            </button>
          ) : null}
          <OutcomeMessage outcome={m.outcome} />
        </div>
      </form>
      <Disclosure label="Override priority">
        <PriorityOverride current={ticket.priority} overridden={ticket.priorityOverridden} />
      </Disclosure>
    </section>
  );
}
