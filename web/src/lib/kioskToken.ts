/**
 * Kiosk / wallboard authentication: an API token handed over in the URL fragment (`/wallboard#token=itsm_…`).
 * The fragment never reaches the server (browsers do not send it, and we strip it from the address bar so it
 * does not leak through Referer, screenshots or bookmarks); the token lives in sessionStorage for this tab only,
 * so a reload keeps working and closing the tab forgets it.
 */
const STORAGE_KEY = 'itsm.kioskToken';

// Fallback when sessionStorage is unavailable (some locked-down kiosk browsers throw on access).
let memoryToken: string | null = null;

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/** Splits `#token=…&other=1` into the token and the fragment without it ('' when nothing else remains). */
export function parseTokenFragment(hash: string): { token: string | null; rest: string } {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!raw) return { token: null, rest: '' };
  const params = new URLSearchParams(raw);
  const value = params.get('token')?.trim() ?? '';
  if (!params.has('token')) return { token: null, rest: hash.startsWith('#') ? hash : `#${hash}` };
  params.delete('token');
  const remaining = params.toString();
  // A value with whitespace inside is a copy-paste accident, not a token: drop it rather than send it.
  const token = value && !/\s/.test(value) ? value : null;
  return { token, rest: remaining ? `#${remaining}` : '' };
}

export function getKioskToken(): string | null {
  const store = storage();
  if (!store) return memoryToken;
  try {
    return store.getItem(STORAGE_KEY) ?? memoryToken;
  } catch {
    return memoryToken;
  }
}

export function setKioskToken(token: string | null): void {
  memoryToken = token;
  const store = storage();
  try {
    if (token) store?.setItem(STORAGE_KEY, token);
    else store?.removeItem(STORAGE_KEY);
  } catch {
    // Memory fallback already holds it.
  }
}

export function clearKioskToken(): void {
  setKioskToken(null);
}

/**
 * Reads a token from the current fragment once, stores it and removes it from the address bar. Call before the
 * first request. Returns the token now in effect (from the fragment, or one stored earlier in this tab).
 */
export function captureKioskToken(win: Pick<Window, 'location' | 'history'> = window): string | null {
  const { token, rest } = parseTokenFragment(win.location.hash);
  if (win.location.hash && rest !== win.location.hash) {
    const url = `${win.location.pathname}${win.location.search}${rest}`;
    win.history.replaceState(win.history.state, '', url);
  }
  if (token) setKioskToken(token);
  return getKioskToken();
}
