import PostalMime, { type Address, type Email } from 'postal-mime';
import sanitizeHtml from 'sanitize-html';

/** Limits on what the parser will walk: a message beyond them is MALFORMED (recorded, raw kept), not a crash. */
const PARSE_LIMITS = { maxNestingDepth: 32, maxPartCount: 500, maxHeadersSize: 1024 * 1024 } as const;

export interface ParsedMail {
  email: Email;
  from: { address: string; name: string } | null;
  /** To and Cc addresses, lower-case. */
  recipients: string[];
  subject: string;
  /** Plain text for the ticket: the text part, or the HTML part rendered to text. */
  text: string;
  /** The HTML part with everything unsafe removed (no scripts, styles, event handlers, remote images). */
  safeHtml: string | null;
}

export function normaliseAddress(address: string | null | undefined): string | null {
  const a = address?.trim().toLowerCase();
  return a && /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(a) ? a : null;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

function flatten(list: Address[] | undefined): { address: string; name: string }[] {
  const out: { address: string; name: string }[] = [];
  for (const a of list ?? []) {
    if (a.group) for (const m of a.group) out.push({ address: m.address, name: m.name });
    else if (a.address) out.push({ address: a.address, name: a.name });
  }
  return out;
}

export async function parseMail(raw: Uint8Array): Promise<ParsedMail> {
  const email = await PostalMime.parse(raw, PARSE_LIMITS);
  const fromList = email.from ? flatten([email.from]) : [];
  const first = fromList[0];
  const fromAddress = normaliseAddress(first?.address);
  const recipients = [...flatten(email.to), ...flatten(email.cc)]
    .map((r) => normaliseAddress(r.address))
    .filter((a): a is string => !!a);
  const safeHtml = email.html ? sanitiseHtml(email.html) : null;
  const text = email.text?.trim() ? email.text : email.html ? htmlToText(email.html) : '';
  return {
    email,
    from: fromAddress ? { address: fromAddress, name: first?.name?.trim() ?? '' } : null,
    recipients: [...new Set(recipients)],
    subject: (email.subject ?? '').replace(/\s+/g, ' ').trim(),
    text: text.replace(/\r\n/g, '\n'),
    safeHtml,
  };
}

/** Safe HTML to keep and show: formatting and links only; images only when embedded (cid:/data:). */
export function sanitiseHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [
      'p',
      'br',
      'div',
      'span',
      'b',
      'strong',
      'i',
      'em',
      'u',
      's',
      'blockquote',
      'pre',
      'code',
      'ul',
      'ol',
      'li',
      'a',
      'h1',
      'h2',
      'h3',
      'h4',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      'hr',
      'img',
    ],
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt'], td: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['cid', 'data'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
  });
}

/** Text of an HTML body: block elements become line breaks, entities decoded, nothing executable survives. */
export function htmlToText(html: string): string {
  const marked = html
    .replace(/<\s*br\s*\/?>/gi, '\n')
    .replace(/<\s*\/\s*(p|div|h[1-6]|li|tr|blockquote|pre|table)\s*>/gi, '\n')
    .replace(/<\s*li[^>]*>/gi, '- ');
  const text = sanitizeHtml(marked, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ['style', 'script', 'head', 'title', 'textarea', 'noscript'],
  });
  return decodeEntities(text)
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? Number.parseInt(code.slice(2), 16) : Number(code.slice(1));
      return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : m;
    }
    return named[code.toLowerCase()] ?? m;
  });
}

/** The line our outbound mail puts above the quoted history, so replies can be cut there. */
export const REPLY_MARKER = '-- Reply above this line to add to the ticket --';

/**
 * The new part of a reply: cut at our reply marker, at "On … wrote:" / Outlook "From: … Sent:" headers, and drop
 * trailing '>' quoted blocks. If cutting would leave nothing, the whole text is kept (nothing is ever lost: the raw
 * message stays on the inbound record).
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!.trim();
    if (line.includes(REPLY_MARKER.slice(3, 30))) {
      cut = i;
      break;
    }
    if (/^On .{4,200} wrote:$/.test(line) || /^Am .{4,200} schrieb .{1,100}:$/.test(line)) {
      cut = i;
      break;
    }
    if (/^-{2,}\s*Original Message\s*-{2,}$/i.test(line)) {
      cut = i;
      break;
    }
    if (/^From: .+/.test(line) && /^(Sent|Date): .+/.test(lines[i + 1]?.trim() ?? '')) {
      cut = i;
      break;
    }
  }
  let kept = lines.slice(0, cut);
  while (kept.length && (kept[kept.length - 1]!.trim() === '' || kept[kept.length - 1]!.trim().startsWith('>'))) {
    kept = kept.slice(0, -1);
  }
  const result = kept.join('\n').trim();
  return result.length ? result : text.trim();
}

/** Subject without reply/forward prefixes and our ticket token. */
export function cleanSubject(subject: string): string {
  let s = subject;
  for (let i = 0; i < 5; i += 1) {
    const next = s.replace(/^\s*((re|fw|fwd|aw|wg|sv|vs|tr|rif|r)\s*(\[\d+\])?\s*:\s*)/i, '');
    if (next === s) break;
    s = next;
  }
  return s
    .replace(/\[(INC|REQ|ACC|INF|CHG|OTH)-\d{6}\]/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Ticket numbers quoted in a subject, e.g. "[INC-000123]" or "INC-000123". */
export function subjectTokens(subject: string): string[] {
  return [...new Set([...subject.toUpperCase().matchAll(/\b(INC|REQ|ACC|INF|CHG|OTH)-(\d{6})\b/g)].map((m) => m[0]))];
}
