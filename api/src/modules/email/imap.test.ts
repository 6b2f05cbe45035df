// The IMAP poller against a real IMAP server on loopback: Debian's dovecot, started by .ci/dovecot.sh (this test
// starts it too when it is not running). TLS is verified against the test CA, never switched off.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { repoRoot } from '../../config.js';
import { IMPORTED_KEYWORD, startImapPoller, TOO_LARGE_KEYWORD } from './imap.js';
import { mailRuntime } from './runtime.js';

const HOST = '127.0.0.1';
const PORT = Number(process.env.TEST_IMAP_PORT ?? 10993);
const PASSWORD = 'itsm-test-password';
const CA_FILE = process.env.TEST_IMAP_CA_FILE ?? '/var/lib/itsm-dovecot/ca.pem';

function listening(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(PORT, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Dovecot up (starting it with .ci/dovecot.sh if needed), or the reason it cannot be. */
async function ensureDovecot(): Promise<string | null> {
  if ((await listening()) && fs.existsSync(CA_FILE)) return null;
  const run = spawnSync('bash', [path.join(repoRoot, '.ci/dovecot.sh')], { encoding: 'utf8', timeout: 240_000 });
  if ((await listening()) && fs.existsSync(CA_FILE)) return null;
  return `dovecot could not be installed or started by .ci/dovecot.sh (exit ${run.status}): ${(run.stderr || run.stdout || String(run.error)).trim().slice(-400)}`;
}

const unavailable = await ensureDovecot();
if (unavailable) console.warn(`IMAP poller tests skipped: ${unavailable}`);

const user = `itsm-${randomBytes(4).toString('hex')}`;
let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;

function mailbox() {
  return new ImapFlow({
    host: HOST,
    port: PORT,
    secure: true,
    auth: { user, pass: PASSWORD },
    tls: { ca: [fs.readFileSync(CA_FILE)], rejectUnauthorized: true },
    logger: false,
  });
}

async function withMailbox<T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const c = mailbox();
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.logout();
  }
}

async function countIn(c: ImapFlow, box: string): Promise<number> {
  const status = await c.status(box, { messages: true });
  return status ? (status.messages ?? 0) : 0;
}

function message(opts: {
  from: string;
  subject: string;
  id: string;
  headers?: string;
  body?: string;
  inReplyTo?: string;
}) {
  return [
    `From: ${opts.from}`,
    'To: desk@itsm.test',
    `Subject: ${opts.subject}`,
    `Message-ID: <${opts.id}>`,
    `Date: ${new Date().toUTCString()}`,
    ...(opts.inReplyTo ? [`In-Reply-To: <${opts.inReplyTo}>`] : []),
    ...(opts.headers ? [opts.headers] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.body ?? 'The scanner on floor 2 produces blank pages since the update.',
    '',
  ].join('\r\n');
}

/** Each test skips itself, with the reason, when no IMAP server could be had. */
function imapIt(name: string, fn: () => Promise<void>) {
  it(name, async (ctx) => {
    if (unavailable) ctx.skip(`needs dovecot: ${unavailable}`);
    await fn();
  });
}

describe('IMAP poller (dovecot on loopback)', () => {
  beforeAll(async () => {
    if (unavailable) return;
    t = await startTestApp({
      IMAP_URL: `imaps://${user}:${PASSWORD}@${HOST}:${PORT}/INBOX`,
      IMAP_TLS_CA_FILE: CA_FILE,
      IMAP_POLL_SECONDS: '3600',
      MAIL_FROM: 'ITSM Service Desk <desk@itsm.test>',
      MAIL_MAX_BYTES: String(64 * 1024),
      MAIL_WORKER: 'false',
    });
    world = await createWorld(t.prisma);
  });
  afterAll(() => t?.stop());

  imapIt(
    'imports new mail into tickets, records noise and redeliveries, and moves every message to the processed folder',
    async () => {
      const rita = await createUser(t.prisma, world.acme.id, 'CUSTOMER', { email: `rita-${user}@example.test` });
      const id = `${randomBytes(6).toString('hex')}@client.example`;
      await withMailbox(async (c) => {
        await c.append('INBOX', message({ from: rita.email, subject: 'Scanner prints blank pages', id }));
        await c.append(
          'INBOX',
          message({
            from: rita.email,
            subject: 'Out of office',
            id: `ooo-${id}`,
            headers: 'Auto-Submitted: auto-replied',
          }),
        );
        // The same message a second time (a client that re-sent it): recorded as a redelivery, never a second ticket.
        await c.append('INBOX', message({ from: rita.email, subject: 'Scanner prints blank pages', id }));
      });
      const result = await mailRuntime().pollImap();
      expect(result).toEqual({ stored: 2, duplicates: 1, tooLarge: 0, moved: 3 });
      const rows = await t.prisma.inboundMessage.findMany({
        where: { fromAddress: rita.email },
        orderBy: { receivedAt: 'asc' },
      });
      expect(rows.map((r) => [r.source, r.outcome])).toEqual([
        ['IMAP', 'TICKET_CREATED'],
        ['IMAP', 'AUTO_REPLY'],
      ]);
      expect(await t.prisma.inboundMessage.count({ where: { messageId: id, outcome: 'DUPLICATE' } })).toBe(1);
      const ticket = await t.prisma.ticket.findUniqueOrThrow({ where: { id: rows[0]!.ticketId! } });
      expect(ticket).toMatchObject({ channel: 'EMAIL', requesterId: rita.id, title: 'Scanner prints blank pages' });
      const ack = await t.prisma.outboxMessage.findFirstOrThrow({
        where: { ticketId: ticket.id, kind: 'ACKNOWLEDGEMENT' },
      });

      await withMailbox(async (c) => {
        expect(await countIn(c, 'INBOX')).toBe(0);
        expect(await countIn(c, 'ITSM-Processed')).toBe(3);
        const lock = await c.getMailboxLock('ITSM-Processed');
        try {
          for await (const m of c.fetch('1:*', { flags: true })) expect(m.flags?.has(IMPORTED_KEYWORD)).toBe(true);
        } finally {
          lock.release();
        }
        // The customer answers the acknowledgement: it threads by our signed Message-ID.
        await c.append(
          'INBOX',
          message({
            from: rita.email,
            subject: 'Re: scanner',
            id: `re-${id}`,
            inReplyTo: ack.messageId,
            body: 'It happens with colour only.',
          }),
        );
      });
      await mailRuntime().pollImap();
      const reply = await t.prisma.inboundMessage.findFirstOrThrow({ where: { messageId: `re-${id}` } });
      expect(reply).toMatchObject({
        source: 'IMAP',
        outcome: 'REPLY_ADDED',
        threadRule: 'SIGNED_MESSAGE_ID',
        ticketId: ticket.id,
      });
    },
  );

  imapIt('leaves an oversized message in the mailbox, flagged for a person, never dropped', async () => {
    await withMailbox((c) =>
      c.append(
        'INBOX',
        message({
          from: world.users.acmeCustomer.email,
          subject: 'Huge log',
          id: `big-${user}@x`,
          body: 'y'.repeat(100 * 1024),
        }),
      ),
    );
    const result = await mailRuntime().pollImap();
    expect(result).toMatchObject({ stored: 0, tooLarge: 1 });
    await withMailbox(async (c) => {
      expect(await countIn(c, 'INBOX')).toBe(1);
      const lock = await c.getMailboxLock('INBOX');
      try {
        const m = await c.fetchOne('*', { flags: true });
        expect(m ? m.flags?.has(TOO_LARGE_KEYWORD) : false).toBe(true);
      } finally {
        lock.release();
      }
    });
    // Flagged once, not reported again on the next poll.
    expect(await mailRuntime().pollImap()).toMatchObject({ stored: 0, tooLarge: 0 });
  });

  imapIt(
    'verifies the server certificate: without the CA the poller refuses to connect and the mail stays put',
    async () => {
      await withMailbox((c) =>
        c.append('INBOX', message({ from: world.users.acmeCustomer.email, subject: 'Untrusted', id: `tls-${user}@x` })),
      );
      const poller = startImapPoller({
        config: { ...t.app.config.mail, imapCaFile: undefined, imapPollSeconds: 3600 },
        prisma: t.prisma,
        log: t.app.log,
        clock: { now: () => new Date() },
        onStored: () => undefined,
      });
      try {
        await expect(poller.pollNow()).rejects.toThrow(/certificate|self[- ]signed|unable to verify/i);
      } finally {
        await poller.stop();
      }
      expect(await t.prisma.inboundMessage.count({ where: { messageId: `tls-${user}@x` } })).toBe(0);
      await withMailbox(async (c) => expect(await countIn(c, 'INBOX')).toBe(2));
    },
  );
});
