import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { subscribe } from '../../../test/ws.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
});
afterAll(() => t?.stop());

const EVENTS =
  'subscription ($after: String, $filter: TicketEventFilter) { ticketEvents(after: $after, filter: $filter) { cursor type ticketId payload ticket { number } } }';

async function createTicket(token: string, title = 'Subscription fixture ticket') {
  const res = await t.gql(
    'mutation ($i: TicketCreateInput!) { ticketCreate(input: $i) { ... on TicketCreatePayload { ticket { id number version } } } }',
    {
      i: {
        title,
        description: 'Something is broken and needs fixing soon',
        class: 'OTHER',
        impact: 'LOW',
        urgency: 'LOW',
      },
    },
    { token },
  );
  return res.data!.ticketCreate.ticket as { id: string; number: string; version: number };
}

async function addEntry(token: string, ticket: { id: string; version: number }, kind: string, body: string) {
  const res = await t.gql(
    'mutation ($i: TicketAddEntryInput!) { ticketAddEntry(input: $i) { ... on TicketPayload { ticket { id number version } } ... on Error { message } } }',
    { i: { id: ticket.id, version: ticket.version, kind, body } },
    { token },
  );
  return res.data!.ticketAddEntry.ticket as { id: string; number: string; version: number };
}

describe('ticketEvents', () => {
  it('gives a customer only their organisation’s events and never internal ones', async () => {
    const after = await logEnd();
    const acme = subscribe(t.wsUrl, world.tokens.acme, EVENTS, { after });
    const staff = subscribe(t.wsUrl, world.tokens.lead, EVENTS, { after });
    let mine = await createTicket(world.tokens.acme, 'Acme printer jam');
    await createTicket(world.tokens.globex, 'Globex secret outage');
    mine = await addEntry(world.tokens.agent, mine, 'INTERNAL_NOTE', 'customer is confused');
    mine = await addEntry(world.tokens.agent, mine, 'PUBLIC_REPLY', 'We are looking into it');
    await staff.waitFor(4);
    const got = await acme.waitFor(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(acme.items.map((i) => i.ticketEvents.type)).toEqual(['ticket.created', 'ticket.commented']);
    expect(acme.items.every((i) => i.ticketEvents.ticket.number === mine_number(got))).toBe(true);
    expect(JSON.stringify(acme.items)).not.toContain('INTERNAL_NOTE');
    expect(JSON.stringify(acme.items)).not.toContain('Globex');
    expect(staff.items.map((i) => i.ticketEvents.type)).toEqual([
      'ticket.created',
      'ticket.created',
      'ticket.commented',
      'ticket.commented',
    ]);
    acme.stop();
    staff.stop();
  });

  it('resumes from a cursor after a disconnect with no gap and no duplicate', async () => {
    const first = subscribe(t.wsUrl, world.tokens.acme, EVENTS, { after: await logEnd() });
    let tk = await createTicket(world.tokens.acme, 'Cursor ticket');
    const [created] = await first.waitFor(1);
    first.stop();
    const cursor = created!.ticketEvents.cursor;
    // While disconnected: three more changes.
    for (const body of ['one', 'two', 'three']) tk = await addEntry(world.tokens.acme, tk, 'PUBLIC_REPLY', body);
    const resumed = subscribe(t.wsUrl, world.tokens.acme, EVENTS, { after: cursor });
    await resumed.waitFor(3);
    tk = await addEntry(world.tokens.acme, tk, 'PUBLIC_REPLY', 'four (live)');
    const all = await resumed.waitFor(4);
    await new Promise((r) => setTimeout(r, 300));
    expect(resumed.items).toHaveLength(4);
    const cursors = all.map((i) => BigInt(i.ticketEvents.cursor));
    expect(cursors.every((c, i) => i === 0 || c > cursors[i - 1]!)).toBe(true);
    expect(cursors[0]! > BigInt(cursor)).toBe(true);
    resumed.stop();
  });

  it('filters by ticket and type prefix', async () => {
    const tk = await createTicket(world.tokens.acme, 'Filtered ticket');
    const sub = subscribe(t.wsUrl, world.tokens.agent, EVENTS, {
      after: await logEnd(),
      filter: { ticketId: tk.id, types: ['ticket.commented'] },
    });
    await createTicket(world.tokens.acme, 'Noise ticket');
    await addEntry(world.tokens.agent, tk, 'PUBLIC_REPLY', 'filtered reply');
    const [item] = await sub.waitFor(1);
    expect(item!.ticketEvents).toMatchObject({ type: 'ticket.commented', ticketId: tk.id });
    sub.stop();
  });

  it('ends the subscription when its token is revoked', async () => {
    const { token, secret } = await createToken(t.prisma, world.users.acmeCustomer, [
      'events:subscribe',
      'tickets:read',
    ]);
    const sub = subscribe(t.wsUrl, secret, EVENTS);
    await new Promise((r) => setTimeout(r, 300));
    await t.prisma.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await new Promise((r) => setTimeout(r, 1100));
    await createTicket(world.tokens.acme, 'After revocation');
    await new Promise((r) => setTimeout(r, 800));
    expect(sub.items).toHaveLength(0);
    expect(sub.done).toBe(true);
    expect(JSON.stringify(sub.errors)).toMatch(/revoked/);
  });

  it('needs the events:subscribe scope', async () => {
    const { secret } = await createToken(t.prisma, world.users.acmeCustomer, ['tickets:read']);
    const sub = subscribe(t.wsUrl, secret, EVENTS);
    await expect(sub.waitFor(1, 3000)).rejects.toThrow(/ended/);
    expect(JSON.stringify(sub.errors)).toMatch(/FORBIDDEN|Not authorized/);
  });
});

describe('wallboardUpdated', () => {
  it('pushes the board at once and again after a change, at most once a second', async () => {
    const kiosk = await createToken(t.prisma, world.users.agent, ['wallboard:read']);
    const board = subscribe(t.wsUrl, kiosk.secret, 'subscription { wallboardUpdated { openTotal generatedAt } }');
    const [initial] = await board.waitFor(1);
    const before = initial!.wallboardUpdated.openTotal as number;
    const started = Date.now();
    for (let i = 0; i < 5; i += 1) await createTicket(world.tokens.acme, `Burst ${i}`);
    const items = await board.waitFor(2);
    await new Promise((r) => setTimeout(r, 1500));
    const seconds = (Date.now() - started) / 1000;
    expect(board.items.at(-1)!.wallboardUpdated.openTotal).toBe(before + 5);
    // Coalesced: at most one push per second after the initial one, however many changes arrive.
    expect(board.items.length).toBeLessThanOrEqual(1 + Math.ceil(seconds));
    expect(items.length).toBeGreaterThanOrEqual(2);
    board.stop();
  });
});

/** The current end of the event log, so a subscription that starts a little late still replays what it missed. */
async function logEnd(): Promise<string> {
  const last = await t.prisma.event.findFirst({ orderBy: { id: 'desc' } });
  return String(last?.id ?? 0n);
}

function mine_number(items: Record<string, any>[]): string {
  return items[0]!.ticketEvents.ticket.number;
}
