import fs from 'node:fs';
import { ImapFlow } from 'imapflow';
import type { MailConfig } from '../../config.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../ticket/mutate.js';
import { storeInbound } from './intake.service.js';

/** Keyword set on a message once stored, so it is never imported twice even if moving it fails. */
export const IMPORTED_KEYWORD = '$ITSMImported';
/** Keyword for a message over the size limit: left in the mailbox for a person, never silently dropped. */
export const TOO_LARGE_KEYWORD = '$ITSMTooLarge';

export interface ImapPollResult {
  stored: number;
  duplicates: number;
  tooLarge: number;
  moved: number;
}

export interface ImapPoller {
  pollNow(): Promise<ImapPollResult>;
  stop(): Promise<void>;
  lastError(): string | null;
}

function connectionOptions(config: MailConfig) {
  const url = new URL(config.imapUrl!);
  const secure = url.protocol === 'imaps:';
  return {
    mailbox: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX',
    options: {
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 993 : 143,
      // imap:// still negotiates STARTTLS when offered; certificates are always verified.
      secure,
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
      tls: {
        rejectUnauthorized: true,
        ...(config.imapCaFile ? { ca: [fs.readFileSync(config.imapCaFile)] } : {}),
      },
      logger: false as const,
      disableAutoIdle: true,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
    },
  };
}

/**
 * Polls an existing mailbox. Each message is stored first (the same intake record and dedupe as SMTP), then flagged
 * imported and moved to the processed folder: a crash at any point leaves it either still in the mailbox (to be
 * fetched again, and recognised as a redelivery) or already stored. Nothing is deleted.
 */
export function startImapPoller(opts: {
  config: MailConfig;
  prisma: PrismaClient;
  log: Logger;
  clock: Clock;
  onStored: (id: string, duplicate: boolean) => void;
}): ImapPoller {
  const { config, prisma, log, clock } = opts;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ImapPollResult> | null = null;
  let error: string | null = null;

  async function poll(): Promise<ImapPollResult> {
    const result: ImapPollResult = { stored: 0, duplicates: 0, tooLarge: 0, moved: 0 };
    const { mailbox, options } = connectionOptions(config);
    const client = new ImapFlow(options);
    client.on('error', (err: Error) => log.warn({ err }, 'imap connection error'));
    await client.connect();
    try {
      const folders = await client.list();
      if (!folders.some((f) => f.path === config.imapProcessedMailbox)) {
        await client.mailboxCreate(config.imapProcessedMailbox);
      }
      const lock = await client.getMailboxLock(mailbox);
      try {
        const uids = (await client.search({ all: true }, { uid: true })) || [];
        for (const uid of uids) {
          if (stopped) break;
          const meta = await client.fetchOne(String(uid), { flags: true, size: true }, { uid: true });
          if (!meta) continue;
          if (meta.flags?.has(TOO_LARGE_KEYWORD)) continue;
          if (!meta.flags?.has(IMPORTED_KEYWORD)) {
            if ((meta.size ?? 0) > config.maxBytes) {
              await client.messageFlagsAdd(String(uid), [TOO_LARGE_KEYWORD], { uid: true });
              log.warn({ uid, size: meta.size }, 'imap message over the size limit: flagged and left in the mailbox');
              result.tooLarge += 1;
              continue;
            }
            const message = await client.fetchOne(String(uid), { source: true, envelope: true }, { uid: true });
            if (message === false || !message.source) continue;
            const returnPath = /^return-path:\s*<([^>]*)>/im.exec(message.source.subarray(0, 8192).toString('latin1'));
            const stored = await storeInbound(
              prisma,
              {
                source: 'IMAP',
                raw: message.source,
                envelopeFrom: returnPath ? returnPath[1]! : null,
                envelopeTo: [],
              },
              clock,
            );
            if (stored.duplicate) result.duplicates += 1;
            else result.stored += 1;
            opts.onStored(stored.id, stored.duplicate);
            await client.messageFlagsAdd(String(uid), [IMPORTED_KEYWORD, '\\Seen'], { uid: true });
          }
          const moved = await client.messageMove(String(uid), config.imapProcessedMailbox, { uid: true });
          if (moved) result.moved += 1;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    return result;
  }

  async function pollNow(): Promise<ImapPollResult> {
    // One poll at a time: a manual poll joins the one in progress and then runs again.
    while (running) await running.catch(() => undefined);
    running = poll();
    try {
      const result = await running;
      error = null;
      return result;
    } catch (err) {
      error = (err as Error).message;
      throw err;
    } finally {
      running = null;
    }
  }

  function schedule(delayMs = config.imapPollSeconds * 1000) {
    if (stopped) return;
    timer = setTimeout(() => {
      pollNow()
        .catch((err: unknown) => log.warn({ err }, 'imap poll failed; will retry'))
        .finally(() => schedule());
    }, delayMs);
    timer.unref();
  }
  schedule(0);

  return {
    pollNow,
    lastError: () => error,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
