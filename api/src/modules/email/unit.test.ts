// Pure logic of the email module: header classification, text extraction, signing, templates.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cleanSubject, htmlToText, parseMail, sanitiseHtml, stripQuotedReply, subjectTokens } from './content.js';
import { classifyNoise, messageIdsIn, scanHeaders } from './headers.js';
import { type MailKeys, resolutionToken, signedMessageId, verifyMessageId, verifyResolutionToken } from './signing.js';
import { DEFAULT_TEMPLATES, renderTemplate, templateProblems, textToHtml } from './templates.js';

const raw = (headers: string, body = 'hello') => Buffer.from(`${headers.replace(/\n/g, '\r\n')}\r\n\r\n${body}`);
const keys = (secret: string): MailKeys => {
  const buf = Buffer.from(secret);
  return { secret: buf, instanceId: createHmac('sha256', buf).update('itsm-instance').digest('hex').slice(0, 10) };
};

describe('headers', () => {
  it('unfolds headers and reads Message-IDs with or without brackets', () => {
    const h = scanHeaders(raw('Subject: a\n  folded line\nReferences: <a@x>\n <b@y>\nMessage-ID: c@z'));
    expect(h.first('subject')).toBe('a folded line');
    expect(messageIdsIn(h.first('references'))).toEqual(['a@x', 'b@y']);
    expect(messageIdsIn(h.first('message-id'))).toEqual(['c@z']);
  });

  it.each([
    ['Auto-Submitted: auto-replied', 'AUTO_REPLY'],
    ['Auto-Submitted: auto-generated', 'AUTO_REPLY'],
    ['X-Auto-Response-Suppress: OOF', 'AUTO_REPLY'],
    ['Precedence: bulk', 'AUTO_REPLY'],
    ['Precedence: junk', 'AUTO_REPLY'],
    ['X-Autoreply: yes', 'AUTO_REPLY'],
    ['Content-Type: multipart/report; report-type=delivery-status; boundary=x', 'BOUNCE'],
  ])('%s → %s', (header, kind) => {
    expect(classifyNoise(scanHeaders(raw(header)), 'someone@example.com', 'someone@example.com')?.kind).toBe(kind);
  });

  it('treats a null sender and mailer daemons as bounces, and ordinary mail as mail', () => {
    expect(classifyNoise(scanHeaders(raw('Subject: x')), '', 'a@b.c')?.kind).toBe('BOUNCE');
    expect(classifyNoise(scanHeaders(raw('Subject: x')), 'x@b.c', 'MAILER-DAEMON@b.c')?.kind).toBe('BOUNCE');
    expect(classifyNoise(scanHeaders(raw('Subject: x\nAuto-Submitted: no')), 'a@b.c', 'a@b.c')).toBeNull();
  });
});

describe('content', () => {
  it('cuts quoted history at our marker, "On … wrote:", Outlook headers and trailing quotes', () => {
    expect(stripQuotedReply('Thanks!\n\nOn Tue, 2 Dec 2026, Desk <d@x> wrote:\n> old')).toBe('Thanks!');
    expect(stripQuotedReply('Fixed.\n-- Reply above this line to add to the ticket --\nold text')).toBe('Fixed.');
    expect(stripQuotedReply('Yes\n\nFrom: Desk\nSent: Monday\nSubject: x')).toBe('Yes');
    expect(stripQuotedReply('ok\n> quoted\n> more')).toBe('ok');
    expect(stripQuotedReply('> only quoted')).toBe('> only quoted');
  });

  it('cleans subjects and finds ticket tokens', () => {
    expect(cleanSubject('RE: Fwd: AW: [INC-000123] Printer')).toBe('Printer');
    expect(subjectTokens('Re: [inc-000123] and REQ-000045, not INC-12')).toEqual(['INC-000123', 'REQ-000045']);
  });

  it('keeps safe formatting only', () => {
    const html =
      '<p onclick="x()">Hi <b>there</b></p><script>evil()</script><img src="https://t.example/p.gif"><img src="cid:logo"><a href="javascript:x">a</a><a href="https://ok.example">b</a>';
    const safe = sanitiseHtml(html);
    expect(safe).toContain('<b>there</b>');
    expect(safe).toContain('src="cid:logo"');
    expect(safe).toContain('href="https://ok.example"');
    expect(safe).not.toMatch(/onclick|script|evil|t\.example|javascript/);
    expect(htmlToText('<p>Line&nbsp;one</p><p>Line &amp; two</p><style>p{}</style><ul><li>a</li></ul>')).toBe(
      'Line one\nLine & two\n- a',
    );
  });

  it('parses MIME: decoded subject, text from HTML, recipients', async () => {
    const mail = await parseMail(
      raw(
        'From: "Zoë" <Zoe@Example.COM>\nTo: desk@x.test\nCc: a@b.test, Group: c@d.test;\nSubject: =?UTF-8?B?w4lsw6h2ZQ==?=\nContent-Type: text/html',
        '<p>Hi</p>',
      ),
    );
    expect(mail.from).toEqual({ address: 'zoe@example.com', name: 'Zoë' });
    expect(mail.subject).toBe('Élève');
    expect(mail.recipients).toEqual(['desk@x.test', 'a@b.test', 'c@d.test']);
    expect(mail.text).toBe('Hi');
  });
});

describe('signing', () => {
  const k = keys('a-test-secret-of-some-length');
  const ticketId = '0b9f3c52-6a0e-4f57-9b0e-3f0c2f7b1a11';
  const outboxId = '7d1f2e3c-1111-4222-8333-944455556666';

  it('round-trips ticket, message and recipient; tells ours, another installation, forged and unrelated apart', () => {
    const id = signedMessageId(k, 'desk.example', { ticketId, outboxId, recipient: 'A@b.c' });
    expect(id).toMatch(/^itsm\.[0-9a-f]{10}\.[0-9a-f]{32}\.[0-9a-f]{32}\.[0-9a-f]{8}\.[0-9a-f]{24}@desk\.example$/);
    expect(verifyMessageId(k, id)).toMatchObject({ kind: 'ours', ticketId, outboxId });
    const other = keys('another-installation-secret');
    expect(verifyMessageId(other, id)).toEqual({ kind: 'foreign', instanceId: k.instanceId });
    const tampered = id.replace(ticketId.replace(/-/g, ''), outboxId.replace(/-/g, ''));
    expect(verifyMessageId(k, tampered)).toEqual({ kind: 'forged' });
    expect(verifyMessageId(k, 'CAFjsd8=abc@mail.gmail.com')).toEqual({ kind: 'other' });
  });

  it('binds resolution tokens to the ticket and the exact resolution time', () => {
    const at = new Date('2026-12-01T10:00:00.123Z');
    const token = resolutionToken(k, ticketId, at);
    expect(verifyResolutionToken(k, token)).toEqual({ ticketId, resolvedAt: at });
    expect(verifyResolutionToken(keys('x'.repeat(20)), token)).toBeNull();
    expect(verifyResolutionToken(k, token.replace(/\.[0-9a-z]+\./, `.${(at.getTime() + 1).toString(36)}.`))).toBeNull();
    expect(verifyResolutionToken(k, 'garbage')).toBeNull();
  });
});

describe('templates', () => {
  it('renders values, sections and inverted sections; values cannot inject markup into HTML', () => {
    const tpl = {
      subject: '[{{ticket.number}}] {{ticket.title}}',
      body: 'A{{#sla.resolutionDue}} due {{sla.resolutionDue}}{{/sla.resolutionDue}}{{^sla.resolutionDue}} soon{{/sla.resolutionDue}}.',
    };
    expect(
      renderTemplate(tpl, {
        'ticket.number': 'INC-000001',
        'ticket.title': 'x\ny',
        'sla.resolutionDue': '2026-12-01 10:00 UTC',
      }),
    ).toEqual({
      subject: '[INC-000001] x y',
      body: 'A due 2026-12-01 10:00 UTC.',
    });
    expect(renderTemplate(tpl, {}).body).toBe('A soon.');
    expect(textToHtml('<b>x</b> https://a.example/?q=1&r=2')).toContain(
      '&lt;b&gt;x&lt;/b&gt; <a href="https://a.example/?q=1&amp;r=2">https://a.example/?q=1&amp;r=2</a>',
    );
  });

  it('every built-in template is valid; mistakes are reported per field', () => {
    for (const t of Object.values(DEFAULT_TEMPLATES)) expect(templateProblems(t)).toEqual([]);
    expect(templateProblems({ subject: 'x {{nope}}', body: '{{#a.b}}' }).map((p) => p.path[1])).toEqual([
      'subject',
      'body',
    ]);
    expect(templateProblems({ subject: 'two\nlines', body: 'ok' })[0]?.message).toBe('A subject is one line');
  });
});
