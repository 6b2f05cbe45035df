// End to end through real SMTP: nodemailer → the listener on 127.0.0.1 (a random free port) → intake → tickets,
// and the outbox and tokenised links read back over the real GraphQL HTTP pipeline.
import net from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, createToken, createUser, createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { processInbound, storeInbound } from './intake.service.js';
import { mailRuntime } from './runtime.js';
import { mailKeys, signedMessageId } from './signing.js';

const DESK = 'desk@itsm.test';
const RATE_LIMIT = 10;
let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;
let seq = 0;
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const uniq = () => {
  seq += 1;
  return `${Date.now().toString(36)}${seq}`;
};

beforeAll(async () => {
  t = await startTestApp({
    MAIL_LISTEN_PORT: '0',
    MAIL_LISTEN_HOST: '127.0.0.1',
    MAIL_FROM: `ITSM Service Desk <${DESK}>`,
    MAIL_DOMAINS: 'itsm.test',
    MAIL_MAX_BYTES: String(256 * 1024),
    MAIL_RATE_LIMIT_PER_HOUR: String(RATE_LIMIT),
    MAIL_WORKER: 'false',
  });
  world = await createWorld(t.prisma);
});
afterAll(() => t?.stop());

function transport() {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: mailRuntime().smtpPort!,
    secure: false,
    ignoreTLS: true,
    // One connection per message: every test talks SMTP from scratch, as a sending MTA would.
    pool: false,
  });
}

interface SendOptions {
  from: string;
  subject: string;
  text?: string;
  html?: string;
  to?: string;
  cc?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer; contentType?: string }[];
}

/** Sends through the real listener, then waits until intake has processed what the listener accepted. */
async function send(opts: SendOptions) {
  const messageId = opts.messageId ?? `${uniq()}@client.example`;
  const info = await transport().sendMail({
    from: opts.from,
    to: opts.to ?? DESK,
    cc: opts.cc,
    subject: opts.subject,
    text: 'text' in opts ? opts.text : 'Hello, this is a message body with enough detail to act on.',
    html: opts.html,
    messageId: `<${messageId}>`,
    inReplyTo: opts.inReplyTo ? `<${opts.inReplyTo}>` : undefined,
    references: opts.references?.map((r) => `<${r}>`),
    headers: opts.headers,
    attachments: opts.attachments,
  });
  await mailRuntime().drain();
  const inbound = await t.prisma.inboundMessage.findMany({ where: { messageId }, orderBy: { receivedAt: 'asc' } });
  return { info, messageId, inbound, last: inbound[inbound.length - 1]! };
}

/** A bare SMTP dialogue for what a client library will not send (null sender, declared SIZE, broken MIME). */
async function rawSmtp(lines: {
  mailFrom: string;
  mailArgs?: string;
  rcptTo: string;
  data: string;
}): Promise<string[]> {
  const port = mailRuntime().smtpPort!;
  const replies: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = '';
    const script = [
      'EHLO test.client',
      `MAIL FROM:<${lines.mailFrom}>${lines.mailArgs ? ` ${lines.mailArgs}` : ''}`,
      `RCPT TO:<${lines.rcptTo}>`,
      'DATA',
      `${lines.data.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..')}\r\n.`,
      'QUIT',
    ];
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let idx = buffer.indexOf('\r\n');
      while (idx >= 0) {
        const line = buffer.slice(0, idx);
        buffer = buffer.slice(idx + 2);
        if (/^\d{3} /.test(line)) {
          replies.push(line);
          // After a refusal the dialogue ends: what a real client does.
          const next = /^[45]/.test(line) ? (script.length ? 'QUIT' : undefined) : script.shift();
          if (/^[45]/.test(line)) script.length = 0;
          if (next !== undefined) socket.write(`${next}\r\n`);
        }
        idx = buffer.indexOf('\r\n');
      }
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  await mailRuntime().drain();
  return replies;
}

async function customer(orgId: string, domain = 'example.test') {
  return createUser(t.prisma, orgId, 'CUSTOMER', { email: `c-${uniq()}@${domain}` });
}

async function outbox(ticketId: string) {
  return t.prisma.outboxMessage.findMany({ where: { ticketId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

async function ticketOf(inbound: { ticketId: string | null }) {
  return t.prisma.ticket.findUniqueOrThrow({ where: { id: inbound.ticketId! }, include: { entries: true } });
}

/** A customer opens a ticket by mail; returns the ticket, the customer's Message-ID and our acknowledgement. */
async function openByMail(from: string, subject = `Printer ${uniq()} jammed`, extra: Partial<SendOptions> = {}) {
  const sent = await send({
    from,
    subject,
    text: 'The printer on floor 3 jams on every page since this morning.',
    ...extra,
  });
  expect(sent.last.outcome, sent.last.detail ?? '').toBe('TICKET_CREATED');
  const ticket = await ticketOf(sent.last);
  const ack = (await outbox(ticket.id)).find((m) => m.kind === 'ACKNOWLEDGEMENT')!;
  return { ticket, messageId: sent.messageId, ack };
}

describe('intake: new mail → ticket + acknowledgement', () => {
  it('creates the ticket through the ticket service as the sender (channel EMAIL) and queues a threaded acknowledgement', async () => {
    const alice = await customer(world.acme.id);
    const { ticket, messageId, ack } = await openByMail(alice.email, 'VPN: cannot connect from home');
    expect(ticket).toMatchObject({ channel: 'EMAIL', requesterId: alice.id, organizationId: world.acme.id });
    expect(ticket.title).toBe('VPN: cannot connect from home');
    expect(ticket.description).toContain('The printer on floor 3 jams');
    expect(ticket.createdById).toBe(alice.id);
    // Audit and events exactly as for ticketCreate: actor = the sender, channel EMAIL.
    const audit = await t.prisma.auditEntry.findFirstOrThrow({ where: { ticketId: ticket.id, seq: 1 } });
    expect(audit).toMatchObject({ action: 'created', actorId: alice.id, channel: 'EMAIL' });
    expect(await t.prisma.event.count({ where: { ticketId: ticket.id, type: 'ticket.created' } })).toBe(1);

    const inbound = await t.prisma.inboundMessage.findFirstOrThrow({ where: { messageId } });
    expect(inbound).toMatchObject({
      status: 'PROCESSED',
      outcome: 'TICKET_CREATED',
      threadRule: 'NONE',
      senderId: alice.id,
    });
    expect(inbound.detail).toContain(`new ticket ${ticket.number}`);

    expect(ack).toMatchObject({ toAddress: alice.email, recipientId: alice.id, status: 'LOCAL', inReplyTo: messageId });
    expect(ack.subject).toBe(`[${ticket.number}] Received: VPN: cannot connect from home`);
    expect(ack.text).toContain(`logged as ${ticket.number}`);
    expect(ack.messageId).toMatch(/^itsm\.[0-9a-f]{10}\./);
    expect(ack.headers).toMatchObject({ 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' });
    expect(ack.createdAt.getTime() - inbound.receivedAt.getTime()).toBeLessThan(5000);
  });

  it('shows the outbox to staff and to the addressee only; never another organisation’s mail', async () => {
    const alice = await customer(world.acme.id);
    const aliceToken = (await createToken(t.prisma, alice)).secret;
    const { ticket } = await openByMail(alice.email);
    const Q = `query ($f: OutboundMailFilter) { outboundMail(first: 50, filter: $f) { edges { node { id kind to subject status ticket { number } } } } }`;
    const staff = await t.gql(Q, { f: { ticketId: gid('Ticket', ticket.id) } }, { token: world.tokens.agent });
    expect(staff.errors).toBeUndefined();
    expect(staff.data?.outboundMail.edges.map((e: any) => e.node.kind)).toEqual(['ACKNOWLEDGEMENT']);
    expect(staff.data?.outboundMail.edges[0].node.ticket.number).toBe(ticket.number);
    const own = await t.gql(Q, {}, { token: aliceToken });
    expect(own.data?.outboundMail.edges.map((e: any) => e.node.to)).toEqual([alice.email]);
    const colleague = await t.gql(Q, { f: { ticketId: gid('Ticket', ticket.id) } }, { token: world.tokens.acme });
    expect(colleague.data?.outboundMail.edges).toEqual([]);
    const other = await t.gql(Q, {}, { token: world.tokens.globex });
    expect(other.data?.outboundMail.edges.every((e: any) => e.node.to === world.users.globexCustomer.email)).toBe(true);
    const mailId = staff.data?.outboundMail.edges[0].node.id;
    const node = await t.gql(
      'query ($id: ID!) { node(id: $id) { id } }',
      { id: mailId },
      { token: world.tokens.globex },
    );
    expect(node.data?.node ?? null).toBeNull();
    const onTicket = await t.gql(
      'query ($id: ID!) { ticket(id: $id) { outboundMail { kind to } inboundMail { outcome threadRule } } }',
      { id: gid('Ticket', ticket.id) },
      { token: world.tokens.agent },
    );
    expect(onTicket.data?.ticket.outboundMail).toEqual([{ kind: 'ACKNOWLEDGEMENT', to: alice.email }]);
    expect(onTicket.data?.ticket.inboundMail).toEqual([{ outcome: 'TICKET_CREATED', threadRule: 'NONE' }]);
    const anon = await t.gql(Q, {});
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('stores attachments within the limit and sanitises HTML-only mail to safe text', async () => {
    const bob = await customer(world.acme.id);
    const sent = await send({
      from: bob.email,
      subject: 'Screenshot of the error',
      text: undefined,
      html: '<p>See the <b>screenshot</b>.</p><script>alert("x")</script><img src="http://tracker.example/p.gif" onerror="steal()"><a href="javascript:evil()">click</a>',
      attachments: [
        { filename: 'error.png', content: Buffer.from('89504e470d0a1a0a', 'hex'), contentType: 'image/png' },
      ],
    });
    expect(sent.last.outcome).toBe('TICKET_CREATED');
    const ticket = await ticketOf(sent.last);
    expect(ticket.description).toContain('See the screenshot.');
    expect(ticket.description).not.toMatch(/alert|script|steal|javascript/);
    expect(sent.last.bodyHtml).toContain('<b>screenshot</b>');
    expect(sent.last.bodyHtml).not.toMatch(/script|onerror|tracker\.example|javascript:/);
    const files = await t.prisma.attachment.findMany({ where: { ticketId: ticket.id } });
    expect(files.map((f) => [f.filename, f.contentType, f.size, f.internal])).toEqual([
      ['error.png', 'image/png', 8, false],
    ]);
  });
});

describe('threading', () => {
  it('1. by our signed Message-ID in In-Reply-To (quoted history stripped)', async () => {
    const carol = await customer(world.acme.id);
    const { ticket, messageId, ack } = await openByMail(carol.email);
    const reply = await send({
      from: carol.email,
      subject: 'Re: printer', // no ticket token: the signed reference alone must carry it
      text: `It jams on tray 2 only.\n\nOn Mon, 1 Dec 2026 at 09:00, Service Desk <${DESK}> wrote:\n> -- Reply above this line to add to the ticket --\n> your request has been logged`,
      inReplyTo: ack.messageId,
      references: [messageId, ack.messageId],
    });
    expect(reply.last).toMatchObject({ outcome: 'REPLY_ADDED', threadRule: 'SIGNED_MESSAGE_ID', ticketId: ticket.id });
    expect(reply.last.detail).toContain(`signed Message-ID <${ack.messageId}> of ${ticket.number}`);
    const after = await ticketOf(reply.last);
    const entry = after.entries.find((e) => e.id === reply.last.entryId)!;
    expect(entry).toMatchObject({ kind: 'PUBLIC_REPLY', internal: false, channel: 'EMAIL', authorId: carol.id });
    expect(entry.body).toBe('It jams on tray 2 only.');
    // The customer's own reply is not mailed back to them.
    expect((await outbox(ticket.id)).map((m) => m.kind)).toEqual(['ACKNOWLEDGEMENT']);
  });

  it('2. by a stored Message-ID: a colleague replies to the original mail', async () => {
    const dave = await customer(world.acme.id);
    const erin = await customer(world.acme.id);
    const { ticket, messageId } = await openByMail(dave.email);
    const reply = await send({
      from: erin.email,
      subject: 'Re: printer',
      text: 'Same here on floor 2.',
      inReplyTo: messageId,
      references: [messageId],
    });
    expect(reply.last).toMatchObject({ outcome: 'REPLY_ADDED', threadRule: 'STORED_MESSAGE_ID', ticketId: ticket.id });
  });

  it('3. by subject token, from the requester and from a participant the requester copied', async () => {
    const frank = await customer(world.acme.id);
    const grace = await customer(world.acme.id);
    const { ticket } = await openByMail(frank.email, `Badge reader ${uniq()}`, { cc: grace.email });
    const byRequester = await send({
      from: frank.email,
      subject: `[${ticket.number}] one more detail`,
      text: 'It beeps twice.',
    });
    expect(byRequester.last).toMatchObject({
      outcome: 'REPLY_ADDED',
      threadRule: 'SUBJECT_TOKEN',
      ticketId: ticket.id,
    });
    expect(byRequester.last.detail).toContain('from the requester');
    const byParticipant = await send({ from: grace.email, subject: `Re: ${ticket.number} badge`, text: 'Mine too.' });
    expect(byParticipant.last).toMatchObject({
      outcome: 'REPLY_ADDED',
      threadRule: 'SUBJECT_TOKEN',
      ticketId: ticket.id,
    });
    expect(byParticipant.last.detail).toContain('a participant');
  });

  it('a stranger quoting the same subject token gets a new ticket, or is refused by policy, and the original is untouched', async () => {
    const henry = await customer(world.acme.id);
    const { ticket } = await openByMail(henry.email);
    const before = await ticketOf({ ticketId: ticket.id });
    const stranger = await customer(world.globex.id);
    const other = await send({
      from: stranger.email,
      subject: `Re: [${ticket.number}] me too`,
      text: 'Please add me.',
    });
    expect(other.last).toMatchObject({ outcome: 'TICKET_CREATED', threadRule: 'NONE' });
    expect(other.last.ticketId).not.toBe(ticket.id);
    expect(other.last.detail).toContain(`subject token ${ticket.number} ignored`);
    expect((await ticketOf(other.last)).organizationId).toBe(world.globex.id);
    const unknown = await send({ from: `nobody-${uniq()}@elsewhere.example`, subject: `[${ticket.number}] hi` });
    expect(unknown.last).toMatchObject({ outcome: 'UNKNOWN_SENDER', ticketId: null });
    // A signed reference forwarded to someone who may not see the ticket does not let them in either.
    const forwarded = await send({
      from: stranger.email,
      subject: 'Fwd: your printer',
      inReplyTo: (await outbox(ticket.id))[0]!.messageId,
    });
    expect(forwarded.last.outcome).toBe('TICKET_CREATED');
    expect(forwarded.last.detail).toContain(`signed reference to ${ticket.number} ignored`);
    const after = await ticketOf({ ticketId: ticket.id });
    expect(after.version).toBe(before.version);
    expect(after.entries).toHaveLength(before.entries.length);
  });

  it('ignores mail replying to another installation, and forged signatures', async () => {
    const ivy = await customer(world.acme.id);
    const { ticket } = await openByMail(ivy.email);
    const foreign = await send({
      from: ivy.email,
      subject: `Re: [${ticket.number}] status`,
      inReplyTo:
        'itsm.0123456789.00000000000000000000000000000000.11111111111111111111111111111111.22222222.333333333333333333333333@other.example',
    });
    expect(foreign.last).toMatchObject({ outcome: 'FOREIGN_INSTALLATION', ticketId: null });
    const keys = await mailKeys(t.prisma);
    const forged = signedMessageId(keys, 'itsm.test', {
      ticketId: ticket.id,
      outboxId: ticket.id,
      recipient: ivy.email,
    }).replace(/\.[0-9a-f]{24}@/, '.000000000000000000000000@');
    const withForged = await send({ from: ivy.email, subject: 'Re: printer', inReplyTo: forged });
    expect(withForged.last.outcome).toBe('TICKET_CREATED');
    expect(withForged.last.detail).toContain('signature is invalid');
  });

  it('creates a contact for an allowed domain, refuses unknown senders of a known-contacts-only domain', async () => {
    const open = await createOrganization(t.prisma, 'CUSTOMER');
    const closed = await createOrganization(t.prisma, 'CUSTOMER');
    const set = (domain: string, orgId: string, auto: boolean) =>
      t.gql(
        'mutation ($i: MailDomainSetInput!) { mailDomainSet(input: $i) { __typename ... on MailDomain { domain autoCreateContacts } } }',
        { i: { domain, organizationId: gid('Organization', orgId), autoCreateContacts: auto } },
        { token: world.tokens.admin },
      );
    expect((await set('open.example', open.id, true)).data?.mailDomainSet).toEqual({
      __typename: 'MailDomain',
      domain: 'open.example',
      autoCreateContacts: true,
    });
    await set('closed.example', closed.id, false);
    const denied = await t.gql(
      'mutation ($i: MailDomainSetInput!) { mailDomainSet(input: $i) { __typename } }',
      { i: { domain: 'x.example', organizationId: gid('Organization', open.id), autoCreateContacts: true } },
      { token: world.tokens.agent },
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const newcomer = `new-${uniq()}@open.example`;
    const created = await send({
      from: `"Nina Newcomer" <${newcomer}>`,
      subject: 'First contact',
      text: 'Hello there, my laptop will not boot.',
    });
    expect(created.last.outcome).toBe('TICKET_CREATED');
    const user = await t.prisma.user.findUniqueOrThrow({ where: { email: newcomer } });
    expect(user).toMatchObject({
      role: 'CUSTOMER',
      organizationId: open.id,
      name: 'Nina Newcomer',
      passwordHash: null,
    });
    const refused = await send({ from: `x-${uniq()}@closed.example`, subject: 'Hello' });
    expect(refused.last).toMatchObject({ outcome: 'UNKNOWN_SENDER', ticketId: null });
    expect(refused.last.detail).toContain('known contacts only');
  });
});

describe('reliability', () => {
  it('a redelivered message (same Message-ID) never makes a second ticket or comment', async () => {
    const jack = await customer(world.acme.id);
    const messageId = `${uniq()}@client.example`;
    const first = await send({ from: jack.email, subject: 'Disk full', messageId });
    const again = await send({ from: jack.email, subject: 'Disk full', messageId });
    expect(again.inbound).toHaveLength(2);
    expect(again.last).toMatchObject({ outcome: 'DUPLICATE', duplicateOfId: first.last.id, ticketId: null });
    expect(await t.prisma.ticket.count({ where: { requesterId: jack.id } })).toBe(1);
    const ticket = await ticketOf(first.last);
    const replyId = `${uniq()}@client.example`;
    await send({ from: jack.email, subject: `[${ticket.number}] more`, messageId: replyId });
    await send({ from: jack.email, subject: `[${ticket.number}] more`, messageId: replyId });
    const entries = await t.prisma.ticketEntry.count({ where: { ticketId: ticket.id, kind: 'PUBLIC_REPLY' } });
    expect(entries).toBe(1);
  });

  it('records auto-replies, bounces and loops without creating tickets', async () => {
    const kate = await customer(world.acme.id);
    const before = await t.prisma.ticket.count();
    const ooo = await send({
      from: kate.email,
      subject: 'Out of office',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(ooo.last.outcome).toBe('AUTO_REPLY');
    const exchange = await send({
      from: kate.email,
      subject: 'Automatic reply',
      headers: { 'X-Auto-Response-Suppress': 'All' },
    });
    expect(exchange.last.outcome).toBe('AUTO_REPLY');
    const bulk = await send({ from: kate.email, subject: 'Newsletter', headers: { Precedence: 'bulk' } });
    expect(bulk.last.outcome).toBe('AUTO_REPLY');
    const daemon = await send({
      from: 'MAILER-DAEMON@mx.example.test',
      subject: 'Undelivered Mail Returned to Sender',
    });
    expect(daemon.last.outcome).toBe('BOUNCE');
    const nullSender = await rawSmtp({
      mailFrom: '',
      rcptTo: DESK,
      data: `From: postmaster@mx.example.test\nTo: ${DESK}\nSubject: Delivery Status Notification\nMessage-ID: <${uniq()}@mx.example.test>\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n--b\nContent-Type: text/plain\n\nYour message could not be delivered.\n--b--\n`,
    });
    expect(nullSender.some((r) => r.startsWith('250 2.0.0 queued'))).toBe(true);
    const bounce = await t.prisma.inboundMessage.findFirstOrThrow({
      where: { envelopeFrom: '' },
      orderBy: { receivedAt: 'desc' },
    });
    expect(bounce.outcome).toBe('BOUNCE');
    const loop = await send({ from: DESK, subject: 'Re: [INC-000001] Received' });
    expect(loop.last.outcome).toBe('LOOP');
    expect(await t.prisma.ticket.count()).toBe(before);
  });

  it('limits each sender per hour: the excess is recorded, not processed', async () => {
    const flood = await customer(world.acme.id);
    const results: string[] = [];
    for (let i = 0; i <= RATE_LIMIT; i += 1) {
      results.push(
        (await send({ from: flood.email, subject: `Alert ${i}`, text: `Automated alert number ${i}` })).last.outcome!,
      );
    }
    expect(results.slice(0, RATE_LIMIT).every((o) => o === 'TICKET_CREATED')).toBe(true);
    expect(results[RATE_LIMIT]).toBe('RATE_LIMITED');
  });

  it('refuses oversized mail with an SMTP error and stores nothing', async () => {
    const leo = await customer(world.acme.id);
    const before = await t.prisma.inboundMessage.count();
    const big = send({ from: leo.email, subject: 'Huge', text: 'x'.repeat(300 * 1024) });
    await expect(big).rejects.toMatchObject({ responseCode: 552 });
    // A client that declares the size up front is refused at MAIL FROM, before sending anything.
    const declared = await rawSmtp({ mailFrom: leo.email, mailArgs: 'SIZE=999999999', rcptTo: DESK, data: 'x' });
    expect(declared.find((r) => r.startsWith('552'))).toBeTruthy();
    expect(await t.prisma.inboundMessage.count()).toBe(before);
    // Relaying is refused too.
    await expect(send({ from: leo.email, to: 'someone@elsewhere.example', subject: 'relay?' })).rejects.toMatchObject({
      responseCode: 550,
    });
  });

  it('records malformed MIME with its raw bytes, nothing lost, and can reprocess it', async () => {
    const noFrom = `To: ${DESK}\nSubject: broken\nMessage-ID: <${uniq()}@broken.example>\nContent-Type: multipart/mixed; boundary="zz"\n\n--zz\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n@@@not-base64@@@\n--zz`;
    const replies = await rawSmtp({ mailFrom: 'someone@broken.example', rcptTo: DESK, data: noFrom });
    expect(replies.some((r) => r.startsWith('250 2.0.0 queued'))).toBe(true);
    const row = await t.prisma.inboundMessage.findFirstOrThrow({ where: { envelopeFrom: 'someone@broken.example' } });
    expect(row).toMatchObject({ status: 'PROCESSED', outcome: 'MALFORMED', ticketId: null });
    expect(Buffer.from(row.raw).toString()).toContain('@@@not-base64@@@');

    let nested = 'Content-Type: text/plain\n\ndeep';
    for (let i = 0; i < 40; i += 1)
      nested = `Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\n${nested}\n--b${i}--`;
    const mm = await customer(world.acme.id);
    await rawSmtp({
      mailFrom: mm.email,
      rcptTo: DESK,
      data: `From: ${mm.email}\nTo: ${DESK}\nSubject: nested\nMessage-ID: <${uniq()}@deep.example>\nMIME-Version: 1.0\n${nested}\n`,
    });
    const deep = await t.prisma.inboundMessage.findFirstOrThrow({ where: { envelopeFrom: mm.email } });
    expect(deep.outcome).toBe('MALFORMED');
    expect(deep.detail).toMatch(/could not be parsed/);
    expect(deep.size).toBe(Buffer.from(deep.raw).length);
    // Staff can look at the intake log and the raw message; customers cannot.
    const log = await t.gql(
      'query { inboundMail(first: 5, filter: { outcome: [MALFORMED] }) { edges { node { id outcome detail rawBase64 } } } }',
      {},
      { token: world.tokens.lead },
    );
    expect(log.data?.inboundMail.edges.length).toBeGreaterThanOrEqual(2);
    const denied = await t.gql(
      'query { inboundMail(first: 5) { edges { node { id } } } }',
      {},
      { token: world.tokens.acme },
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const again = await t.gql(
      'mutation ($i: InboundMailReprocessInput!) { inboundMailReprocess(input: $i) { __typename ... on InboundMail { outcome attempts } } }',
      { i: { id: gid('InboundMail', deep.id) } },
      { token: world.tokens.lead },
    );
    expect(again.data?.inboundMailReprocess).toEqual({ __typename: 'InboundMail', outcome: 'MALFORMED', attempts: 1 });
  });

  it('processes, after a restart, what was stored but not processed; a failed attempt is retried with backoff', async () => {
    const mia = await customer(world.acme.id);
    const raw = Buffer.from(
      `From: ${mia.email}\r\nTo: ${DESK}\r\nSubject: Stored before a crash\r\nMessage-ID: <${uniq()}@crash.example>\r\n\r\nProcessed on restart.\r\n`,
    );
    const clock = { now: () => new Date() };
    const stored = await storeInbound(
      t.prisma,
      { source: 'SMTP', raw, envelopeFrom: mia.email, envelopeTo: [DESK] },
      clock,
    );
    expect((await t.prisma.inboundMessage.findUniqueOrThrow({ where: { id: stored.id } })).status).toBe('RECEIVED');
    const swept = await mailRuntime().sweepInbound();
    expect(swept).toBeGreaterThanOrEqual(1);
    const done = await t.prisma.inboundMessage.findUniqueOrThrow({ where: { id: stored.id } });
    expect(done.outcome).toBe('TICKET_CREATED');

    const raw2 = Buffer.from(
      `From: ${mia.email}\r\nTo: ${DESK}\r\nSubject: Fails once\r\nMessage-ID: <${uniq()}@crash.example>\r\n\r\nThe database hiccups.\r\n`,
    );
    const s2 = await storeInbound(
      t.prisma,
      { source: 'SMTP', raw: raw2, envelopeFrom: mia.email, envelopeTo: [DESK] },
      clock,
    );
    const broken = new Proxy(t.prisma, {
      get(target, prop, receiver) {
        if (prop === '$transaction') return () => Promise.reject(new Error('connection reset'));
        return Reflect.get(target, prop, receiver);
      },
    });
    const config = { ...t.app.config.mail, retryBaseMs: 60_000 };
    const log = t.app.log;
    const failed = await processInbound({ prisma: broken, clock, log, config }, s2.id);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(failed!.lastError).toContain('connection reset');
    expect(failed!.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(50_000);
    // Not due yet: the sweep leaves it alone; once due it is processed (exactly once).
    expect(await processInbound({ prisma: t.prisma, clock, log, config }, s2.id)).toBeNull();
    const later = { now: () => new Date(Date.now() + 120_000) };
    const retried = await processInbound({ prisma: t.prisma, clock: later, log, config }, s2.id);
    expect(retried).toMatchObject({ status: 'PROCESSED', outcome: 'TICKET_CREATED', attempts: 2 });
    expect(await t.prisma.ticket.count({ where: { title: 'Fails once' } })).toBe(1);
  });
});

describe('lifecycle by mail: agent replies, resolution with links, survey, closed tickets', () => {
  const RESULT = '__typename ... on Error { message } ... on TicketPayload { ticket { id version status } }';
  async function agentDo(name: string, inputType: string, input: Record<string, unknown>) {
    const res = await t.gql(
      `mutation ($i: ${inputType}!) { ${name}(input: $i) { ${RESULT} } }`,
      { i: input },
      { token: world.tokens.admin },
    );
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.data?.[name].__typename, JSON.stringify(res.data)).toBe('TicketPayload');
    return res.data![name].ticket as { id: string; version: number; status: string };
  }
  async function fresh(id: string) {
    return t.prisma.ticket.findUniqueOrThrow({ where: { id } });
  }

  it('mails staff replies and information requests to requester and copied participants; never internal notes', async () => {
    const nick = await customer(world.acme.id);
    const olga = await customer(world.acme.id);
    const { ticket } = await openByMail(nick.email, `Mailbox quota ${uniq()}`, { cc: olga.email });
    let tk = await fresh(ticket.id);
    await agentDo('ticketAddEntry', 'TicketAddEntryInput', {
      id: gid('Ticket', tk.id),
      version: tk.version,
      kind: 'INTERNAL_NOTE',
      body: 'Quota is 50 GB.',
    });
    tk = await fresh(ticket.id);
    await agentDo('ticketAddEntry', 'TicketAddEntryInput', {
      id: gid('Ticket', tk.id),
      version: tk.version,
      kind: 'PUBLIC_REPLY',
      body: 'We raised your quota to 100 GB.',
    });
    tk = await fresh(ticket.id);
    await agentDo('ticketRequestInformation', 'TicketRequestInformationInput', {
      id: gid('Ticket', tk.id),
      version: tk.version,
      body: 'Which folder is the largest?',
    });
    const mails = await outbox(ticket.id);
    expect(mails.map((m) => `${m.kind} ${m.toAddress}`).sort()).toEqual(
      [
        `ACKNOWLEDGEMENT ${nick.email}`,
        `REPLY ${nick.email}`,
        `REPLY ${olga.email}`,
        `INFORMATION_REQUEST ${nick.email}`,
        `INFORMATION_REQUEST ${olga.email}`,
      ].sort(),
    );
    const reply = mails.find((m) => m.kind === 'REPLY' && m.toAddress === nick.email)!;
    const infoRequest = mails.find((m) => m.kind === 'INFORMATION_REQUEST' && m.toAddress === nick.email)!;
    expect(reply.text).toContain('We raised your quota to 100 GB.');
    expect(reply.text).not.toContain('50 GB');
    expect(reply.entryId).not.toBeNull();
    expect(reply.references).toContain(
      (await t.prisma.inboundMessage.findFirstOrThrow({ where: { ticketId: ticket.id } })).messageId,
    );
    // The customer answers the information request by mail: the ticket resumes.
    const answer = await send({
      from: nick.email,
      subject: 'Re: info',
      inReplyTo: infoRequest.messageId,
      text: 'The Archive folder.',
    });
    expect(answer.last.threadRule).toBe('SIGNED_MESSAGE_ID');
    expect((await fresh(ticket.id)).status).toBe('IN_PROGRESS');
  });

  it('resolution notice with confirm/reject links (no login), survey 1-5 once, closure, reopen within the window, follow-up after it', async () => {
    const paul = await customer(world.acme.id);
    const { ticket } = await openByMail(paul.email, `Laptop fan ${uniq()}`);
    let tk = await fresh(ticket.id);
    await agentDo('ticketResolve', 'TicketResolveInput', {
      id: gid('Ticket', tk.id),
      version: tk.version,
      resolutionCode: 'FIXED',
      resolutionNotes: 'Replaced the fan and cleaned the heat sink.',
    });
    const mails = await outbox(ticket.id);
    const notice = mails.find((m) => m.kind === 'RESOLUTION_NOTICE')!;
    const entry = await t.prisma.ticketEntry.findFirstOrThrow({
      where: { ticketId: ticket.id, kind: 'RESOLUTION_NOTICE' },
    });
    expect(notice.entryId).toBe(entry.id);
    expect(notice.text).toContain('Replaced the fan');
    const confirm = /resolution#token=([^&\s]+)&answer=confirm/.exec(notice.text)![1]!;
    expect(notice.text).toContain(`resolution#token=${confirm}&answer=reject`);
    const survey = mails.find((m) => m.kind === 'SURVEY')!;
    expect(survey.toAddress).toBe(paul.email);
    const surveyToken = /survey#token=(\S+)/.exec(survey.text)![1]!;

    // Closure checklist: customer informed (the public notice) is satisfied; validation waits for the customer.
    const checklist = await t.gql(
      'query ($id: ID!) { ticket(id: $id) { closureChecklist { rule satisfied } } }',
      { id: gid('Ticket', ticket.id) },
      { token: world.tokens.admin },
    );
    const rules = Object.fromEntries(checklist.data?.ticket.closureChecklist.map((r: any) => [r.rule, r.satisfied]));
    expect(rules).toMatchObject({ CUSTOMER_INFORMED: true, SOLUTION_VALIDATED: false });

    const RESP =
      'mutation ($i: ResolutionRespondInput!) { resolutionRespond(input: $i) { __typename ... on Error { message } ... on ResolutionRespondPayload { status resolutionConfirmed } } }';
    const bad = await t.gql(RESP, { i: { token: `${confirm.slice(0, -4)}0000`, accept: true } });
    expect(bad.data?.resolutionRespond.__typename).toBe('NotFoundError');
    const ok = await t.gql(RESP, { i: { token: confirm, accept: true } });
    expect(ok.data?.resolutionRespond).toEqual({
      __typename: 'ResolutionRespondPayload',
      status: 'RESOLVED',
      resolutionConfirmed: true,
    });
    const audit = await t.prisma.auditEntry.findFirstOrThrow({
      where: { ticketId: ticket.id, action: 'resolution_confirmed' },
    });
    expect(audit).toMatchObject({ actorId: paul.id, channel: 'EMAIL' });

    const Q = 'query ($t: String!) { satisfactionSurvey(token: $t) { ticketNumber answered } }';
    expect((await t.gql(Q, { t: surveyToken })).data?.satisfactionSurvey).toEqual({
      ticketNumber: ticket.number,
      answered: false,
    });
    const SURVEY =
      'mutation ($i: SurveyRespondInput!) { surveyRespond(input: $i) { __typename ... on Error { message } ... on SurveyRespondPayload { ticketNumber rating } } }';
    expect((await t.gql(SURVEY, { i: { token: surveyToken, rating: 9 } })).data?.surveyRespond.__typename).toBe(
      'ValidationError',
    );
    expect((await t.gql(SURVEY, { i: { token: 'nope', rating: 4 } })).data?.surveyRespond.__typename).toBe(
      'NotFoundError',
    );
    const rated = await t.gql(SURVEY, { i: { token: surveyToken, rating: 4, comment: 'Quick and friendly.' } });
    expect(rated.data?.surveyRespond).toEqual({
      __typename: 'SurveyRespondPayload',
      ticketNumber: ticket.number,
      rating: 4,
    });
    expect((await t.gql(SURVEY, { i: { token: surveyToken, rating: 1 } })).data?.surveyRespond.__typename).toBe(
      'ConflictError',
    );
    const stored = await t.prisma.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: ticket.id } });
    expect(stored).toMatchObject({ rating: 4, comment: 'Quick and friendly.', organizationId: world.acme.id });
    expect(stored.respondedAt).not.toBeNull();
    expect(stored.sentAt.getTime()).toBe(survey.createdAt.getTime());

    tk = await fresh(ticket.id);
    await agentDo('ticketClose', 'TicketCloseInput', { id: gid('Ticket', tk.id), version: tk.version });
    expect((await outbox(ticket.id)).some((m) => m.kind === 'CLOSURE')).toBe(true);

    // Within the reopen window a reply reopens the ticket and lands on it.
    const reopened = await send({
      from: paul.email,
      subject: `Re: [${ticket.number}] Closed`,
      text: 'The fan is loud again.',
    });
    expect(reopened.last).toMatchObject({
      outcome: 'TICKET_REOPENED',
      threadRule: 'SUBJECT_TOKEN',
      ticketId: ticket.id,
    });
    tk = await fresh(ticket.id);
    expect(tk).toMatchObject({ status: 'IN_PROGRESS', reopenCount: 1 });

    // Resolved again: the survey was answered, so it is not sent a second time.
    await agentDo('ticketResolve', 'TicketResolveInput', {
      id: gid('Ticket', tk.id),
      version: tk.version,
      resolutionCode: 'FIXED',
      resolutionNotes: 'Replaced the fan bearing as well this time.',
    });
    expect((await outbox(ticket.id)).filter((m) => m.kind === 'SURVEY')).toHaveLength(1);
    const second = (await outbox(ticket.id)).filter((m) => m.kind === 'RESOLUTION_NOTICE')[1]!;
    const token2 = /resolution#token=([^&\s]+)&answer=confirm/.exec(second.text)![1]!;
    // The first notice's link belongs to the earlier resolution and no longer answers anything.
    expect(
      (await t.gql(RESP, { i: { token: confirm, accept: false, comment: 'still broken' } })).data?.resolutionRespond
        .__typename,
    ).toBe('ConflictError');
    await t.gql(RESP, { i: { token: token2, accept: true } });
    tk = await fresh(ticket.id);
    await agentDo('ticketClose', 'TicketCloseInput', { id: gid('Ticket', tk.id), version: tk.version });
    await t.prisma.ticket.update({
      where: { id: ticket.id },
      data: { closedAt: new Date(Date.now() - 30 * 86_400_000) },
    });

    const late = await send({
      from: paul.email,
      subject: `Re: [${ticket.number}] Closed`,
      text: 'It broke again, a month later.',
    });
    expect(late.last.outcome).toBe('FOLLOW_UP_CREATED');
    expect(late.last.ticketId).not.toBe(ticket.id);
    const followUp = await ticketOf(late.last);
    expect(followUp.status).not.toBe('CLOSED');
    expect(followUp.entries.some((e) => e.body === 'It broke again, a month later.')).toBe(true);
    const link = await t.prisma.ticketLink.findFirstOrThrow({ where: { fromId: followUp.id } });
    expect(link).toMatchObject({ toId: ticket.id, kind: 'RELATED_TO' });
    expect((await fresh(ticket.id)).status).toBe('CLOSED');
    expect((await outbox(followUp.id)).map((m) => m.kind)).toContain('ACKNOWLEDGEMENT');
    // A redelivery of the late reply changes nothing.
    await send({ from: paul.email, subject: `Re: [${ticket.number}] Closed`, messageId: late.messageId });
    expect(await t.prisma.ticketLink.count({ where: { toId: ticket.id } })).toBe(1);
  });
});

describe('templates (admin-editable, versioned)', () => {
  it('validates, versions and uses an admin’s template; agents cannot edit', async () => {
    const M = `mutation ($i: MailTemplateUpdateInput!) { mailTemplateUpdate(input: $i) {
      __typename ... on Error { message } ... on ValidationError { fieldErrors { path message } }
      ... on ConflictError { currentVersion } ... on MailTemplate { key version subject versions { version } } } }`;
    const list = await t.gql(
      '{ mailTemplates { key version } mailTemplateVariables { name } }',
      {},
      { token: world.tokens.agent },
    );
    expect(list.data?.mailTemplates).toHaveLength(9);
    expect(list.data?.mailTemplateVariables.map((v: any) => v.name)).toContain('sla.firstResponseDue');
    const input = {
      key: 'ACKNOWLEDGEMENT',
      subject: 'We have it: {{ticket.title}}',
      body: 'Dear {{recipient.name}}, ticket {{ticket.number}} is logged.{{#sla.firstResponseDue}} Response by {{sla.firstResponseDue}}.{{/sla.firstResponseDue}}',
      note: 'shorter',
      expectedVersion: 0,
    };
    const agent = await t.gql(M, { i: input }, { token: world.tokens.agent });
    expect(agent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await t.gql(
      M,
      { i: { ...input, body: 'Hi {{customer.shoeSize}} {{#ticket.number}}' } },
      { token: world.tokens.admin },
    );
    expect(bad.data?.mailTemplateUpdate.__typename).toBe('ValidationError');
    expect(bad.data?.mailTemplateUpdate.fieldErrors.map((e: any) => e.message).join(' ')).toMatch(
      /customer\.shoeSize|never closed/,
    );
    const ok = await t.gql(M, { i: input }, { token: world.tokens.admin });
    expect(ok.data?.mailTemplateUpdate).toMatchObject({
      __typename: 'MailTemplate',
      version: 1,
      versions: [{ version: 1 }],
    });
    const stale = await t.gql(M, { i: input }, { token: world.tokens.admin });
    expect(stale.data?.mailTemplateUpdate).toMatchObject({ __typename: 'ConflictError', currentVersion: 1 });
    const quinn = await customer(world.acme.id);
    const { ack, ticket } = await openByMail(quinn.email, 'Keyboard missing keys');
    expect(ack.templateVersion).toBe(1);
    // The subject token is kept even though the admin's subject dropped it.
    expect(ack.subject).toBe(`We have it: Keyboard missing keys [${ticket.number}]`);
    expect(ack.text).toContain(`ticket ${ticket.number} is logged.`);
    const preview = await t.gql(
      'query ($id: ID!) { mailTemplatePreview(key: CLOSURE, ticketId: $id) { subject text } }',
      { id: gid('Ticket', ticket.id) },
      { token: world.tokens.agent },
    );
    expect(preview.data?.mailTemplatePreview.subject).toBe(`[${ticket.number}] Closed: Keyboard missing keys`);
    const back = await t.gql(
      M,
      { i: { ...input, subject: '[{{ticket.number}}] Received: {{ticket.title}}', expectedVersion: 1 } },
      { token: world.tokens.admin },
    );
    expect(back.data?.mailTemplateUpdate.version).toBe(2);
  });
});
