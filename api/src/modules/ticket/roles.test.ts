// Every ticket mutation, per role: what a customer of the ticket's own organisation may do, and that each staff
// role (agent, lead, manager, admin) may do the staff work. Cross-organisation denial is in ticket.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
});
afterAll(() => t?.stop());

const RESULT = '__typename ... on Error { message } ... on TicketPayload { ticket { id version status } }';

async function freshTicket(status?: 'RESOLVED') {
  const res = await t.gql(
    'mutation ($i: TicketCreateInput!) { ticketCreate(input: $i) { ... on TicketCreatePayload { ticket { id version } } } }',
    {
      i: {
        title: 'Role matrix ticket',
        description: 'Checking who may do what on this ticket',
        class: 'OTHER',
        impact: 'LOW',
        urgency: 'LOW',
      },
    },
    { token: world.tokens.acme },
  );
  let tk = res.data!.ticketCreate.ticket as { id: string; version: number };
  const raw = Buffer.from(tk.id, 'base64').toString().split(':')[1]!;
  // Unrouted, so every agent may see it (the intake queue).
  await t.prisma.ticket.update({
    where: { id: raw },
    data: { resolverGroupId: null, assigneeId: null, status: 'IN_PROGRESS' },
  });
  if (status === 'RESOLVED') {
    const r = await call(
      'ticketResolve',
      'TicketResolveInput',
      {
        id: tk.id,
        version: await version(raw),
        resolutionCode: 'FIXED',
        resolutionNotes: 'Fixed for the role matrix.',
      },
      world.tokens.admin,
    );
    tk = r.data!.r.ticket;
  }
  return { id: tk.id, raw };
}

async function version(raw: string) {
  return (await t.prisma.ticket.findUniqueOrThrow({ where: { id: raw } })).version;
}

function call(name: string, type: string, input: Record<string, unknown>, token: string) {
  return t.gql(`mutation ($i: ${type}!) { r: ${name}(input: $i) { ${RESULT} } }`, { i: input }, { token });
}

type Case = {
  name: string;
  type: string;
  input: (id: string, v: number, other: string) => Record<string, unknown>;
  resolved?: boolean;
};

const STAFF_ONLY: Case[] = [
  {
    name: 'ticketUpdate',
    type: 'TicketUpdateInput',
    input: (id, v) => ({ id, version: v, title: 'Edited by role test' }),
  },
  {
    name: 'ticketSetPriority',
    type: 'TicketSetPriorityInput',
    input: (id, v) => ({ id, version: v, priority: 'P2', reason: 'role matrix check' }),
  },
  {
    name: 'ticketTransition',
    type: 'TicketTransitionInput',
    input: (id, v) => ({ id, version: v, to: 'PENDING_VENDOR' }),
  },
  {
    name: 'ticketRequestInformation',
    type: 'TicketRequestInformationInput',
    input: (id, v) => ({ id, version: v, body: 'Which site please?' }),
  },
  {
    name: 'ticketResolve',
    type: 'TicketResolveInput',
    input: (id, v) => ({ id, version: v, resolutionCode: 'FIXED', resolutionNotes: 'Fixed in the role test.' }),
  },
  {
    name: 'ticketLink',
    type: 'TicketLinkInput',
    input: (id, v, other) => ({ id, version: v, kind: 'RELATED_TO', targetId: other }),
  },
  {
    name: 'ticketMarkDuplicate',
    type: 'TicketMarkDuplicateInput',
    input: (id, v, other) => ({ id, version: v, originalId: other }),
  },
  {
    name: 'ticketAddEntry',
    type: 'TicketAddEntryInput',
    input: (id, v) => ({ id, version: v, kind: 'INTERNAL_NOTE', body: 'internal only' }),
  },
];

const CUSTOMER_ALLOWED: Case[] = [
  {
    name: 'ticketAddEntry',
    type: 'TicketAddEntryInput',
    input: (id, v) => ({ id, version: v, kind: 'PUBLIC_REPLY', body: 'Thanks!' }),
  },
  {
    name: 'ticketAddAttachment',
    type: 'TicketAddAttachmentInput',
    input: (id, v) => ({ id, version: v, filename: 'log.txt', contentType: 'text/plain', contentBase64: 'aGVsbG8=' }),
  },
  {
    name: 'ticketTransition',
    type: 'TicketTransitionInput',
    input: (id, v) => ({ id, version: v, to: 'CANCELLED', reason: 'no longer needed' }),
  },
  {
    name: 'ticketRespondToResolution',
    type: 'TicketResolutionResponseInput',
    input: (id, v) => ({ id, version: v, accept: true }),
    resolved: true,
  },
];

describe('customer of the ticket’s organisation', () => {
  for (const c of STAFF_ONLY) {
    it(`is refused ${c.name}${c.name === 'ticketAddEntry' ? ' (internal note)' : ''}`, async () => {
      const tk = await freshTicket();
      const other = await freshTicket();
      const v = await version(tk.raw);
      const res = await call(c.name, c.type, c.input(tk.id, v, other.id), world.tokens.acme);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(res)).toBe('FORBIDDEN');
      expect(await version(tk.raw)).toBe(v);
    });
  }
  for (const c of CUSTOMER_ALLOWED) {
    it(`may ${c.name}`, async () => {
      const tk = await freshTicket(c.resolved ? 'RESOLVED' : undefined);
      const v = await version(tk.raw);
      const res = await call(c.name, c.type, c.input(tk.id, v, tk.id), world.tokens.acme);
      expect(res.data?.r.__typename, JSON.stringify(res)).toBe('TicketPayload');
    });
  }
  it('may not close, assign, or publish a priority matrix', async () => {
    const tk = await freshTicket('RESOLVED');
    const close = await call(
      'ticketClose',
      'TicketCloseInput',
      { id: tk.id, version: await version(tk.raw) },
      world.tokens.acme,
    );
    expect(close.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const open = await freshTicket();
    const assign = await call(
      'ticketAssign',
      'TicketAssignInput',
      {
        id: open.id,
        version: await version(open.raw),
        assigneeId: Buffer.from(`User:${world.users.agent.id}`).toString('base64'),
      },
      world.tokens.acme,
    );
    expect(assign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('staff roles', () => {
  for (const role of ['agent', 'lead', 'manager', 'admin'] as const) {
    for (const c of STAFF_ONLY) {
      it(`${role} may ${c.name}`, async () => {
        const tk = await freshTicket();
        const other = await freshTicket();
        const res = await call(c.name, c.type, c.input(tk.id, await version(tk.raw), other.id), world.tokens[role]);
        expect(res.data?.r.__typename, JSON.stringify(res)).toBe('TicketPayload');
      });
    }
  }
});
