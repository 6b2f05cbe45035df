import { useQuery } from 'urql';
import { CurrentUser } from '../../features/auth/CurrentUser';
import { LogoutButton } from '../../features/auth/LogoutButton';
import { graphql } from '../../gql/gql';
import { describeError, isUnauthenticated } from '../../lib/errors';
import { Link, loginPath, Redirect, useLocation } from '../../lib/router';
import '../../styles/app.css';

const AgentHomeQuery = graphql(`
  query AgentHome {
    me {
      id
      ...CurrentUser_UserFragment
    }
  }
`);

export function HomePage() {
  const { href } = useLocation();
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: AgentHomeQuery,
    requestPolicy: 'cache-and-network',
  });

  if (isUnauthenticated(error) || (!fetching && !error && data && !data.me)) return <Redirect to={loginPath(href)} />;

  return (
    <div className="shell">
      <title>Home · ITSM</title>
      <header className="topbar">
        <span className="topbar__brand">ITSM</span>
        <nav aria-label="Main" className="topbar__nav">
          <Link to="/wallboard">Wallboard</Link>
        </nav>
        <div className="topbar__actions">{data?.me ? <LogoutButton /> : null}</div>
      </header>
      <main className="page" aria-busy={fetching && !data}>
        <h1>Agent workspace</h1>
        {data?.me ? (
          <CurrentUser user={data.me} />
        ) : error ? (
          <div className="card card--error" role="alert">
            <p>{describeError(error)}</p>
            <button type="button" className="button" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
              Try again
            </button>
          </div>
        ) : (
          <p role="status">Loading…</p>
        )}
      </main>
    </div>
  );
}
