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
  mail: MailConfig;
}

/** Email channel (modules/email). Every transport is off unless configured; mail then stays in the local outbox. */
export interface MailConfig {
  /** Sender of outbound mail, e.g. `Service Desk <servicedesk@example.com>`; its domain signs Message-IDs. */
  from: string;
  /** Recipient domains the SMTP listener accepts (default: the domain of `from`). */
  domains: string[];
  /** HMAC secret for Message-IDs and links; unset → one generated and kept in the database. */
  secret: string | undefined;
  /** SMTP listener port (0 = any free port); undefined = no listener. */
  listenPort: number | undefined;
  listenHost: string;
  /** Largest message accepted (SMTP SIZE, IMAP fetch), in bytes. */
  maxBytes: number;
  /** Inbound messages per sender address and hour beyond which mail is recorded but not processed. */
  ratePerHour: number;
  /** Outbound relay, `smtp://user:pass@host:port` or `smtps://…`; undefined = local outbox only. */
  smtpUrl: string | undefined;
  /** Mailbox to poll, `imaps://user:pass@host:993/INBOX` (or `imap://…` with STARTTLS); undefined = no poller. */
  imapUrl: string | undefined;
  /** Extra CA (PEM file) to verify the IMAP server's certificate with; verification is never switched off. */
  imapCaFile: string | undefined;
  /** Where processed messages are moved (created if missing). */
  imapProcessedMailbox: string;
  imapPollSeconds: number;
  /** Runs the mail worker (outbox delivery, intake retries, status-update cadence). */
  worker: boolean;
  retryBaseMs: number;
  retryMax: number;
  /** High-priority status-update cadence: `reminder` to the assignee, `customer` = automatic update, or `off`. */
  statusUpdates: 'reminder' | 'customer' | 'off';
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
    mail: loadMailConfig(env, host),
  };
}

function loadMailConfig(env: NodeJS.ProcessEnv, host: string): MailConfig {
  const from = env.MAIL_FROM || 'ITSM Service Desk <servicedesk@localhost>';
  const fromDomain = /@([^>\s]+)>?\s*$/.exec(from)?.[1]?.toLowerCase();
  if (!fromDomain) throw new ConfigError(`MAIL_FROM must contain an address, got "${from}"`);
  const urlVar = (name: string, schemes: RegExp) => {
    const value = env[name] || undefined;
    if (value && !schemes.test(value)) {
      throw new ConfigError(`${name} has an unsupported scheme: ${value.split(':')[0]}`);
    }
    return value;
  };
  const smtpUrl = urlVar('SMTP_URL', /^smtps?:\/\//);
  const imapUrl = urlVar('IMAP_URL', /^imaps?:\/\//);
  const listenPort = env.MAIL_LISTEN_PORT ? intVar(env, 'MAIL_LISTEN_PORT', 0, 0, 65535) : undefined;
  const statusUpdates = (env.MAIL_STATUS_UPDATES || 'reminder') as MailConfig['statusUpdates'];
  if (!['reminder', 'customer', 'off'].includes(statusUpdates)) {
    throw new ConfigError('MAIL_STATUS_UPDATES must be reminder, customer or off');
  }
  const secret = env.MAIL_SECRET || undefined;
  if (secret && secret.length < 16) throw new ConfigError('MAIL_SECRET must be at least 16 characters');
  return {
    from,
    domains: (env.MAIL_DOMAINS || fromDomain)
      .split(',')
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean),
    secret,
    listenPort,
    listenHost: env.MAIL_LISTEN_HOST || host,
    maxBytes: intVar(env, 'MAIL_MAX_BYTES', 25 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    ratePerHour: intVar(env, 'MAIL_RATE_LIMIT_PER_HOUR', 30, 1, 1_000_000),
    smtpUrl,
    imapUrl,
    imapCaFile: env.IMAP_TLS_CA_FILE || undefined,
    imapProcessedMailbox: env.IMAP_PROCESSED_MAILBOX || 'ITSM-Processed',
    imapPollSeconds: intVar(env, 'IMAP_POLL_SECONDS', 60, 1, 86_400),
    worker: boolVar(env, 'MAIL_WORKER', !!(smtpUrl || imapUrl || listenPort !== undefined)),
    retryBaseMs: intVar(env, 'MAIL_RETRY_BASE_MS', 30_000, 10, 86_400_000),
    retryMax: intVar(env, 'MAIL_RETRY_MAX', 8, 1, 100),
    statusUpdates,
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
