import { type FormEvent, useId, useState } from 'react';
import { graphql } from '../../gql/gql';
import type { EntryKindInput } from '../../gql/graphql';
import { fieldError, OutcomeMessage } from './OutcomeMessage';
import { useTicketActions, useTicketMutation } from './TicketContext';
import { useDraft } from './useDraft';

const AddEntryMutation = graphql(`
  mutation TicketAddEntry($input: TicketAddEntryInput!) {
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

const RequestInformationMutation = graphql(`
  mutation TicketRequestInformation($input: TicketRequestInformationInput!) {
    ticketRequestInformation(input: $input) {
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

type Mode = 'PUBLIC_REPLY' | 'PROGRESS_UPDATE' | 'INTERNAL_NOTE' | 'REQUEST_INFORMATION';

const MODES: { mode: Mode; label: string; field: string; hint: string; submit: string; done: string }[] = [
  {
    mode: 'PUBLIC_REPLY',
    label: 'Reply',
    field: 'Reply to the customer',
    hint: 'The customer sees this.',
    submit: 'Send reply',
    done: 'Reply sent',
  },
  {
    mode: 'INTERNAL_NOTE',
    label: 'Internal note',
    field: 'Note for staff',
    hint: 'Staff only: never shown to the customer.',
    submit: 'Add note',
    done: 'Note added',
  },
  {
    mode: 'PROGRESS_UPDATE',
    label: 'Progress update',
    field: 'Progress update',
    hint: 'The customer sees this; it restarts the next-update SLA.',
    submit: 'Post update',
    done: 'Update posted',
  },
  {
    mode: 'REQUEST_INFORMATION',
    label: 'Request information',
    field: 'What do you need from the customer?',
    hint: 'The customer sees this; the ticket waits on them and the SLA pauses.',
    submit: 'Request information',
    done: 'Information requested',
  },
];

/** Reply, note, progress update or request for information: one box, a draft per kind so switching never loses text. */
export function Composer({ canRequestInformation }: { canRequestInformation: boolean }) {
  const id = useId();
  const ticket = useTicketActions();
  const [mode, setMode] = useState<Mode>('PUBLIC_REPLY');
  const [body, setBody, clearBody] = useDraft(`itsm.draft.${ticket.id}.${mode}`);
  const entry = useTicketMutation(AddEntryMutation, (d) => d.ticketAddEntry);
  const request = useTicketMutation(RequestInformationMutation, (d) => d.ticketRequestInformation);
  const current = MODES.find((m) => m.mode === mode)!;
  const action = mode === 'REQUEST_INFORMATION' ? request : entry;
  const error = fieldError(action.outcome, 'body');

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    const out =
      mode === 'REQUEST_INFORMATION'
        ? await request.run({ input: { id: ticket.id, version: ticket.version, body } }, current.done)
        : await entry.run(
            { input: { id: ticket.id, version: ticket.version, body, kind: mode as EntryKindInput } },
            current.done,
          );
    if (out.kind === 'ok') clearBody();
  };

  const modes = MODES.filter((m) => m.mode !== 'REQUEST_INFORMATION' || canRequestInformation);
  return (
    <form className={`composer composer--${mode.toLowerCase()}`} onSubmit={onSubmit} aria-labelledby={`${id}-legend`}>
      <fieldset className="segmented">
        <legend id={`${id}-legend`} className="visually-hidden">
          Add to the ticket
        </legend>
        {modes.map((m) => (
          <label key={m.mode} className="segmented__option">
            <input
              type="radio"
              name={`${id}-mode`}
              value={m.mode}
              checked={mode === m.mode}
              onChange={() => {
                setMode(m.mode);
                entry.reset();
                request.reset();
              }}
            />
            <span>{m.label}</span>
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-body`}>{current.field}</label>
        <p className="field__hint" id={`${id}-hint`}>
          {mode === 'INTERNAL_NOTE' ? <strong>Internal. </strong> : null}
          {current.hint}
        </p>
        <textarea
          id={`${id}-body`}
          rows={4}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          aria-invalid={error ? true : undefined}
        />
        {error ? (
          <p className="field__error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={action.fetching || !body.trim()}>
          {action.fetching ? 'Saving…' : current.submit}
        </button>
        <OutcomeMessage outcome={action.outcome} />
      </div>
    </form>
  );
}
