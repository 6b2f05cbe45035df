/**
 * Header-level facts about a raw message, read without a full MIME parse: enough to store it (Message-ID for
 * dedupe) before the SMTP 250, and to recognise automatic mail before anything turns it into a ticket.
 */

export interface HeaderMap {
  /** Lower-case name → every value, unfolded, in order. */
  get(name: string): string[];
  first(name: string): string | undefined;
}

/** The header block (up to the first empty line), unfolded. Tolerates bare LF line ends. */
export function scanHeaders(raw: Uint8Array, limit = 256 * 1024): HeaderMap {
  const head = Buffer.from(raw.subarray(0, Math.min(raw.length, limit))).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = end >= 0 ? head.slice(0, end) : head;
  const map = new Map<string, string[]>();
  let name: string | null = null;
  let value = '';
  const flush = () => {
    if (name !== null) {
      const list = map.get(name) ?? [];
      list.push(value.trim());
      map.set(name, list);
    }
  };
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && name !== null) {
      value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    flush();
    name = line.slice(0, colon).trim().toLowerCase();
    value = line.slice(colon + 1);
  }
  flush();
  return {
    get: (n) => map.get(n.toLowerCase()) ?? [],
    first: (n) => map.get(n.toLowerCase())?.[0],
  };
}

/** Message-IDs in a header value, without angle brackets, in order of appearance. */
export function messageIdsIn(value: string | undefined | null): string[] {
  if (!value) return [];
  const ids = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  if (ids.length) return ids;
  // Some clients omit the brackets; accept one bare id-like token.
  const bare = value.trim();
  return /^[^\s<>]+@[^\s<>]+$/.test(bare) ? [bare] : [];
}

export function normaliseMessageId(value: string | undefined | null): string | null {
  return messageIdsIn(value)[0] ?? null;
}

export type NoiseKind = 'AUTO_REPLY' | 'BOUNCE';

export interface NoiseVerdict {
  kind: NoiseKind;
  reason: string;
}

const BOUNCE_SENDERS = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

/**
 * Automatic mail that must never become a ticket or a reply (and never be answered): RFC 3834 `Auto-Submitted`,
 * Microsoft's `X-Auto-Response-Suppress` / `X-Autoreply`, `Precedence: bulk|junk|list|auto_reply`, and bounces
 * (null envelope sender, mailer-daemon/postmaster, `multipart/report` delivery status).
 */
export function classifyNoise(
  headers: HeaderMap,
  envelopeFrom: string | null | undefined,
  fromAddress: string | null | undefined,
): NoiseVerdict | null {
  const contentType = headers.first('content-type')?.toLowerCase() ?? '';
  if (
    envelopeFrom === '' ||
    (fromAddress && BOUNCE_SENDERS.test(fromAddress)) ||
    (envelopeFrom && BOUNCE_SENDERS.test(envelopeFrom)) ||
    (contentType.startsWith('multipart/report') && /report-type="?delivery-status/.test(contentType))
  ) {
    const why =
      envelopeFrom === ''
        ? 'null envelope sender (MAIL FROM:<>)'
        : contentType.startsWith('multipart/report')
          ? 'delivery status report'
          : `sent by ${fromAddress ?? envelopeFrom}`;
    return { kind: 'BOUNCE', reason: `bounce: ${why}` };
  }
  const autoSubmitted = headers.first('auto-submitted')?.toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') {
    return { kind: 'AUTO_REPLY', reason: `Auto-Submitted: ${autoSubmitted}` };
  }
  const suppress = headers.first('x-auto-response-suppress');
  if (suppress) return { kind: 'AUTO_REPLY', reason: `X-Auto-Response-Suppress: ${suppress}` };
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    const v = headers.first(h);
    if (v !== undefined) return { kind: 'AUTO_REPLY', reason: `${h}: ${v}` };
  }
  const precedence = headers.first('precedence')?.toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) {
    return { kind: 'AUTO_REPLY', reason: `Precedence: ${precedence}` };
  }
  if (headers.first('list-id') && headers.first('list-unsubscribe')) {
    return { kind: 'AUTO_REPLY', reason: 'mailing list message' };
  }
  return null;
}
