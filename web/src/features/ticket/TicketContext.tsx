import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createContext, useCallback, useContext, useState } from 'react';
import { type AnyVariables, useMutation } from 'urql';
import { interpretResult, type MutationUnion, type Outcome } from './outcome';

export interface TicketActions {
  id: string;
  number: string;
  /** The version every mutation passes back; a stale one gets a ConflictError. */
  version: number;
  /** Re-reads the ticket from the server. */
  refresh: () => void;
  /** Raises the page-level conflict notice. */
  conflict: (outcome: Extract<Outcome, { kind: 'conflict' }>) => void;
  /** Says something in the page's live region ("Reply added"). */
  announce: (message: string) => void;
}

const TicketContext = createContext<TicketActions | null>(null);
export const TicketActionsProvider = TicketContext.Provider;

export function useTicketActions(): TicketActions {
  const value = useContext(TicketContext);
  if (!value) throw new Error('useTicketActions() outside the ticket page');
  return value;
}

/**
 * Runs a ticket mutation and turns its typed result into an Outcome: success re-reads the ticket and announces
 * `done`; a conflict raises the page notice (the form keeps its text); anything else stays with the form.
 */
export function useTicketMutation<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  pick: (data: Data) => MutationUnion | null | undefined,
) {
  const actions = useTicketActions();
  const [{ fetching }, execute] = useMutation(document);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [data, setData] = useState<Data | undefined>(undefined);
  const run = useCallback(
    async (variables: Variables, done?: string): Promise<Outcome> => {
      setOutcome(null);
      const result = await execute(variables);
      setData(result.data);
      const out = interpretResult(result.error, result.data ? pick(result.data) : null);
      setOutcome(out.kind === 'ok' ? { kind: 'ok', message: done } : out);
      if (out.kind === 'ok') {
        actions.refresh();
        if (done) actions.announce(done);
      } else if (out.kind === 'conflict') {
        actions.conflict(out);
      }
      return out;
    },
    [execute, pick, actions],
  );
  return { run, fetching, outcome, data, reset: () => setOutcome(null) };
}
