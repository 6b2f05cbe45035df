// SMTP intake throughput: messages per second from a real SMTP client (nodemailer, 4 connections) to tickets.
// Baseline in the same run and process: a bare smtp-server that accepts and discards (no storage, no processing).
// Measured: (a) the bare baseline, (b) our listener's acceptance rate (each 250 only after the raw message is stored),
// (c) new mail → tickets end to end (ticket, audit, events, hooks, acknowledgement in the outbox), (d) replies
// threaded by subject token → comments. Uses the embedded database unless DATABASE_URL is set.
// Run by hand: `npx tsx bench/smtp-intake.ts [messages=300]`.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../api/src/app.js';
import { loadConfig } from '../api/src/config.js';
import { mailRuntime } from '../api/src/modules/email/runtime.js';

// The mail packages are the API's dependencies, not the workspace root's: load them from there.
const fromApi = createRequire(new URL('../api/package.json', import.meta.url));
const load = async (name: string) => import(pathToFileURL(fromApi.resolve(name)).href);
type SendMailOptions = { from: string; to: string; subject: string; text: string; messageId: string };
interface Transport {
  sendMail(message: SendMailOptions): Promise<unknown>;
  close(): void;
}
interface Stream {
  on(event: string, listener: () => void): void;
}
interface Sink {
  server: { address(): unknown };
  listen(port: number, host: string, done: () => void): void;
  close(): void;
}
const nodemailer = (await load('nodemailer')).default as { createTransport(options: object): Transport };
const { SMTPServer } = (await load('smtp-server')) as {
  SMTPServer: new (options: {
    authOptional: boolean;
    disabledCommands: string[];
    logger: boolean;
    onData(stream: Stream, session: unknown, callback: () => void): void;
  }) => Sink;
};

const N = Number(process.argv[2] ?? 300);
const CONNECTIONS = 4;
const SENDERS = 20;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'itsm-smtp-bench-'));

const app = buildApp(
  loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    LOG_LEVEL: 'warn',
    SEED_DEMO_DATA: 'false',
    MAIL_LISTEN_PORT: '0',
    MAIL_LISTEN_HOST: '127.0.0.1',
    MAIL_FROM: 'Bench Desk <desk@bench.test>',
    MAIL_RATE_LIMIT_PER_HOUR: '1000000',
    MAIL_WORKER: 'false',
  }),
);
await app.start();
const prisma = app.database().prisma;
const org = await prisma.organization.create({
  data: { slug: `bench-${Date.now()}`, name: 'Bench Customer', kind: 'CUSTOMER' },
});
const senders = await Promise.all(
  Array.from({ length: SENDERS }, (_, i) =>
    prisma.user.create({
      data: {
        email: `sender${i}-${Date.now()}@bench-customer.test`,
        name: `Sender ${i}`,
        role: 'CUSTOMER',
        organizationId: org.id,
      },
    }),
  ),
);

function client(port: number) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Number.POSITIVE_INFINITY,
  });
}

async function blast(port: number, messages: SendMailOptions[]): Promise<number> {
  const transport = client(port);
  const started = performance.now();
  await Promise.all(messages.map((m) => transport.sendMail(m)));
  const ms = performance.now() - started;
  transport.close();
  return ms;
}

let counter = 0;
function newMail(i: number): SendMailOptions {
  counter += 1;
  return {
    from: senders[i % SENDERS]!.email,
    to: 'desk@bench.test',
    subject: `Bench request ${counter}: the VPN drops every few minutes`,
    text: `Message ${counter}. Since this morning the VPN disconnects every few minutes for everyone in the office.\n`.repeat(
      5,
    ),
    messageId: `<bench-${counter}-${Date.now()}@bench-customer.test>`,
  };
}

// (a) Baseline: bare accept-and-discard SMTP server, same client, same process.
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => callback());
  },
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
const sinkPort = (sink.server.address() as AddressInfo).port;
await blast(
  sinkPort,
  Array.from({ length: 20 }, (_, i) => newMail(i)),
);
const baselineMs = await blast(
  sinkPort,
  Array.from({ length: N }, (_, i) => newMail(i)),
);
sink.close();

// Warm-up of the real path (JIT, caches, first ticket numbers).
const port = mailRuntime().smtpPort!;
await blast(
  port,
  Array.from({ length: 20 }, (_, i) => newMail(i)),
);
await mailRuntime().drain();

// (b) + (c): accepted (250 after storage) and turned into tickets.
const ticketsBefore = await prisma.ticket.count();
const started = performance.now();
const acceptMs = await blast(
  port,
  Array.from({ length: N }, (_, i) => newMail(i)),
);
await mailRuntime().drain();
const ticketsMs = performance.now() - started;
const created = (await prisma.ticket.count()) - ticketsBefore;

// (d) replies by subject token onto the tickets just created.
const recent = await prisma.ticket.findMany({ orderBy: { createdAt: 'desc' }, take: N, include: { requester: true } });
const replies = recent.map((t, i) => ({
  from: t.requester.email,
  to: 'desk@bench.test',
  subject: `Re: [${t.number}] more details`,
  text: `Reply ${i}: it also happens on the wired network.`,
  messageId: `<bench-reply-${i}-${Date.now()}@bench-customer.test>`,
}));
const entriesBefore = await prisma.ticketEntry.count({ where: { kind: 'PUBLIC_REPLY' } });
const startedReplies = performance.now();
await blast(port, replies);
await mailRuntime().drain();
const repliesMs = performance.now() - startedReplies;
const comments = (await prisma.ticketEntry.count({ where: { kind: 'PUBLIC_REPLY' } })) - entriesBefore;
const outcomes = await prisma.inboundMessage.groupBy({ by: ['outcome'], _count: true });

const rate = (n: number, ms: number) => (n / ms) * 1000;
const baseline = rate(N, baselineMs);
const rows = [
  ['(a) baseline: bare smtp-server, accept + discard', N, baselineMs, baseline],
  ['(b) ITSM listener: 250 after the raw message is stored', N, acceptMs, rate(N, acceptMs)],
  ['(c) new mail → tickets (end to end)', created, ticketsMs, rate(created, ticketsMs)],
  ['(d) replies → comments (subject token)', comments, repliesMs, rate(comments, repliesMs)],
] as const;
console.log(
  `\nSMTP intake, ${N} messages, ${CONNECTIONS} SMTP connections, ${app.database().kind} database, Node ${process.version}\n`,
);
for (const [name, n, ms, r] of rows) {
  console.log(
    `${name.padEnd(58)} ${String(n).padStart(5)} msgs ${(ms / 1000).toFixed(2).padStart(7)} s ${r.toFixed(1).padStart(8)} msg/s  ${(r / baseline).toFixed(3)} × baseline`,
  );
}
console.log(`\noutcomes: ${outcomes.map((o) => `${o.outcome}=${o._count}`).join(', ')}`);
await app.stop();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
