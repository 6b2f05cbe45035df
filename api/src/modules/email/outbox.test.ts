// The durable outbox over real SMTP: the relay is down, the worker retries with growing delays, and the message is
// delivered (signed Message-ID, ticket token, loop-protection headers) once a relay listens again.
import net from 'node:net';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { backoffMs } from './intake.service.js';
import { mailKeys, verifyMessageId } from './signing.js';
import { OutboxDelivery } from './worker.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;
let relayPort: number;
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A local SMTP sink standing in for the organisation's relay. */
function startSink(port: number) {
  const received: { raw: Buffer; envelopeFrom: string; envelopeTo: string[] }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          raw: Buffer.concat(chunks),
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
  });
  return new Promise<{ received: typeof received; close: () => Promise<void> }>((resolve) => {
    server.listen(port, '127.0.0.1', () =>
      resolve({ received, close: () => new Promise<void>((r) => server.close(() => r())) }),
    );
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  relayPort = await freePort();
  t = await startTestApp({
    SMTP_URL: `smtp://127.0.0.1:${relayPort}`,
    MAIL_FROM: 'ITSM Service Desk <desk@itsm.test>',
    MAIL_RETRY_BASE_MS: '250',
    MAIL_RETRY_MAX: '12',
    MAIL_WORKER: 'true',
  });
  world = await createWorld(t.prisma);
});
afterAll(() => t?.stop());

describe('outbox delivery', () => {
  it('relay down → retried with exponential backoff → delivered when the relay returns', async () => {
    const created = await t.gql(
      'mutation ($i: TicketCreateInput!) { ticketCreate(input: $i) { ... on TicketCreatePayload { ticket { id number } } } }',
      {
        i: {
          title: 'Shared drive unreachable',
          description: 'The S: drive cannot be mapped from any office PC since 08:00.',
          class: 'INCIDENT',
          impact: 'MEDIUM',
          urgency: 'HIGH',
        },
      },
      { token: world.tokens.acme },
    );
    const ticket = created.data!.ticketCreate.ticket;
    const ticketId = Buffer.from(ticket.id, 'base64').toString().split(':')[1]!;
    // Written in the ticket's own transaction, pending delivery.
    const queued = await t.prisma.outboxMessage.findFirstOrThrow({ where: { ticketId, kind: 'ACKNOWLEDGEMENT' } });
    expect(queued.toAddress).toBe(world.users.acmeCustomer.email);

    // Watch the failed attempts: each is rescheduled further out than the one before.
    const seen: { attempts: number; delay: number }[] = [];
    await waitFor('three failed attempts', async () => {
      const row = await t.prisma.outboxMessage.findUniqueOrThrow({ where: { id: queued.id } });
      if (row.attempts > 0 && !seen.some((s) => s.attempts === row.attempts) && row.status === 'PENDING') {
        seen.push({ attempts: row.attempts, delay: row.nextAttemptAt.getTime() - Date.now() });
      }
      return row.attempts >= 3 && row;
    });
    const delays = seen.map((s) => s.delay);
    expect(delays.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]!).toBeGreaterThan(delays[i - 1]! * 1.4);
    const row = await t.prisma.outboxMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row.status).toBe('PENDING');
    expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(row.sentAt).toBeNull();

    const sink = await startSink(relayPort);
    try {
      const sent = await waitFor('delivery', async () => {
        const r = await t.prisma.outboxMessage.findUniqueOrThrow({ where: { id: queued.id } });
        return r.status === 'SENT' && r;
      });
      expect(sent.attempts).toBeGreaterThanOrEqual(4);
      expect(sent.lastError).toBeNull();
      expect(sink.received).toHaveLength(1);
      const mail = sink.received[0]!;
      expect(mail.envelopeTo).toEqual([world.users.acmeCustomer.email]);
      expect(mail.envelopeFrom).toBe('desk@itsm.test');
      const parsed = await PostalMime.parse(mail.raw);
      expect(parsed.messageId).toBe(`<${sent.messageId}>`);
      expect(parsed.subject).toBe(`[${ticket.number}] Received: Shared drive unreachable`);
      const header = (name: string) => parsed.headers.find((h) => h.key === name)?.value;
      expect(header('auto-submitted')).toBe('auto-generated');
      expect(header('x-auto-response-suppress')).toBe('All');
      expect(parsed.html).toContain(ticket.number);
      expect(parsed.text).toContain(`logged as ${ticket.number}`);
      // The Message-ID verifies as this installation's, naming the ticket: a reply to it threads by rule 1.
      const verdict = verifyMessageId(await mailKeys(t.prisma), sent.messageId);
      expect(verdict).toMatchObject({ kind: 'ours', ticketId, outboxId: sent.id });
    } finally {
      await sink.close();
    }
  }, 60_000);

  it('gives up after the last attempt (FAILED, visible), and a lead can send it again', async () => {
    const failing = new OutboxDelivery(
      {
        prisma: t.prisma,
        log: t.app.log,
        clock: { now: () => new Date(Date.now() + 3600_000) },
        config: { ...t.app.config.mail, retryMax: 2 },
      },
      {
        sendMail: async () => {
          throw new Error('550 5.1.1 mailbox unavailable');
        },
        close: () => undefined,
      } as never,
    );
    const ticket = await t.prisma.ticket.findFirstOrThrow();
    const msg = await t.prisma.outboxMessage.create({
      data: {
        ticketId: ticket.id,
        organizationId: ticket.organizationId,
        kind: 'STATUS_UPDATE',
        templateVersion: 0,
        toAddress: 'gone@example.test',
        fromAddress: 'desk@itsm.test',
        subject: 'x',
        text: 'x',
        html: 'x',
        messageId: `manual-${Date.now()}@itsm.test`,
        status: 'PENDING',
        attempts: 1,
        // Due for the test's clock (an hour ahead), not yet for the app's own worker.
        nextAttemptAt: new Date(Date.now() + 1800_000),
        createdAt: new Date(),
      },
    });
    await failing.deliverDue();
    const dead = await t.prisma.outboxMessage.findUniqueOrThrow({ where: { id: msg.id } });
    expect(dead).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(dead.lastError).toContain('mailbox unavailable');
    const status = await t.gql('{ mailStatus { relayConfigured failedOutbound } }', {}, { token: world.tokens.lead });
    expect(status.data?.mailStatus).toEqual({ relayConfigured: true, failedOutbound: 1 });
    const M =
      'mutation ($i: OutboundMailRetryInput!) { outboundMailRetry(input: $i) { __typename ... on OutboundMail { status attempts } } }';
    const byAgent = await t.gql(M, { i: { id: gid('OutboundMail', msg.id) } }, { token: world.tokens.agent });
    expect(byAgent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const retried = await t.gql(M, { i: { id: gid('OutboundMail', msg.id) } }, { token: world.tokens.lead });
    expect(retried.data?.outboundMailRetry).toEqual({ __typename: 'OutboundMail', status: 'PENDING', attempts: 0 });
  });

  it('backs off exponentially with a little jitter, capped', () => {
    for (let n = 1; n <= 6; n += 1) {
      const d = backoffMs(n, 1000);
      expect(d).toBeGreaterThanOrEqual(1000 * 2 ** (n - 1));
      expect(d).toBeLessThanOrEqual(1200 * 2 ** (n - 1));
    }
    expect(backoffMs(40, 1000)).toBeLessThanOrEqual(6 * 3600_000 * 1.2);
  });
});
