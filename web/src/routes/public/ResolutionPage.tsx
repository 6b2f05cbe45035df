import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql/gql';
import { useFragmentToken } from '../../lib/fragmentToken';
import '../../styles/app.css';

const RespondMutation = graphql(`
  mutation ResolutionRespond($input: ResolutionRespondInput!) {
    resolutionRespond(input: $input) {
      __typename
      ... on ResolutionRespondPayload {
        ticketNumber
        status
        resolutionConfirmed
      }
      ... on Error {
        message
      }
    }
  }
`);

/**
 * The confirm / reject links of a resolution notice (no login). Nothing happens on opening the link — mail scanners
 * open links too — only when the customer presses the button.
 */
export function ResolutionPage() {
  const id = useId();
  const { token, params } = useFragmentToken();
  const [accept, setAccept] = useState(params.get('answer') !== 'reject');
  const [comment, setComment] = useState('');
  const [{ fetching }, respond] = useMutation(RespondMutation);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token) return;
    const res = await respond({ input: { token, accept, comment: comment.trim() || null } });
    const out = res.data?.resolutionRespond;
    if (out?.__typename === 'ResolutionRespondPayload')
      setResult({
        ok: true,
        message: accept
          ? `Thank you: ${out.ticketNumber} is confirmed as solved.`
          : `Thank you: ${out.ticketNumber} is open again and we are back on it.`,
      });
    else setResult({ ok: false, message: out && 'message' in out ? out.message : (res.error?.message ?? 'Not sent.') });
  };

  return (
    <main className="login">
      <title>Your ticket's resolution · ITSM</title>
      <div className="login__card public-card">
        <h1>Is it solved?</h1>
        {!token ? (
          <p>This link is not valid (any more).</p>
        ) : result?.ok ? (
          <p role="status" data-testid="resolution-done">
            {result.message}
          </p>
        ) : (
          <form className="stack" onSubmit={onSubmit}>
            <fieldset className="rating">
              <legend>Your answer</legend>
              <label className="rating__option">
                <input type="radio" name={`${id}-answer`} checked={accept} onChange={() => setAccept(true)} />
                <span>Yes, it works</span>
              </label>
              <label className="rating__option">
                <input type="radio" name={`${id}-answer`} checked={!accept} onChange={() => setAccept(false)} />
                <span>No, it is still not working</span>
              </label>
            </fieldset>
            <div className="field">
              <label htmlFor={`${id}-comment`}>{accept ? 'Comment (optional)' : 'What is still wrong?'}</label>
              <textarea
                id={`${id}-comment`}
                rows={4}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                required={!accept}
              />
            </div>
            <div className="form-alert" role="alert">
              {result && !result.ok ? <p>{result.message}</p> : null}
            </div>
            <button
              type="submit"
              className="button button--primary"
              disabled={fetching || (!accept && !comment.trim())}
            >
              Send my answer
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
