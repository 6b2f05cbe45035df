// The SLA GraphQL surface through HTTP, per role: Ticket.sla, ticketsAtRisk, policies, calendars, the test clock.
process.env.SLA_SCHEDULER_INTERVAL_MS = '0';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { seedSla } from './seed.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
type Who = 'acme' | 'globex' | 'agent' | 'lead' | 'manager' | 'admin';
const ROLES: Who[] = ['acme', 'globex', 'agent', 'lead', 'manager', 'admin'];

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
  await t.prisma.resolverGroup.create({ data: { key: 'tier2-specialists', name: 'Tier 2 Specialists' } });
  await seedSla(t.prisma);
});
afterAll(async () => {
  delete process.env.ENABLE_TEST_CLOCK;
  await t?.stop();
});

const SLA_TARGET = `state running dueAt dueLabel remainingSeconds elapsedSeconds percentUsed targetSeconds cycle
  metAt breachedAt pauseReason policyVersion explanation { summary steps { kind text } }`;

async function openTicket(token: string, impact = 'HIGH', urgency = 'HIGH') {
  const res = await t.gql(
    `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) {
      __typename ... on TicketCreatePayload { ticket { id version priority } } } }`,
    {
      input: {
        title: 'Plant ERP down',
        description: 'Nobody can post orders in the ERP since 07:40 this morning.',
        class: 'INCIDENT',
        impact,
        urgency,
      },
    },
    { token },
  );
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.ticketCreate.ticket as { id: string; version: number; priority: string };
}

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? null;

describe('Ticket.sla', () => {
  it('shows each target with state, due time, remaining time, percentage and explanation', async () => {
    const ticket = await openTicket(world.tokens.acme);
    expect(ticket.priority).toBe('P1');
    const res = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { sla { policyName breached policy { key version }
        firstResponse { ${SLA_TARGET} } nextUpdate { ${SLA_TARGET} } resolution { ${SLA_TARGET} } } } }`,
      { id: ticket.id },
      { token: world.tokens.agent },
    );
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const sla = res.data!.ticket.sla;
    expect(sla).toMatchObject({ policyName: 'P1 24×7 v1', breached: false, policy: { key: 'default-p1', version: 1 } });
    expect(sla.firstResponse).toMatchObject({ state: 'RUNNING', running: true, targetSeconds: 900, cycle: 1 });
    expect(sla.firstResponse.remainingSeconds).toBeGreaterThan(890);
    expect(sla.firstResponse.percentUsed).toBeLessThan(2);
    expect(sla.resolution.explanation.summary).toMatch(
      /^due .+: 4 h business time for resolution, policy P1 24×7 v1, 24×7$/,
    );
    expect(sla.resolution.explanation.steps.map((s: { kind: string }) => s.kind)).toEqual(['COUNTING', 'DUE']);
    expect(new Date(sla.resolution.dueAt).getTime() - new Date(sla.firstResponse.dueAt).getTime()).toBe(
      (4 * 60 - 15) * 60_000,
    );
  });

  it('customers see their own tickets’ targets but not the policy object; other customers see nothing', async () => {
    const ticket = await openTicket(world.tokens.acme);
    const q = `query ($id: ID!) { ticket(id: $id) { sla { policyName policy { key } resolution { state dueAt } } } }`;
    const own = await t.gql(q, { id: ticket.id }, { token: world.tokens.acme });
    expect(own.errors).toBeUndefined();
    expect(own.data!.ticket.sla).toMatchObject({
      policyName: 'P1 24×7 v1',
      policy: null,
      resolution: { state: 'RUNNING' },
    });
    const other = await t.gql(q, { id: ticket.id }, { token: world.tokens.globex });
    expect(other.data?.ticket ?? null).toBeNull();
  });

  it('a ticket without a matching policy says NOT_APPLICABLE', async () => {
    const ticket = await openTicket(world.tokens.acme, 'LOW', 'LOW');
    await t.prisma.slaClock.deleteMany({
      where: { ticketId: Buffer.from(ticket.id, 'base64').toString().split(':')[1] },
    });
    const res = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { sla { policyName firstResponse { state dueAt explanation { summary } } } } }`,
      { id: ticket.id },
      { token: world.tokens.agent },
    );
    expect(res.data!.ticket.sla).toEqual({
      policyName: null,
      firstResponse: { state: 'NOT_APPLICABLE', dueAt: null, explanation: null },
    });
  });
});

describe('lists', () => {
  it('loads the SLA of a page of tickets with the tickets, not one query per ticket', async () => {
    for (let i = 0; i < 5; i += 1) await openTicket(world.tokens.acme);
    const Q =
      '{ tickets(first: 20) { edges { node { number sla { breached resolution { state dueAt remainingSeconds } } } } } }';
    await t.gql(Q, {}, { token: world.tokens.admin });
    // Background loops (event dispatch, timers) also query and only ever add: the least of a few runs is the
    // request's own count.
    let statements = Number.POSITIVE_INFINITY;
    let res = await t.gql(Q, {}, { token: world.tokens.admin });
    for (let run = 0; run < 5; run += 1) {
      const before = t.app.database().queryCount();
      res = await t.gql(Q, {}, { token: world.tokens.admin });
      statements = Math.min(statements, t.app.database().queryCount() - before);
    }
    expect(res.errors).toBeUndefined();
    expect(res.data!.tickets.edges.length).toBeGreaterThanOrEqual(5);
    expect(res.data!.tickets.edges[0].node.sla.resolution.state).toBe('RUNNING');
    expect(statements).toBeLessThanOrEqual(3);
  });
});

describe('authorization of the root fields', () => {
  const staffOnly: [string, string][] = [
    ['ticketsAtRisk', '{ ticketsAtRisk(withinMinutes: 600) { id } }'],
    ['slaPolicies', '{ slaPolicies { key version } }'],
    ['businessCalendars', '{ businessCalendars { key timeZone hours { day start end } } }'],
  ];
  for (const [name, query] of staffOnly) {
    it(`${name}: staff yes, customers FORBIDDEN, anonymous UNAUTHENTICATED`, async () => {
      for (const who of ROLES) {
        const res = await t.gql(query, {}, { token: world.tokens[who] });
        if (who === 'acme' || who === 'globex') expect(code(res), `${name} as ${who}`).toBe('FORBIDDEN');
        else expect(res.errors, `${name} as ${who}: ${JSON.stringify(res.errors)}`).toBeUndefined();
      }
      expect(code(await t.gql(query))).toBe('UNAUTHENTICATED');
    });
  }

  it('ticketsAtRisk lists tickets due soon or breached, most urgent first', async () => {
    const ticket = await openTicket(world.tokens.acme);
    const res = await t.gql(
      '{ ticketsAtRisk(withinMinutes: 20) { id number priority } }',
      {},
      { token: world.tokens.lead },
    );
    expect(res.data!.ticketsAtRisk.map((x: { id: string }) => x.id)).toContain(ticket.id);
    const none = await t.gql(
      '{ ticketsAtRisk(withinMinutes: 1, minPercent: 99) { id } }',
      {},
      { token: world.tokens.lead },
    );
    expect(none.data!.ticketsAtRisk.map((x: { id: string }) => x.id)).not.toContain(ticket.id);
  });

  it('slaPolicySave and businessCalendarSave: administrators only', async () => {
    const calendar = await t.gql('{ businessCalendars { id key } }', {}, { token: world.tokens.admin });
    const always = calendar.data!.businessCalendars.find((c: { key: string }) => c.key === 'always');
    const save = `mutation ($input: SlaPolicySaveInput!) { slaPolicySave(input: $input) {
      __typename ... on SlaPolicySavePayload { policy { key version active } recomputedTickets }
      ... on ValidationError { fieldErrors { path message } } } }`;
    const input = {
      key: 'acme-contract',
      name: 'Acme contract',
      organizationId: gid('Organization', world.acme.id),
      calendarId: always.id,
      firstResponseSeconds: 600,
      resolutionSeconds: 7200,
    };
    for (const who of ['acme', 'agent', 'lead', 'manager'] as const) {
      expect(code(await t.gql(save, { input }, { token: world.tokens[who] })), who).toBe('FORBIDDEN');
    }
    const bad = await t.gql(
      save,
      { input: { ...input, key: 'Bad Key', resolutionSeconds: -5 } },
      { token: world.tokens.admin },
    );
    expect(bad.data!.slaPolicySave.__typename).toBe('ValidationError');
    const ok = await t.gql(save, { input }, { token: world.tokens.admin });
    expect(ok.data!.slaPolicySave).toMatchObject({
      __typename: 'SlaPolicySavePayload',
      policy: { key: 'acme-contract', version: 1, active: true },
    });
    const again = await t.gql(save, { input: { ...input, resolutionSeconds: 3600 } }, { token: world.tokens.admin });
    expect(again.data!.slaPolicySave.policy).toMatchObject({ version: 2, active: true });
    const versions = await t.gql(
      '{ slaPolicies(includeRetired: true) { key version active } }',
      {},
      { token: world.tokens.agent },
    );
    expect(versions.data!.slaPolicies.filter((p: { key: string }) => p.key === 'acme-contract')).toEqual([
      { key: 'acme-contract', version: 2, active: true },
      { key: 'acme-contract', version: 1, active: false },
    ]);
    // Acme's open tickets now run on the contract (organisation outweighs priority).
    const ticket = await openTicket(world.tokens.acme, 'LOW', 'LOW');
    const sla = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { sla { policyName resolution { targetSeconds } } } }`,
      { id: ticket.id },
      { token: world.tokens.agent },
    );
    expect(sla.data!.ticket.sla).toEqual({ policyName: 'Acme contract v2', resolution: { targetSeconds: 3600 } });
    await t.prisma.slaPolicy.updateMany({ where: { key: 'acme-contract' }, data: { active: false } });

    const cal = `mutation ($input: BusinessCalendarSaveInput!) { businessCalendarSave(input: $input) {
      __typename ... on BusinessCalendarPayload { calendar { key timeZone hours { day start end } holidays } }
      ... on ValidationError { fieldErrors { path } } } }`;
    const calInput = {
      key: 'ny-office',
      name: 'New York office',
      timeZone: 'America/New_York',
      hours: [{ day: 1, start: '09:00', end: '17:00' }],
      holidays: ['2026-11-26'],
    };
    expect(code(await t.gql(cal, { input: calInput }, { token: world.tokens.manager }))).toBe('FORBIDDEN');
    const badCal = await t.gql(cal, { input: { ...calInput, timeZone: 'Mars/Base' } }, { token: world.tokens.admin });
    expect(badCal.data!.businessCalendarSave.fieldErrors).toEqual([{ path: ['input', 'timeZone'] }]);
    const okCal = await t.gql(cal, { input: calInput }, { token: world.tokens.admin });
    expect(okCal.data!.businessCalendarSave.calendar).toMatchObject({ key: 'ny-office', holidays: ['2026-11-26'] });
  });
});

describe('testClockAdvance', () => {
  const advance = `mutation ($s: Int!) { testClockAdvance(input: { seconds: $s }) {
    __typename ... on TestClockPayload { offsetSeconds fired } } }`;

  it('is refused (FORBIDDEN) unless ENABLE_TEST_CLOCK=true, and to anyone but an admin', async () => {
    delete process.env.ENABLE_TEST_CLOCK;
    for (const who of ROLES)
      expect(code(await t.gql(advance, { s: 60 }, { token: world.tokens[who] })), who).toBe('FORBIDDEN');
    process.env.ENABLE_TEST_CLOCK = 'true';
    for (const who of ['acme', 'agent', 'lead', 'manager'] as const) {
      expect(code(await t.gql(advance, { s: 60 }, { token: world.tokens[who] })), who).toBe('FORBIDDEN');
    }
  });

  it('with the test clock on, moves time forward and runs the scheduler: the SLA breaches', async () => {
    process.env.ENABLE_TEST_CLOCK = 'true';
    const ticket = await openTicket(world.tokens.acme);
    const res = await t.gql(advance, { s: 5 * 3600 }, { token: world.tokens.admin });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.data!.testClockAdvance.fired).toBeGreaterThan(0);
    const sla = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { sla { breached resolution { state breachedAt remainingSeconds } } escalations { kind level reason } } }`,
      { id: ticket.id },
      { token: world.tokens.admin },
    );
    expect(sla.data!.ticket.sla.breached).toBe(true);
    expect(sla.data!.ticket.sla.resolution).toMatchObject({ state: 'BREACHED' });
    expect(sla.data!.ticket.sla.resolution.remainingSeconds).toBeLessThan(-3000);
    expect(sla.data!.ticket.escalations.map((e: { kind: string; reason: string }) => `${e.kind}/${e.reason}`)).toEqual(
      expect.arrayContaining(['HIERARCHICAL/IMPACT', 'FUNCTIONAL/THRESHOLD', 'HIERARCHICAL/THRESHOLD']),
    );
  });
});
