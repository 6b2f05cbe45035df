import { type ComponentType, lazy, Suspense } from 'react';
import { matchPath, useLocation } from './lib/router';

type Page = ComponentType<{ params: Record<string, string> }>;

const page = <K extends string>(load: () => Promise<Record<K, Page>>, name: K): Page =>
  lazy(() => load().then((m) => ({ default: m[name] as Page })));

// Each route is its own chunk: the wallboard must not download the agent workspace, and vice versa. First match wins,
// so literal paths come before parameterised ones (`/tickets/new` before `/tickets/:number`).
const routes: [pattern: string, page: Page][] = [
  ['/', page(() => import('./routes/queues/QueuePage'), 'QueuePage')],
  ['/login', page(() => import('./routes/login/LoginPage'), 'LoginPage')],
  ['/wallboard', page(() => import('./routes/wallboard/WallboardPage'), 'WallboardPage')],
  ['/tickets/new', page(() => import('./routes/ticket/NewTicketPage'), 'NewTicketPage')],
  ['/tickets/:number', page(() => import('./routes/ticket/TicketPage'), 'TicketPage')],
  ['/kpis', page(() => import('./routes/kpi/KpiPage'), 'KpiPage')],
  ['/responsibility', page(() => import('./routes/responsibility/ResponsibilityPage'), 'ResponsibilityPage')],
  // Customer links from mail (no login): the satisfaction survey and the resolution confirm / reject.
  ['/survey', page(() => import('./routes/public/SurveyPage'), 'SurveyPage')],
  ['/resolution', page(() => import('./routes/public/ResolutionPage'), 'ResolutionPage')],
];

export function resolveRoute(pathname: string): { Page: Page; params: Record<string, string> } | null {
  for (const [pattern, Page] of routes) {
    const params = matchPath(pattern, pathname);
    if (params) return { Page, params };
  }
  return null;
}

function NotFound() {
  return (
    <main className="page page--narrow">
      <title>Not found · ITSM</title>
      <h1>Page not found</h1>
      <p>
        <a href="/">Go to the start page</a>
      </p>
    </main>
  );
}

function Loading() {
  return (
    <div className="page-loading" role="status" aria-live="polite">
      Loading…
    </div>
  );
}

export function App() {
  const { pathname } = useLocation();
  const route = resolveRoute(pathname);
  if (!route) return <NotFound />;
  const { Page, params } = route;
  return (
    <Suspense fallback={<Loading />}>
      <Page params={params} />
    </Suspense>
  );
}
