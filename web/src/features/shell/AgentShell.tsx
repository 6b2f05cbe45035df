import { createContext, type ReactNode, useContext } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql';
import type { Role } from '../../gql/graphql';
import { describeError, isUnauthenticated } from '../../lib/errors';
import { Link, loginPath, Redirect, useLocation } from '../../lib/router';
import { LogoutButton } from '../auth/LogoutButton';
import { ConnectionDot } from '../connection/ConnectionStatus';
import '../../styles/app.css';

const ViewerQuery = graphql(`
  query Viewer {
    me {
      id
      name
      email
      role
      organization {
        id
        name
        kind
      }
    }
  }
`);

export interface Viewer {
  id: string;
  name: string;
  role: Role;
  organization: { id: string; name: string; kind: string };
}

const ViewerContext = createContext<Viewer | null>(null);

/** The signed-in staff member; only inside AgentShell. */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer() outside AgentShell');
  return viewer;
}

const ROLE_LABEL: Record<Role, string> = {
  CUSTOMER: 'Customer',
  AGENT: 'Agent',
  LEAD: 'Team lead',
  MANAGER: 'Manager',
  ADMIN: 'Administrator',
};

const NAV: { to: string; label: string; match: (path: string) => boolean }[] = [
  { to: '/', label: 'Queues', match: (p) => p === '/' },
  { to: '/tickets/new', label: 'New ticket', match: (p) => p === '/tickets/new' },
  { to: '/kpis', label: 'KPIs', match: (p) => p === '/kpis' },
  { to: '/responsibility', label: 'Responsibility', match: (p) => p === '/responsibility' },
  { to: '/wallboard', label: 'Wallboard', match: () => false },
];

/**
 * The agent workspace frame: who is signed in, the navigation, and a guard that sends anonymous visitors to the
 * login page (and customers away: this workspace is for the service desk).
 */
export function AgentShell({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  const { href, pathname } = useLocation();
  const [{ data, fetching, error }, reexecute] = useQuery({ query: ViewerQuery, requestPolicy: 'cache-and-network' });
  const me = data?.me;

  if (isUnauthenticated(error) || (!fetching && !error && data && !me)) return <Redirect to={loginPath(href)} />;

  let body: ReactNode;
  if (me && me.organization.kind !== 'PROVIDER') {
    body = (
      <div className="card card--error" role="alert">
        <p>This workspace is for the service desk. Customers use the customer portal.</p>
      </div>
    );
  } else if (me) {
    body = <ViewerContext value={me}>{children}</ViewerContext>;
  } else if (error) {
    body = (
      <div className="card card--error" role="alert">
        <p>{describeError(error)}</p>
        <button type="button" className="button" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
          Try again
        </button>
      </div>
    );
  } else {
    body = <p role="status">Loading…</p>;
  }

  return (
    <div className="shell">
      <title>{`${title} · ITSM`}</title>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="topbar__brand">
          ITSM
        </Link>
        <nav aria-label="Main" className="topbar__nav">
          {NAV.map((item) => (
            <Link key={item.to} to={item.to} aria-current={item.match(pathname) ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="topbar__actions">
          <ConnectionDot />
          {me ? (
            <div className="topbar__user">
              <span className="topbar__name" data-testid="current-user-name">
                {me.name}
              </span>
              <span className="topbar__meta">
                <span data-testid="current-user-role">{ROLE_LABEL[me.role] ?? me.role}</span>
                {' · '}
                <span data-testid="current-user-org">{me.organization.name}</span>
              </span>
            </div>
          ) : null}
          {me ? <LogoutButton /> : null}
        </div>
      </header>
      <main id="main" tabIndex={-1} className={wide ? 'page page--wide' : 'page'} aria-busy={fetching && !data}>
        {body}
      </main>
    </div>
  );
}
