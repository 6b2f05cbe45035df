import type { YogaInitialContext } from 'graphql-yoga';
import type { Logger } from './logger.js';
import type { Viewer } from './modules/auth/scopes.js';

/** Who is calling. Nothing else: services and the database are imported, not carried here. */
export interface Context {
  viewer: Viewer | null;
  /** Why presented credentials were refused (expired, revoked …), to explain UNAUTHENTICATED. */
  authFailure: string | null;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  log: Logger;
  /** Set-Cookie values for the HTTP response (login/logout); ignored on WebSocket operations. */
  responseCookies: string[];
  /** The raw session secret from the cookie, so logout can revoke exactly this session. */
  sessionSecret: string | null;
}

export type InitialContext = YogaInitialContext & Record<string, unknown>;
