// Every pair of the state machine through the API: each allowed move succeeds through the mutation that owns it,
// each other move is refused with InvalidTransitionError naming the allowed statuses (or, for RESOLVED/CLOSED, a
// ValidationError pointing at ticketResolve/ticketClose), and a refused move changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import type { TicketStatus } from '../../generated/prisma/enums.js';
import { TRANSITIONS } from './workflow.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;
let groupId: string;

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
  groupId = (await t.prisma.resolverGroup.create({ data: { key: 'transitions-g', name: 'Transitions' } })).id;
});
afterAll(() => t?.stop());

const STATUSES = Object.keys(TRANSITIONS) as TicketStatus[];
const RESULT = `__typename ... on Error { message } ... on InvalidTransitionError { from to allowed }
  ... on TicketPayload { ticket { status version } }`;
const REOPEN_RESULT = `__typename ... on Error { message } ... on InvalidTransitionError { from to allowed }
  ... on TicketReopenPayload { ticket { status version } }`;

/** A ticket put straight into `status` (with what that status implies: a group, a resolution, a close time). */
async function ticketIn(status: TicketStatus) {
  const res = await t.gql(
    'mutation ($i: TicketCreateInput!) { ticketCreate(input: $i) { ... on TicketCreatePayload { ticket { id } } } }',
    {
      i: {
        title: `In ${status}`,
        description: 'A ticket for the transition matrix test',
        class: 'OTHER',
        impact: 'LOW',
        urgency: 'LOW',
      },
    },
    { token: world.tokens.acme },
  );
  const id = res.data!.ticketCreate.ticket.id as string;
  const raw = Buffer.from(id, 'base64').toString().split(':')[1]!;
  const now = new Date();
  await t.prisma.ticket.update({
    where: { id: raw },
    data: {
      status,
      resolverGroupId: groupId,
      ...(status === 'RESOLVED' || status === 'CLOSED'
        ? {
            resolvedAt: now,
            resolutionCode: 'FIXED',
            resolutionNotes: 'Fixed for the matrix test.',
            resolutionConfirmed: true,
          }
        : {}),
      ...(status === 'CLOSED' ? { closedAt: now } : {}),
    },
  });
  if (status === 'RESOLVED') {
    await t.prisma.ticketEntry.create({
      data: {
        ticketId: raw,
        kind: 'RESOLUTION_NOTICE',
        internal: false,
        body: 'Resolved.',
        channel: 'API',
        createdAt: now,
      },
    });
  }
  const row = await t.prisma.ticket.findUniqueOrThrow({ where: { id: raw } });
  return { id, raw, version: row.version };
}

async function move(to: TicketStatus, tk: { id: string; version: number }) {
  const common = { id: tk.id, version: tk.version };
  let query: string;
  let input: Record<string, unknown>;
  if (to === 'RESOLVED') {
    query = `mutation ($i: TicketResolveInput!) { r: ticketResolve(input: $i) { ${RESULT} } }`;
    input = { ...common, resolutionCode: 'FIXED', resolutionNotes: 'Fixed during the matrix test.' };
  } else if (to === 'CLOSED') {
    query = `mutation ($i: TicketCloseInput!) { r: ticketClose(input: $i) { ${RESULT} } }`;
    input = common;
  } else {
    query = `mutation ($i: TicketTransitionInput!) { r: ticketTransition(input: $i) { ${RESULT} } }`;
    input = { ...common, to, reason: 'matrix test' };
  }
  const res = await t.gql(query, { i: input }, { token: world.tokens.admin });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.r;
}

async function reopen(tk: { id: string; version: number }) {
  const res = await t.gql(
    `mutation ($i: TicketReopenInput!) { r: ticketReopen(input: $i) { ${REOPEN_RESULT} } }`,
    {
      i: { id: tk.id, version: tk.version, reason: 'matrix test reopen' },
    },
    { token: world.tokens.admin },
  );
  return res.data!.r;
}

describe('the ticket state machine, pair by pair', () => {
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      if (from === to) continue;
      const allowed = TRANSITIONS[from].includes(to);
      it(`${from} → ${to}: ${allowed ? 'allowed' : 'refused'}`, async () => {
        const tk = await ticketIn(from);
        // RESOLVED/CLOSED → IN_PROGRESS is a reopen, which has its own mutation.
        const result =
          to === 'IN_PROGRESS' && (from === 'RESOLVED' || from === 'CLOSED') ? await reopen(tk) : await move(to, tk);
        const after = await t.prisma.ticket.findUniqueOrThrow({ where: { id: tk.raw } });
        if (allowed) {
          expect(result.__typename, JSON.stringify(result)).toMatch(/^Ticket(Reopen)?Payload$/);
          expect(after.status).toBe(to);
          expect(after.version).toBe(tk.version + 1);
        } else {
          expect(['InvalidTransitionError', 'ValidationError']).toContain(result.__typename);
          if (result.__typename === 'InvalidTransitionError') {
            expect(result).toMatchObject({ from, to, allowed: [...TRANSITIONS[from]] });
          }
          expect(after.status).toBe(from);
          expect(after.version).toBe(tk.version);
        }
      });
    }
  }
});
