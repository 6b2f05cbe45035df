// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type Client, Provider } from 'urql';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromValue } from 'wonka';
import { LoginPage, problemFromFieldErrors } from './LoginPage';

type LoginResult = Record<string, unknown> & { __typename: string };

function renderWith(result: LoginResult | (() => LoginResult)) {
  const executeMutation = vi.fn(() =>
    fromValue({ data: { login: typeof result === 'function' ? result() : result }, stale: false, hasNext: false }),
  );
  const client = { executeMutation } as unknown as Client;
  render(
    <Provider value={client}>
      <LoginPage />
    </Provider>,
  );
  return { executeMutation };
}

async function fillAndSubmit(email: string, password: string) {
  // Under fake timers user-event must advance them itself, or its small pauses never end.
  const user = userEvent.setup(vi.isFakeTimers() ? { advanceTimers: vi.advanceTimersByTime } : {});
  if (email) await user.type(screen.getByLabelText('Email'), email);
  if (password) await user.type(screen.getByLabelText('Password'), password);
  await user.keyboard('{Enter}');
  return user;
}

describe('LoginPage', () => {
  beforeEach(() => {
    window.history.replaceState(null, '', '/login?next=%2Fwallboard');
    window.scrollTo = () => {};
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('is a labelled form that submits from the keyboard and goes to `next` on success', async () => {
    const { executeMutation } = renderWith({
      __typename: 'LoginPayload',
      expiresAt: '2030-01-01T00:00:00Z',
      user: { __typename: 'User', id: 'VXNlcjox', name: 'Ada' },
    });
    expect(screen.getByRole('form', { name: 'Sign in' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Email'));
    await fillAndSubmit('ada@example.test', 'secret');
    expect(executeMutation).toHaveBeenCalledTimes(1);
    const [request] = executeMutation.mock.calls[0] as unknown as [{ variables: unknown }];
    expect(request.variables).toEqual({ input: { email: 'ada@example.test', password: 'secret' } });
    expect(window.location.pathname).toBe('/wallboard');
  });

  it('announces invalid credentials, clears the password and puts the cursor back in it', async () => {
    renderWith({ __typename: 'InvalidCredentialsError', message: 'The email or password is incorrect' });
    await fillAndSubmit('ada@example.test', 'wrong');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('The email or password is incorrect');
    const password = screen.getByLabelText('Password') as HTMLInputElement;
    expect(password.value).toBe('');
    expect(document.activeElement).toBe(password);
    expect(window.location.pathname).toBe('/login');
  });

  it('shows the retry time after too many attempts and blocks the button until then', async () => {
    renderWith({
      __typename: 'TooManyAttemptsError',
      message: 'Too many failed login attempts; try again in 900 s',
      retryAfterSeconds: 900,
    });
    await fillAndSubmit('ada@example.test', 'wrong');
    expect(screen.getByRole('alert').textContent).toBe('Too many failed sign-in attempts. Try again in 15 min.');
    const button = screen.getByRole('button') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toMatch(/^Try again in 1[45]:\d\d$/);
  });

  it('re-enables sign-in when the wait is over', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    renderWith({ __typename: 'TooManyAttemptsError', message: 'wait', retryAfterSeconds: 90 });
    await fillAndSubmit('ada@example.test', 'wrong');
    const button = screen.getByRole('button') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    act(() => vi.advanceTimersByTime(60_000));
    // The 1 s ticker may not have fired since the last whole second: 0:31 is as right as 0:29.
    expect(button.textContent).toMatch(/^Try again in 0:(29|30|31)$/);
    act(() => vi.advanceTimersByTime(31_000));
    expect(button.disabled).toBe(false);
    expect(button.textContent).toBe('Sign in');
  });

  it('ties validation messages to their fields', async () => {
    renderWith({
      __typename: 'ValidationError',
      message: 'Invalid input',
      fieldErrors: [
        { path: ['input', 'email'], message: 'Enter an email address' },
        { path: ['input', 'password'], message: 'Enter your password' },
      ],
    });
    await fillAndSubmit('not-an-email', '');
    const email = screen.getByLabelText('Email');
    const password = screen.getByLabelText('Password');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(email.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Enter an email address',
    );
    expect(document.getElementById(password.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Enter your password',
    );
    expect(screen.getByRole('alert').textContent).toBe('Check the highlighted fields.');
    expect(document.activeElement).toBe(email);
  });
});

describe('problemFromFieldErrors', () => {
  it('keeps the first message per field and surfaces unknown paths at form level', () => {
    expect(
      problemFromFieldErrors([
        { path: ['input', 'password'], message: 'Enter your password' },
        { path: ['input', 'password'], message: 'Too long' },
        { path: ['input'], message: 'Something else' },
      ]),
    ).toEqual({ message: 'Check the highlighted field. Something else', fields: { password: 'Enter your password' } });
  });
});
