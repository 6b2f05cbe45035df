import { CombinedError } from 'urql';
import { describe, expect, it } from 'vitest';
import { interpretResult } from './outcome';

describe('interpretResult', () => {
  it('recognises success payloads', () => {
    expect(interpretResult(undefined, { __typename: 'TicketPayload' })).toEqual({ kind: 'ok' });
    expect(interpretResult(undefined, { __typename: 'EscalationPayload' })).toEqual({ kind: 'ok' });
    expect(interpretResult(undefined, { __typename: 'TicketReopenPayload' })).toEqual({ kind: 'ok' });
  });

  it('turns a stale version into a conflict, keeping the current version', () => {
    expect(
      interpretResult(undefined, { __typename: 'ConflictError', message: 'stale', currentVersion: 9 }),
    ).toMatchObject({
      kind: 'conflict',
      currentVersion: 9,
    });
  });

  it('keys validation messages by input field', () => {
    const out = interpretResult(undefined, {
      __typename: 'ValidationError',
      message: 'Invalid input',
      fieldErrors: [
        { path: ['input', 'body'], message: 'Write something' },
        { path: ['input', 'body'], message: 'second' },
      ],
    });
    expect(out).toEqual({ kind: 'invalid', message: 'Invalid input', fields: { body: 'Write something' } });
  });

  it('carries the unmet closure checklist', () => {
    const checklist = [{ rule: 'SOLUTION_VALIDATED', satisfied: false, detail: 'awaiting confirmation' }];
    expect(
      interpretResult(undefined, { __typename: 'ClosureRulesUnmetError', message: 'no', checklist }),
    ).toMatchObject({
      kind: 'unmet',
      checklist,
    });
  });

  it('reports other typed errors and transport failures in words', () => {
    expect(
      interpretResult(undefined, { __typename: 'InvalidTransitionError', message: 'INC-1 cannot go to CLOSED' }),
    ).toEqual({ kind: 'error', message: 'INC-1 cannot go to CLOSED' });
    expect(interpretResult(new CombinedError({ networkError: new Error('x') }), null).kind).toBe('error');
    expect(interpretResult(new CombinedError({ graphQLErrors: [{ message: 'Forbidden' }] }), null)).toEqual({
      kind: 'error',
      message: 'Forbidden',
    });
  });
});
