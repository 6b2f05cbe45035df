import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useSyncExternalStore } from 'react';

/**
 * A few dozen lines of history-API routing: the SPA has a handful of flat routes, and react-router would be the
 * largest dependency of the wallboard bundle.
 */
const NAVIGATE_EVENT = 'itsm:navigate';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

// A string snapshot is stable between renders; parse it after reading.
const snapshot = () => `${window.location.pathname}${window.location.search}${window.location.hash}`;

export interface AppLocation {
  pathname: string;
  search: URLSearchParams;
  hash: string;
  /** pathname + search + hash, e.g. for a post-login "next". */
  href: string;
}

export function useLocation(): AppLocation {
  const href = useSyncExternalStore(subscribe, snapshot, () => '/');
  const url = new URL(href, 'http://localhost');
  return { pathname: url.pathname, search: url.searchParams, hash: url.hash, href };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  if (!options.replace) window.scrollTo?.(0, 0);
}

/**
 * Only same-origin paths may be a post-login destination: `next=//evil.example` or `next=https://…` would turn the
 * login page into an open redirect.
 */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  try {
    const url = new URL(next, 'http://localhost');
    if (url.origin !== 'http://localhost' || url.pathname === '/login') return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

export function loginPath(next: string): string {
  const target = safeNext(next, '/');
  return target === '/' ? '/login' : `/login?next=${encodeURIComponent(target)}`;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; replace?: boolean };

/** An ordinary link (middle-click, ctrl-click, "open in new tab" keep working) that navigates in place otherwise. */
export function Link({ to, replace, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      (rest.target && rest.target !== '_self')
    ) {
      return;
    }
    event.preventDefault();
    navigate(to, { replace });
  };
  return <a href={to} onClick={handleClick} {...rest} />;
}

/**
 * Matches `/tickets/:number` style patterns against a pathname; returns the decoded parameters, or null. A trailing
 * slash is ignored, and a parameter never spans a `/`.
 */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const trim = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  const want = trim(pattern).split('/');
  const have = trim(pathname).split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const h = have[i] ?? '';
    if (w.startsWith(':')) {
      if (!h) return null;
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return null;
      }
    } else if (w !== h) return null;
  }
  return params;
}

/** Replaces the current entry, so Back does not bounce the user into the redirect again. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
