import type { Config } from '../../config.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { type Clock, systemClock } from '../ticket/mutate.js';
import { type ImapPoller, startImapPoller } from './imap.js';
import { type IntakeDeps, pendingInbound, processInbound } from './intake.service.js';
import './notify.js';
import { mailKeys } from './signing.js';
import { type SmtpListener, startSmtpListener } from './smtp.js';
import { mailUnsentNotices, OutboxDelivery, statusUpdateCadence } from './worker.js';

/** How long processing may wait for SMTP sessions to store their messages before it takes its turn anyway. */
const MAX_DEFER_MS = 2000;
/** Quiet time after the last stored message before processing starts (a client's next MAIL FROM is that close). */
const QUIET_MS = 25;

/**
 * Processes stored messages in the background, a few at a time (one on the single-connection embedded database).
 * On the embedded database a processing transaction holds the only connection, so while SMTP sessions are storing
 * it steps back: senders get their 250 at storage speed and processing catches up after (never starved > 2 s).
 */
class IntakeQueue {
  private readonly queue: string[] = [];
  private running = 0;
  private storing = 0;
  private lastStored = 0;
  private deferredSince = 0;
  private retry: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly deps: IntakeDeps,
    private readonly concurrency: number,
    private readonly yieldToStores: boolean,
  ) {}

  storeBegin(): void {
    this.storing += 1;
  }

  storeEnd(): void {
    this.storing -= 1;
    this.lastStored = Date.now();
    if (this.storing === 0) this.pump();
  }

  close(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
  }

  push(id: string): void {
    if (this.queue.includes(id)) return;
    this.queue.push(id);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length) {
      const now = Date.now();
      if (this.yieldToStores && (this.storing > 0 || now - this.lastStored < QUIET_MS)) {
        this.deferredSince ||= now;
        if (now - this.deferredSince < MAX_DEFER_MS) {
          this.retry ??= setTimeout(() => {
            this.retry = undefined;
            this.pump();
          }, QUIET_MS);
          return;
        }
      }
      this.deferredSince = 0;
      const id = this.queue.shift()!;
      this.running += 1;
      processInbound(this.deps, id)
        .catch((err: unknown) => this.deps.log.error({ err, inboundId: id }, 'inbound processing crashed'))
        .finally(() => {
          this.running -= 1;
          if (this.running === 0 && this.queue.length === 0) {
            for (const resolve of this.idleWaiters.splice(0)) resolve();
            return;
          }
          // The embedded database runs on this thread and its queries resolve as microtasks: give socket I/O (SMTP
          // replies, HTTP requests) a turn between messages, or a backlog would hold every client until it is done.
          setImmediate(() => this.pump());
        });
    }
  }

  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

export interface MailRuntime {
  /** The SMTP listener's port, or null when it is off. */
  smtpPort: number | null;
  /** Waits until every stored message handed to processing is done. */
  drain(): Promise<void>;
  /** Re-queues messages left unprocessed (after a restart) or due for a retry, and waits for them. */
  sweepInbound(): Promise<number>;
  /** One outbox delivery round (no-op without SMTP_URL). */
  deliverDue(): Promise<number>;
  /** Polls the IMAP mailbox now and waits for the messages to be processed; null when no poller is configured. */
  pollImap(): Promise<{ stored: number; duplicates: number; tooLarge: number; moved: number } | null>;
  statusUpdates(): Promise<number>;
  stop(): Promise<void>;
}

let active: MailRuntime | undefined;

/** The running app's mail runtime (tests and the bench reach the listener port and drains through it). */
export function mailRuntime(): MailRuntime {
  if (!active) throw new Error('mail runtime not started');
  return active;
}

/**
 * Starts what the configuration asks for: the SMTP listener, the IMAP poller, and the mail worker (outbox delivery,
 * intake retries, status-update cadence). With none configured nothing runs in the background and outbound mail is
 * final in the local outbox as it is written.
 */
export async function startMail(
  config: Config,
  prisma: PrismaClient,
  log: Logger,
  clock: Clock = systemClock,
): Promise<MailRuntime> {
  const mail = config.mail;
  const mlog = log.child({ module: 'email' });
  await mailKeys(prisma);
  const deps: IntakeDeps = { prisma, clock, log: mlog, config: mail };
  const queue = new IntakeQueue(deps, config.databaseUrl ? 4 : 1, !config.databaseUrl);
  const onStored = (id: string, duplicate: boolean) => {
    if (!duplicate) queue.push(id);
  };
  const delivery = new OutboxDelivery({ prisma, log: mlog, clock, config: mail });

  let smtp: SmtpListener | null = null;
  if (mail.listenPort !== undefined) {
    smtp = await startSmtpListener({
      config: mail,
      prisma,
      log: mlog,
      clock,
      onStored,
      storing: { begin: () => queue.storeBegin(), end: () => queue.storeEnd() },
    });
  }
  const imap: ImapPoller | null = mail.imapUrl
    ? startImapPoller({ config: mail, prisma, log: mlog, clock, onStored })
    : null;

  const sweepInbound = async () => {
    const ids = await pendingInbound(prisma, clock.now());
    for (const id of ids) queue.push(id);
    await queue.idle();
    return ids.length;
  };

  const timers: NodeJS.Timeout[] = [];
  let stopping = false;
  const inFlight = new Set<Promise<unknown>>();
  const every = (ms: number, task: () => Promise<unknown>, name: string) => {
    const run = () => {
      if (stopping) return;
      const p = task()
        .catch((err: unknown) => mlog.warn({ err }, `${name} failed`))
        .finally(() => {
          inFlight.delete(p);
          if (!stopping) timers.push(setTimeout(run, ms).unref());
        });
      inFlight.add(p);
    };
    timers.push(setTimeout(run, 0).unref());
  };
  if (mail.worker) {
    every(Math.min(1000, mail.retryBaseMs), () => delivery.deliverDue(), 'outbox delivery');
    every(15_000, sweepInbound, 'inbound sweep');
    every(
      60_000,
      async () => {
        await statusUpdateCadence({ prisma, log: mlog, clock, config: mail });
        await mailUnsentNotices({ prisma, clock });
      },
      'status updates',
    );
  }

  const runtime: MailRuntime = {
    smtpPort: smtp?.port ?? null,
    drain: () => queue.idle(),
    sweepInbound,
    deliverDue: () => delivery.deliverDue(),
    pollImap: async () => {
      if (!imap) return null;
      const result = await imap.pollNow();
      await queue.idle();
      return result;
    },
    statusUpdates: () => statusUpdateCadence({ prisma, log: mlog, clock, config: mail }),
    stop: async () => {
      stopping = true;
      for (const t of timers) clearTimeout(t);
      await smtp?.close();
      await imap?.stop();
      await Promise.allSettled([...inFlight]);
      await queue.idle();
      queue.close();
      delivery.close();
      if (active === runtime) active = undefined;
    },
  };
  active = runtime;
  return runtime;
}
