import type { Outcome } from './outcome';

/** A form's result, in its own live region; a conflict points to the page notice and says the text is kept. */
export function OutcomeMessage({ outcome, id }: { outcome: Outcome | null; id?: string }) {
  return (
    <div className="outcome" role="status" aria-live="polite" id={id}>
      {!outcome ? null : outcome.kind === 'ok' ? (
        outcome.message ? (
          <p className="outcome__ok">✓ {outcome.message}</p>
        ) : null
      ) : outcome.kind === 'conflict' ? (
        <p className="outcome__error">
          Not saved: the ticket changed meanwhile. Your text is kept; reload and send again.
        </p>
      ) : outcome.kind === 'unmet' ? (
        <p className="outcome__error">{outcome.message}</p>
      ) : (
        <p className="outcome__error">{outcome.message}</p>
      )}
    </div>
  );
}

export function fieldError(outcome: Outcome | null, field: string): string | undefined {
  return outcome?.kind === 'invalid' ? outcome.fields[field] : undefined;
}
