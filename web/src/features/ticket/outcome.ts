import type { CombinedError } from 'urql';

export interface ChecklistItem {
  rule: string;
  satisfied: boolean;
  detail: string;
}

/** What a ticket mutation came to, as the forms and the page need it. */
export type Outcome =
  | { kind: 'ok'; message?: string }
  | { kind: 'conflict'; message: string; currentVersion: number | null }
  | { kind: 'invalid'; message: string; fields: Record<string, string> }
  | { kind: 'unmet'; message: string; checklist: ChecklistItem[] }
  | { kind: 'error'; message: string };

export interface MutationUnion {
  __typename?: string;
  message?: string;
  currentVersion?: number | null;
  fieldErrors?: readonly { path: readonly string[]; message: string }[];
  checklist?: readonly ChecklistItem[];
  allowed?: readonly string[];
}

const PAYLOADS = /Payload$|^(Ticket|Escalation|ResolverGroup)$/;

/**
 * Maps the API's typed results (ConflictError, ValidationError, ClosureRulesUnmetError …) onto outcomes. A
 * ValidationError's field paths (["input", "body"]) become messages keyed by the input field.
 */
export function interpretResult(error: CombinedError | undefined, result: MutationUnion | null | undefined): Outcome {
  if (error?.networkError) return { kind: 'error', message: 'Cannot reach the server; nothing was saved. Try again.' };
  if (error) return { kind: 'error', message: error.graphQLErrors[0]?.message ?? 'Something went wrong.' };
  if (!result?.__typename) return { kind: 'error', message: 'The server gave no answer.' };
  switch (result.__typename) {
    case 'ConflictError':
      return {
        kind: 'conflict',
        currentVersion: result.currentVersion ?? null,
        message: 'Someone else changed this ticket while you were working on it. Nothing was saved.',
      };
    case 'ValidationError': {
      const fields: Record<string, string> = {};
      for (const f of result.fieldErrors ?? []) {
        const name = f.path[f.path.length - 1] ?? '';
        if (name && !fields[name]) fields[name] = f.message;
      }
      return { kind: 'invalid', message: result.message ?? 'Check the form.', fields };
    }
    case 'ClosureRulesUnmetError':
      return {
        kind: 'unmet',
        message: result.message ?? 'The ticket cannot be closed yet.',
        checklist: [...(result.checklist ?? [])],
      };
    default:
      if (PAYLOADS.test(result.__typename)) return { kind: 'ok' };
      return { kind: 'error', message: result.message ?? `Not done (${result.__typename}).` };
  }
}
