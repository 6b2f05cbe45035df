// Escalations through HTTP, per role: ticket.escalations, escalations(filter), escalationRules, ticketEscalate,
// escalationAcknowledge, escalationResolve.
process.env.SLA_SCHEDULER_INTERVAL_MS = '0';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, createUser, createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { seedSla } from '../sla/seed.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;
let opsId: string;
let tier2Id: string;
let tier2AgentToken: string;
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const raw = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? null;

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
  const ops = await t.prisma.resolverGroup.create({ data: { key: 'ops-esc', name: 'Operations' } });
  const tier2 = await t.prisma.resolverGroup.create({ data: { key: 'tier2-specialists', name: 'Tier 2 Specialists' } });
  opsId = ops.id;
  tier2Id = tier2.id;
  const tier2Agent = await createUser(t.prisma, world.provider.id, 'AGENT');
  await t.prisma.resolverGroupMember.createMany({
    data: [
      { groupId: ops.id, userId: world.users.lead.id, isLead: true },
      { groupId: ops.id, userId: world.users.agent.id },
      { groupId: tier2.id, userId: tier2Agent.id },
    ],
  });
  tier2AgentToken = (await createToken(t.prisma, tier2Agent)).secret;
  await seedSla(t.prisma);
});
afterAll(() => t?.stop());

const ESCALATION = `id kind level reason detail status targetGroup { key } targetUser { id } targetRole vendorName vendorRef
  ackDueAt overdue acknowledgedAt acknowledgedBy { id } resolvedAt resolution rule { key }`;
const RESULT = `__typename ... on Error { message } ... on ValidationError { fieldErrors { path message } }
  ... on EscalationPayload { escalation { ${ESCALATION} } ticket { id version resolverGroup { key } assignee { id } } }`;

async function openTicket(impact = 'MEDIUM', urgency = 'MEDIUM') {
  const res = await t.gql(
    `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) {
      ... on TicketCreatePayload { ticket { id version priority } } } }`,
    {
      input: {
        title: 'VPN drops every ten minutes',
        description: 'Remote users in Turin lose the VPN every ten minutes since yesterday.',
        class: 'INCIDENT',
        impact,
        urgency,
      },
    },
    { token: world.tokens.acme },
  );
  const ticket = res.data!.ticketCreate.ticket as { id: string; version: number; priority: string };
  await t.prisma.ticket.update({
    where: { id: raw(ticket.id) },
    data: { resolverGroupId: opsId, assigneeId: world.users.agent.id },
  });
  return ticket;
}

async function escalate(token: string, input: Record<string, unknown>) {
  const res = await t.gql(
    `mutation ($input: TicketEscalateInput!) { ticketEscalate(input: $input) { ${RESULT} } }`,
    { input },
    { token },
  );
  return { result: res.data?.ticketEscalate, errors: res.errors, code: code(res) };
}

async function act(name: 'escalationAcknowledge' | 'escalationResolve', token: string, input: Record<string, unknown>) {
  const type = name === 'escalationAcknowledge' ? 'EscalationAcknowledgeInput' : 'EscalationResolveInput';
  const res = await t.gql(`mutation ($input: ${type}!) { ${name}(input: $input) { ${RESULT} } }`, { input }, { token });
  return { result: res.data?.[name], errors: res.errors, code: code(res) };
}

describe('ticketEscalate', () => {
  it('customers are FORBIDDEN; staff escalate functionally (the ticket moves) with a typed conflict on a stale version', async () => {
    const ticket = await openTicket();
    const input = {
      id: ticket.id,
      version: ticket.version,
      kind: 'FUNCTIONAL',
      detail: 'Needs a network specialist',
      targetGroupId: gid('ResolverGroup', tier2Id),
      ackWindowMinutes: 30,
    };
    expect((await escalate(world.tokens.acme, input)).code).toBe('FORBIDDEN');
    const stale = await escalate(world.tokens.agent, { ...input, version: ticket.version - 1 });
    expect(stale.result.__typename).toBe('ConflictError');
    const current = await t.prisma.ticket.findUniqueOrThrow({ where: { id: raw(ticket.id) } });
    const ok = await escalate(world.tokens.agent, { ...input, version: current.version });
    expect(ok.result?.__typename, JSON.stringify(ok)).toBe('EscalationPayload');
    expect(ok.result.escalation).toMatchObject({
      kind: 'FUNCTIONAL',
      level: 1,
      reason: 'MANUAL',
      status: 'OPEN',
      targetGroup: { key: 'tier2-specialists' },
      overdue: false,
    });
    expect(ok.result.escalation.ackDueAt).toBeTruthy();
    // The agent's group no longer owns it: the payload's ticket is null for them; a lead still sees it.
    expect(ok.result.ticket).toBeNull();
    const moved = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { version resolverGroup { key } assignee { id } } }`,
      { id: ticket.id },
      { token: world.tokens.lead },
    );
    expect(moved.data!.ticket).toMatchObject({ resolverGroup: { key: 'tier2-specialists' }, assignee: null });
    expect(moved.data!.ticket.version).toBe(current.version + 1);
    const audit = await t.prisma.auditEntry.findMany({ where: { ticketId: raw(ticket.id) }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['escalated', 'assigned']));
    const events = await t.prisma.event.findMany({ where: { ticketId: raw(ticket.id), type: 'escalation.created' } });
    expect(events).toHaveLength(1);
    expect(events[0]!.internal).toBe(true);
  });

  it('validates: a functional escalation needs a group, a vendor one a vendor name', async () => {
    const ticket = await openTicket();
    const noGroup = await escalate(world.tokens.agent, {
      id: ticket.id,
      version: ticket.version,
      kind: 'FUNCTIONAL',
      detail: 'Needs help',
    });
    expect(noGroup.result.__typename).toBe('ValidationError');
    expect(noGroup.result.fieldErrors[0].path).toEqual(['input', 'targetGroupId']);
    const noVendor = await escalate(world.tokens.agent, {
      id: ticket.id,
      version: ticket.version,
      kind: 'VENDOR',
      detail: 'Carrier issue',
    });
    expect(noVendor.result.fieldErrors[0].path).toEqual(['input', 'vendorName']);
    const vendor = await escalate(world.tokens.agent, {
      id: ticket.id,
      version: ticket.version,
      kind: 'VENDOR',
      detail: 'Carrier line down',
      vendorName: 'FastNet',
      vendorRef: 'FN-20331',
      ackWindowMinutes: 240,
    });
    expect(vendor.result.escalation).toMatchObject({ kind: 'VENDOR', vendorName: 'FastNet', vendorRef: 'FN-20331' });
  });
});

describe('acknowledging and resolving', () => {
  it('the target group lead or a manager may acknowledge; another agent may not; acknowledging twice is an error', async () => {
    const ticket = await openTicket();
    const hier = await escalate(world.tokens.agent, {
      id: ticket.id,
      version: ticket.version,
      kind: 'HIERARCHICAL',
      detail: 'Customer threatens penalties',
      ackWindowMinutes: 15,
    });
    // Default target: the lead of the ticket's group.
    expect(hier.result.escalation).toMatchObject({ level: 1, targetUser: { id: gid('User', world.users.lead.id) } });
    const id = hier.result.escalation.id;
    // The lead is told by mail (queued in the email module's outbox in the same transaction).
    const mail = await t.prisma.outboxMessage.findMany({
      where: { ticketId: raw(ticket.id), kind: 'ESCALATION_NOTICE' },
    });
    expect(mail.map((m) => m.toAddress)).toEqual([world.users.lead.email]);
    expect((await act('escalationAcknowledge', world.tokens.acme, { id })).code).toBe('FORBIDDEN');
    // A member of the lead's group is not the target; an agent who cannot see the ticket learns nothing.
    expect((await act('escalationAcknowledge', world.tokens.agent, { id })).code).toBe('FORBIDDEN');
    expect((await act('escalationAcknowledge', tier2AgentToken, { id })).result.__typename).toBe('NotFoundError');
    const ok = await act('escalationAcknowledge', world.tokens.lead, { id, note: 'Calling the customer' });
    expect(ok.result.escalation).toMatchObject({
      status: 'ACKNOWLEDGED',
      acknowledgedBy: { id: gid('User', world.users.lead.id) },
    });
    expect((await act('escalationAcknowledge', world.tokens.manager, { id })).result.__typename).toBe(
      'ValidationError',
    );
    expect(await t.prisma.slaTimer.count({ where: { escalationId: raw(id), firedAt: null } })).toBe(0);
    const events = await t.prisma.event.findMany({
      where: { ticketId: raw(ticket.id), type: 'escalation.acknowledged' },
    });
    expect(events).toHaveLength(1);
    // Resolving: the target, the ticket owner or a lead; never a customer.
    expect((await act('escalationResolve', world.tokens.acme, { id, resolution: 'Called' })).code).toBe('FORBIDDEN');
    const resolved = await act('escalationResolve', world.tokens.agent, { id, resolution: 'Customer calmed down' });
    expect(resolved.result.escalation).toMatchObject({ status: 'RESOLVED', resolution: 'Customer calmed down' });
  });

  it('a manager may acknowledge any escalation; an unknown id is NotFound', async () => {
    const ticket = await openTicket();
    const e = await escalate(world.tokens.lead, {
      id: ticket.id,
      version: ticket.version,
      kind: 'HIERARCHICAL',
      detail: 'Escalate to the duty manager',
      targetRole: 'MANAGER',
    });
    const id = e.result.escalation.id;
    expect((await act('escalationAcknowledge', world.tokens.agent, { id })).code).toBe('FORBIDDEN');
    expect((await act('escalationAcknowledge', world.tokens.manager, { id })).result.escalation.status).toBe(
      'ACKNOWLEDGED',
    );
    const missing = await act('escalationAcknowledge', world.tokens.manager, {
      id: gid('Escalation', '00000000-0000-0000-0000-000000000001'),
    });
    expect(missing.result.__typename).toBe('NotFoundError');
  });
});

describe('reading escalations', () => {
  it('ticket.escalations and escalations(filter): staff only, filtered by what the caller may see', async () => {
    const ticket = await openTicket('HIGH', 'HIGH'); // P1: escalated to the duty manager at intake
    const q = `query ($id: ID!) { ticket(id: $id) { escalations { kind level reason targetUser { id } } } }`;
    expect(code(await t.gql(q, { id: ticket.id }, { token: world.tokens.acme }))).toBe('FORBIDDEN');
    const staff = await t.gql(q, { id: ticket.id }, { token: world.tokens.agent });
    expect(staff.data!.ticket.escalations).toEqual([
      { kind: 'HIERARCHICAL', level: 2, reason: 'IMPACT', targetUser: { id: gid('User', world.users.manager.id) } },
    ]);
    const list = `query ($filter: EscalationFilter) { escalations(filter: $filter, first: 100) { edges { node { id kind ticket { id } } } } }`;
    expect(code(await t.gql(list, {}, { token: world.tokens.acme }))).toBe('FORBIDDEN');
    const open = await t.gql(
      list,
      { filter: { unacknowledged: true, ticketId: ticket.id } },
      { token: world.tokens.lead },
    );
    expect(open.data!.escalations.edges).toHaveLength(1);
    const mine = await t.gql(list, { filter: { mine: true } }, { token: world.tokens.manager });
    expect(mine.data!.escalations.edges.map((e: { node: { ticket: { id: string } } }) => e.node.ticket.id)).toContain(
      ticket.id,
    );
    // An agent outside the ticket's groups does not see it, nor its escalations.
    const outsider = await t.gql(list, { filter: { ticketId: ticket.id } }, { token: tier2AgentToken });
    expect(outsider.data!.escalations.edges).toEqual([]);
    const rules = await t.gql(
      '{ escalationRules { key trigger kind level percent targetKind } }',
      {},
      { token: world.tokens.agent },
    );
    expect(rules.data!.escalationRules.map((r: { key: string }) => r.key)).toContain('resolution-breach-tier2');
    expect(code(await t.gql('{ escalationRules { key } }', {}, { token: world.tokens.globex }))).toBe('FORBIDDEN');
  });
});
