import { type ComponentType, lazy, Suspense } from 'react';
import { useLocation } from './lib/router';

// Each route is its own chunk: the wallboard must not download the agent workspace, and vice versa.
const routes: Record<string, ComponentType> = {
  '/': lazy(() => import('./routes/agent/HomePage').then((m) => ({ default: m.HomePage }))),
  '/login': lazy(() => import('./routes/login/LoginPage').then((m) => ({ default: m.LoginPage }))),
  '/wallboard': lazy(() => import('./routes/wallboard/WallboardPage').then((m) => ({ default: m.WallboardPage }))),
};

function normalise(pathname: string): string {
  return pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
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
  const Page = routes[normalise(pathname)] ?? NotFound;
  return (
    <Suspense fallback={<Loading />}>
      <Page />
    </Suspense>
  );
}
