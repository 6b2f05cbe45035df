import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql/gql';
import { clearKioskToken } from '../../lib/kioskToken';

const LogoutMutation = graphql(`
  mutation Logout {
    logout {
      loggedOut
    }
  }
`);

export function LogoutButton() {
  const [{ fetching }, logout] = useMutation(LogoutMutation);
  const [failed, setFailed] = useState(false);

  const onClick = async () => {
    setFailed(false);
    const result = await logout({});
    if (result.error) {
      setFailed(true);
      return;
    }
    clearKioskToken();
    // A full page load, not a client-side navigation: it drops the normalized cache, the live socket and every
    // component's state, so nothing of this user survives for whoever uses the browser next.
    window.location.assign('/login');
  };

  return (
    <>
      <button type="button" className="button" onClick={onClick} disabled={fetching}>
        {fetching ? 'Signing out…' : 'Log out'}
      </button>
      {failed ? (
        <span role="alert" className="inline-error">
          Sign-out failed; try again.
        </span>
      ) : null}
    </>
  );
}
