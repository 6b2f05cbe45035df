import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL URL; undefined selects the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  logLevel: LogLevel;
  /** Built SPA to serve at `/`; served only when its index.html exists. */
  webDist: string;
  /** Seed demo data when the database has no organisation yet. */
  seedDemoData: boolean;
  sessionTtlHours: number;
  /** Mark cookies `Secure`; on by default when PUBLIC_URL is https. */
  cookieSecure: boolean;
  publicUrl: string;
  shutdownGraceMs: number;
  /** Fallback interval at which each instance re-reads the event log even without a notification. */
  eventPollMs: number;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function boolVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgresql:// URL (leave it unset for the embedded database)');
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  }
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const port = intVar(env, 'PORT', 4000, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, '');
  return {
    port,
    host,
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || path.join(repoRoot, '.data')),
    redisUrl,
    logLevel,
    webDist: path.resolve(env.WEB_DIST || path.join(repoRoot, 'web/dist')),
    seedDemoData: boolVar(env, 'SEED_DEMO_DATA', true),
    sessionTtlHours: intVar(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 90),
    cookieSecure: boolVar(env, 'COOKIE_SECURE', publicUrl.startsWith('https://')),
    publicUrl,
    shutdownGraceMs: intVar(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    eventPollMs: intVar(env, 'EVENT_POLL_MS', 1000, 50, 3_600_000),
  };
}

let current: Config | undefined;

/** The running app's configuration, set once by buildApp; resolvers read policy values (cookie flags, TTLs) here. */
export function appConfig(): Config {
  current ??= loadConfig();
  return current;
}

export function setAppConfig(config: Config): void {
  current = config;
}
