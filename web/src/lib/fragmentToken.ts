import { useState } from 'react';
import { parseTokenFragment } from './kioskToken';

/**
 * A one-time link's token from the fragment (`#token=…&answer=…`): read once, then removed from the address bar so
 * it does not end up in the history, a bookmark or a screenshot. The fragment never reaches the server.
 */
export function useFragmentToken(): { token: string | null; params: URLSearchParams } {
  const [value] = useState(() => {
    const { token, rest } = parseTokenFragment(window.location.hash);
    const params = new URLSearchParams(rest.replace(/^#/, ''));
    if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname);
    return { token, params };
  });
  return value;
}
