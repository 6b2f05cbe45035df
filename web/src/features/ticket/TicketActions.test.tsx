// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { type Client, Provider } from 'urql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromValue } from 'wonka';
import { makeFragmentData } from '../../gql/fragment-masking';
import { Composer } from './Composer';
import { type TicketActions, TicketActionsProvider } from './TicketContext';
import { WorkflowPanel, WorkflowPanel_TicketFragment } from './WorkflowPanel';

/** A client whose mutations answer `results` in turn, recording the variables they were called with. */
function clientAnswering(...results: Record<string, unknown>[]) {
  const calls: unknown[] = [];
  const executeMutation = vi.fn((operation: { variables: unknown }) => {
    calls.push(operation.variables);
    const data = results[Math.min(calls.length - 1, results.length - 1)];
    return fromValue({ data, stale: false, hasNext: false, operation });
  });
  return { client: { executeMutation } as unknown as Client, calls };
}

function renderWith(client: Client, children: ReactNode, version = 4) {
  const actions: TicketActions = {
    id: 'VGlja2V0OjE=',
    number: 'INC-000001',
    version,
    refresh: vi.fn(),
    conflict: vi.fn(),
    announce: vi.fn(),
  };
  render(
    <Provider value={client}>
      <TicketActionsProvider value={actions}>{children}</TicketActionsProvider>
    </Provider>,
  );
  return actions;
}

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

describe('Composer', () => {
  it('keeps the reply when someone else changed the ticket, and sends it once reloaded', async () => {
    const user = userEvent.setup();
    const { client, calls } = clientAnswering(
      { ticketAddEntry: { __typename: 'ConflictError', message: 'stale', currentVersion: 5 } },
      {
        ticketAddEntry: {
          __typename: 'TicketPayload',
          ticket: { __typename: 'Ticket', id: 'VGlja2V0OjE=', version: 6 },
        },
      },
    );
    const actions = renderWith(client, <Composer canRequestInformation />);
    await user.type(screen.getByLabelText('Reply to the customer'), 'Rebooting the gateway now.');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));

    expect(actions.conflict).toHaveBeenCalledWith(expect.objectContaining({ kind: 'conflict', currentVersion: 5 }));
    expect(actions.refresh).not.toHaveBeenCalled();
    expect((screen.getByLabelText('Reply to the customer') as HTMLTextAreaElement).value).toBe(
      'Rebooting the gateway now.',
    );
    expect(screen.getByText(/Your text is kept/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(calls).toEqual([
      { input: { id: 'VGlja2V0OjE=', version: 4, body: 'Rebooting the gateway now.', kind: 'PUBLIC_REPLY' } },
      { input: { id: 'VGlja2V0OjE=', version: 4, body: 'Rebooting the gateway now.', kind: 'PUBLIC_REPLY' } },
    ]);
    expect(actions.refresh).toHaveBeenCalledTimes(1);
    expect(actions.announce).toHaveBeenCalledWith('Reply sent');
    expect((screen.getByLabelText('Reply to the customer') as HTMLTextAreaElement).value).toBe('');
  });

  it('keeps a draft per kind, so switching to an internal note loses nothing', async () => {
    const user = userEvent.setup();
    const { client, calls } = clientAnswering({
      ticketAddEntry: { __typename: 'TicketPayload', ticket: { __typename: 'Ticket', id: 'x', version: 5 } },
    });
    renderWith(client, <Composer canRequestInformation={false} />);
    expect(screen.queryByRole('radio', { name: 'Request information' })).toBeNull();
    await user.type(screen.getByLabelText('Reply to the customer'), 'For the customer');
    await user.click(screen.getByRole('radio', { name: 'Internal note' }));
    await user.type(screen.getByLabelText('Note for staff'), 'Staff only');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    expect(calls).toEqual([{ input: expect.objectContaining({ kind: 'INTERNAL_NOTE', body: 'Staff only' }) }]);
    await user.click(screen.getByRole('radio', { name: 'Reply' }));
    expect((screen.getByLabelText('Reply to the customer') as HTMLTextAreaElement).value).toBe('For the customer');
  });

  it('shows a validation message next to the field', async () => {
    const user = userEvent.setup();
    const { client } = clientAnswering({
      ticketAddEntry: {
        __typename: 'ValidationError',
        message: 'Invalid input',
        fieldErrors: [{ __typename: 'FieldError', path: ['input', 'body'], message: 'Too long' }],
      },
    });
    renderWith(client, <Composer canRequestInformation />);
    await user.type(screen.getByLabelText('Reply to the customer'), 'x');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    const field = screen.getByLabelText('Reply to the customer');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Too long').id).toBe(field.getAttribute('aria-describedby')?.split(' ')[1]);
  });
});

describe('WorkflowPanel', () => {
  const resolved = (validated: boolean) =>
    makeFragmentData(
      {
        version: 7,
        status: 'RESOLVED',
        allowedTransitions: ['CLOSED', 'IN_PROGRESS'],
        resolutionCode: 'FIXED',
        resolutionNotes: 'Replaced the switch.',
        resolutionConfirmed: validated ? true : null,
        resolvedAt: '2026-12-04T12:00:00Z',
        closedAt: null,
        reopenCount: 0,
        closureChecklist: [
          { rule: 'RESOLVED', satisfied: true, detail: 'the ticket is resolved' },
          { rule: 'CUSTOMER_INFORMED', satisfied: true, detail: 'notice sent' },
          { rule: 'SOLUTION_VALIDATED', satisfied: validated, detail: 'awaiting confirmation' },
        ],
      },
      WorkflowPanel_TicketFragment,
    );

  it('shows the closure checklist, and highlights what is missing when closing is refused', async () => {
    const user = userEvent.setup();
    const { client } = clientAnswering({
      ticketClose: {
        __typename: 'ClosureRulesUnmetError',
        message: 'The ticket cannot be closed yet: awaiting confirmation',
        checklist: [
          { __typename: 'ClosureRule', rule: 'RESOLVED', satisfied: true, detail: 'the ticket is resolved' },
          { __typename: 'ClosureRule', rule: 'SOLUTION_VALIDATED', satisfied: false, detail: 'awaiting confirmation' },
        ],
      },
    });
    const actions = renderWith(client, <WorkflowPanel ticket={resolved(false)} />, 7);
    const checklist = screen.getByTestId('closure-checklist');
    expect(checklist.className).toBe('checklist');
    expect(checklist.textContent).toContain('(1 open)');

    await user.click(screen.getByRole('button', { name: 'Close ticket' }));
    expect(checklist.className).toContain('checklist--highlight');
    expect(document.activeElement).toBe(checklist);
    expect(checklist.querySelector('[data-rule="SOLUTION_VALIDATED"]')?.textContent).toContain('Missing:');
    expect(screen.getByText(/cannot be closed yet/)).toBeTruthy();
    expect(actions.refresh).not.toHaveBeenCalled();
    // The agent may record a confirmation given by phone.
    expect(screen.getByRole('button', { name: 'Customer confirmed by phone or in person?' })).toBeTruthy();
  });

  it('closes when every rule holds', async () => {
    const user = userEvent.setup();
    const { client, calls } = clientAnswering({ ticketClose: { __typename: 'TicketPayload' } });
    const actions = renderWith(client, <WorkflowPanel ticket={resolved(true)} />, 7);
    expect(screen.getByTestId('closure-checklist').textContent).toContain('(complete)');
    expect(screen.queryByRole('button', { name: /confirmed by phone/ })).toBeNull();
    await act(() => user.click(screen.getByRole('button', { name: 'Close ticket' })));
    expect(calls).toEqual([{ input: { id: 'VGlja2V0OjE=', version: 7 } }]);
    expect(actions.announce).toHaveBeenCalledWith('Ticket closed');
  });
});
