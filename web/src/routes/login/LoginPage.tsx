import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql/gql';
import { navigate, safeNext, useLocation } from '../../lib/router';
import { formatCountdown, formatDuration, useNow } from '../../lib/time';
import '../../styles/app.css';

const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on LoginPayload {
        expiresAt
        user {
          id
          name
        }
      }
      ... on Error {
        message
      }
      ... on TooManyAttemptsError {
        retryAfterSeconds
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

type Field = 'email' | 'password';

interface Problem {
  /** Announced in the live region. */
  message: string;
  fields: Partial<Record<Field, string>>;
}

/** Maps the API's field paths (["input", "email"]) onto our inputs; anything else is a form-level message. */
export function problemFromFieldErrors(fieldErrors: readonly { path: readonly string[]; message: string }[]): Problem {
  const fields: Partial<Record<Field, string>> = {};
  const other: string[] = [];
  for (const error of fieldErrors) {
    const name = error.path[error.path.length - 1];
    if ((name === 'email' || name === 'password') && !fields[name]) fields[name] = error.message;
    else if (name !== 'email' && name !== 'password') other.push(error.message);
  }
  const count = Object.keys(fields).length;
  const summary = count === 1 ? 'Check the highlighted field.' : 'Check the highlighted fields.';
  return { message: [count > 0 ? summary : '', ...other].filter(Boolean).join(' '), fields };
}

export function LoginPage() {
  const { search } = useLocation();
  const next = safeNext(search.get('next'));
  const [, login] = useMutation(LoginMutation);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const now = useNow(retryUntil ? 1000 : 60_000);
  const waitSeconds = retryUntil ? Math.max(0, (retryUntil - now) / 1000) : 0;
  const locked = waitSeconds > 0;

  useEffect(() => {
    if (retryUntil && !locked) setRetryUntil(null);
  }, [retryUntil, locked]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting || locked) return;
    setSubmitting(true);
    setProblem(null);
    const result = await login({ input: { email, password } });
    setSubmitting(false);
    const data = result.data?.login;
    if (!data) {
      setProblem({
        message: result.error?.networkError
          ? 'Cannot reach the server. Check your connection and try again.'
          : `Sign-in failed: ${result.error?.graphQLErrors[0]?.message ?? 'unexpected response'}`,
        fields: {},
      });
      return;
    }
    switch (data.__typename) {
      case 'LoginPayload':
        navigate(next, { replace: true });
        return;
      case 'InvalidCredentialsError':
        setPassword('');
        setProblem({ message: data.message, fields: {} });
        passwordRef.current?.focus();
        return;
      case 'TooManyAttemptsError':
        setRetryUntil(Date.now() + data.retryAfterSeconds * 1000);
        setProblem({
          message: `Too many failed sign-in attempts. Try again in ${formatDuration(data.retryAfterSeconds)}.`,
          fields: {},
        });
        return;
      case 'ValidationError': {
        const found = problemFromFieldErrors(data.fieldErrors);
        setProblem(found.message ? found : { message: data.message, fields: {} });
        (found.fields.email ? emailRef : found.fields.password ? passwordRef : emailRef).current?.focus();
        return;
      }
    }
  };

  const fieldError = (field: Field) => problem?.fields[field];
  const describedBy = (field: Field) => (fieldError(field) ? `${id}-${field}-error` : undefined);

  return (
    <main className="login">
      <title>Sign in · ITSM</title>
      <form
        className="login__card"
        onSubmit={onSubmit}
        noValidate
        aria-labelledby={`${id}-title`}
        aria-busy={submitting}
      >
        <h1 id={`${id}-title`}>Sign in</h1>
        {/* Always in the DOM so screen readers are already listening when a message appears. */}
        <div className="form-alert" role="alert" aria-atomic="true">
          {problem?.message ? <p>{problem.message}</p> : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            ref={emailRef}
            id={`${id}-email`}
            name="email"
            type="email"
            autoComplete="username"
            inputMode="email"
            spellCheck={false}
            // biome-ignore lint/a11y/noAutofocus: the page exists to fill in this field.
            autoFocus
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={fieldError('email') ? true : undefined}
            aria-describedby={describedBy('email')}
          />
          {fieldError('email') ? (
            <p className="field__error" id={`${id}-email-error`}>
              {fieldError('email')}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            ref={passwordRef}
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={fieldError('password') ? true : undefined}
            aria-describedby={describedBy('password')}
          />
          {fieldError('password') ? (
            <p className="field__error" id={`${id}-password-error`}>
              {fieldError('password')}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button button--primary" disabled={submitting || locked}>
          {submitting ? 'Signing in…' : locked ? `Try again in ${formatCountdown(waitSeconds)}` : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
