import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql/gql';
import { useFragmentToken } from '../../lib/fragmentToken';
import '../../styles/app.css';

const SurveyQuery = graphql(`
  query SatisfactionSurvey($token: String!) {
    satisfactionSurvey(token: $token) {
      ticketNumber
      ticketTitle
      answered
      rating
    }
  }
`);

const RespondMutation = graphql(`
  mutation SurveyRespond($input: SurveyRespondInput!) {
    surveyRespond(input: $input) {
      __typename
      ... on SurveyRespondPayload {
        rating
        ticketNumber
      }
      ... on Error {
        message
      }
    }
  }
`);

const RATINGS = [
  [1, 'Very dissatisfied'],
  [2, 'Dissatisfied'],
  [3, 'Neutral'],
  [4, 'Satisfied'],
  [5, 'Very satisfied'],
] as const;

/** The satisfaction survey a customer opens from the mail after a resolution: no login, one answer per link. */
export function SurveyPage() {
  const id = useId();
  const { token } = useFragmentToken();
  const [{ data, fetching, error }] = useQuery({
    query: SurveyQuery,
    variables: { token: token ?? '' },
    pause: !token,
  });
  const [{ fetching: sending }, respond] = useMutation(RespondMutation);
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const survey = data?.satisfactionSurvey;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token || rating === null) return;
    const res = await respond({ input: { token, rating, comment: comment.trim() || null } });
    const out = res.data?.surveyRespond;
    if (out?.__typename === 'SurveyRespondPayload') setResult({ ok: true, message: 'Thank you for your answer.' });
    else setResult({ ok: false, message: out && 'message' in out ? out.message : (res.error?.message ?? 'Not sent.') });
  };

  let body: ReactNode;
  if (!token || (data && !survey)) body = <p>This survey link is not valid (any more).</p>;
  else if (error) body = <p role="alert">{error.message}</p>;
  else if (!survey) body = <p role="status">{fetching ? 'Loading…' : ''}</p>;
  else if (result?.ok || survey.answered)
    body = (
      <p role="status" data-testid="survey-done">
        {result?.message ?? `You rated this ${survey.rating ?? ''}/5 already. Thank you.`}
      </p>
    );
  else
    body = (
      <form className="stack" onSubmit={onSubmit}>
        <fieldset className="rating">
          <legend>How satisfied are you with how we handled it?</legend>
          {RATINGS.map(([value, label]) => (
            <label key={value} className="rating__option">
              <input
                type="radio"
                name={`${id}-rating`}
                value={value}
                checked={rating === value}
                onChange={() => setRating(value)}
              />
              <span>
                {value} · {label}
              </span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-comment`}>Anything you want to tell us (optional)</label>
          <textarea id={`${id}-comment`} rows={4} value={comment} onChange={(e) => setComment(e.target.value)} />
        </div>
        <div className="form-alert" role="alert">
          {result && !result.ok ? <p>{result.message}</p> : null}
        </div>
        <button type="submit" className="button button--primary" disabled={rating === null || sending}>
          Send
        </button>
      </form>
    );

  return (
    <main className="login">
      <title>Satisfaction survey · ITSM</title>
      <div className="login__card public-card">
        <h1>How did we do?</h1>
        {survey ? (
          <p className="muted">
            {survey.ticketNumber} · {survey.ticketTitle}
          </p>
        ) : null}
        {body}
      </div>
    </main>
  );
}
