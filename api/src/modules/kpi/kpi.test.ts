// KPI formulas on small hand-computed data sets, through the real database (rows written with controlled
// timestamps) and through the GraphQL API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, createToken, createUser, createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { backlog, csat, resolutionStats, trend } from './kpi.service.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;
const NOW = new Date('2026-06-15T12:00:00Z');
const H = 3_600_000;
const D = 24 * H;
let orgId: string;
let groupA: string;
let groupB: string;
let seq = 0;

async function ticket(fields: Record<string, unknown>) {
  seq += 1;
  return t.prisma.ticket.create({
    data: {
      number: `KPI-${String(seq).padStart(6, '0')}`,
      class: 'INCIDENT',
      title: 'kpi fixture',
      description: 'kpi fixture ticket',
      requesterId: world.users.acmeCustomer.id,
      organizationId: orgId,
      channel: 'API',
      impact: 'MEDIUM',
      urgency: 'MEDIUM',
      priority: 'P3',
      priorityMatrixVersion: 1,
      status: 'NEW',
      ...fields,
    },
  });
}

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
  const org = await createOrganization(t.prisma, 'CUSTOMER');
  orgId = org.id;
  const customer = await createUser(t.prisma, org.id, 'CUSTOMER');
  world.users.acmeCustomer = customer;
  groupA = (await t.prisma.resolverGroup.create({ data: { key: 'kpi-a', name: 'KPI A' } })).id;
  groupB = (await t.prisma.resolverGroup.create({ data: { key: 'kpi-b', name: 'KPI B' } })).id;
  // Resolved in the window [NOW-10d, NOW): durations 1 h, 2 h, 3 h, 10 h (group A) and 5 h (group B).
  for (const [hours, group, extra] of [
    [1, groupA, {}],
    [2, groupA, { agentReplyCount: 2 }],
    [3, groupA, { groupChangeCount: 1 }],
    [10, groupA, { reopenCount: 1 }],
    [5, groupB, { agentReplyCount: 1 }],
  ] as const) {
    const resolvedAt = new Date(NOW.getTime() - 2 * D);
    await ticket({
      createdAt: new Date(resolvedAt.getTime() - hours * H),
      resolvedAt,
      status: 'RESOLVED',
      resolverGroupId: group,
      ...extra,
    });
  }
  // Resolved outside the window, and a duplicate (never first-contact).
  await ticket({
    createdAt: new Date(NOW.getTime() - 40 * D),
    resolvedAt: new Date(NOW.getTime() - 11 * D),
    status: 'CLOSED',
    resolverGroupId: groupA,
  });
  await ticket({
    createdAt: new Date(NOW.getTime() - 3 * D),
    resolvedAt: new Date(NOW.getTime() - 3 * D + H),
    status: 'RESOLVED',
    resolverGroupId: groupB,
    resolutionCode: 'DUPLICATE',
  });
  // Open tickets exactly on and around every bucket edge.
  for (const ageMs of [0, D - 1, D, 3 * D - 1, 3 * D, 7 * D, 30 * D, 30 * D + 1, 400 * D]) {
    await ticket({
      createdAt: new Date(NOW.getTime() - ageMs),
      status: 'IN_PROGRESS',
      resolverGroupId: groupA,
      priority: ageMs > 7 * D ? 'P1' : 'P3',
    });
  }
  await ticket({ createdAt: new Date(NOW.getTime() - D / 2), status: 'CANCELLED' });
});
afterAll(() => t?.stop());

const win = { from: new Date(NOW.getTime() - 10 * D), to: NOW };

describe('resolution time and first contact resolution', () => {
  it('computes mean, median and p90 over the window (linear interpolation)', async () => {
    const [all] = await resolutionStats(t.prisma, win.from, win.to, { organizationId: orgId }, 'NONE');
    // durations (h): 1, 1 (duplicate), 2, 3, 5, 10 → mean 22/6, median 2.5, p90 = 5 + 0.5 × (10 − 5) = 7.5
    expect(all!.resolved).toBe(6);
    expect(all!.meanSeconds).toBeCloseTo((22 / 6) * 3600, 3);
    expect(all!.medianSeconds).toBeCloseTo(2.5 * 3600, 3);
    expect(all!.p90Seconds).toBeCloseTo(7.5 * 3600, 3);
  });

  it('counts FCR: no group change, no reopen, at most one agent reply, not a duplicate', async () => {
    const rows = await resolutionStats(t.prisma, win.from, win.to, { organizationId: orgId }, 'GROUP');
    const a = rows.find((r) => r.key === groupA)!;
    const b = rows.find((r) => r.key === groupB)!;
    expect([a.resolved, a.firstContactResolved]).toEqual([4, 1]); // 1 h ok; 2 replies; group change; reopened
    expect([b.resolved, b.firstContactResolved]).toEqual([2, 1]); // one reply ok; duplicate excluded
  });
});

describe('backlog and ageing', () => {
  it('puts every edge in the right half-open bucket and ignores closed/cancelled tickets', async () => {
    const [row] = await backlog(t.prisma, NOW, { organizationId: orgId }, 'NONE');
    // ages: 0, 1d-1ms → [0,1d); 1d, 3d-1ms → [1d,3d); 3d → [3d,7d); 7d → [7d,30d); 30d, 30d+1ms, 400d → [30d,∞)
    expect(row!.open).toBe(9);
    expect(row!.buckets).toEqual([2, 2, 1, 1, 3]);
  });

  it('breaks down by priority', async () => {
    const rows = await backlog(t.prisma, NOW, { organizationId: orgId }, 'PRIORITY');
    expect(Object.fromEntries(rows.map((r) => [r.key, r.open]))).toEqual({ P1: 3, P3: 6 });
  });
});

describe('trend and CSAT', () => {
  it('counts created and resolved per day, with empty days present', async () => {
    const points = await trend(t.prisma, new Date(NOW.getTime() - 4 * D), NOW, 'UTC', { organizationId: orgId });
    expect(points.map((p) => p.day)).toEqual(
      ['2026-06-11', '2026-06-12', '2026-06-13', '2026-06-14', '2026-06-15'].slice(0, points.length),
    );
    const byDay = Object.fromEntries(points.map((p) => [p.day, p]));
    expect(byDay['2026-06-13']).toMatchObject({ resolved: 5 });
    // the duplicate (created and resolved that day) and two open tickets aged 3 d − 1 ms and 3 d
    expect(byDay['2026-06-12']).toMatchObject({ created: 3, resolved: 1 });
  });

  it('averages ratings given and rates responses over surveys sent', async () => {
    const tickets = await t.prisma.ticket.findMany({ where: { organizationId: orgId, status: 'RESOLVED' }, take: 3 });
    const sentAt = new Date(NOW.getTime() - D);
    await t.prisma.satisfactionSurvey.create({
      data: { ticketId: tickets[0]!.id, organizationId: orgId, tokenHash: 'h1', sentAt, respondedAt: NOW, rating: 5 },
    });
    await t.prisma.satisfactionSurvey.create({
      data: { ticketId: tickets[1]!.id, organizationId: orgId, tokenHash: 'h2', sentAt, respondedAt: NOW, rating: 2 },
    });
    await t.prisma.satisfactionSurvey.create({
      data: { ticketId: tickets[2]!.id, organizationId: orgId, tokenHash: 'h3', sentAt },
    });
    const [row] = await csat(t.prisma, win.from, win.to, { organizationId: orgId }, 'NONE');
    expect(row).toMatchObject({ sent: 3, responded: 2, averageRating: 3.5 });
  });
});

describe('GraphQL', () => {
  const Q = `query ($from: DateTime!, $to: DateTime!, $filter: KpiFilter) {
    kpis(from: $from, to: $to, filter: $filter) {
      resolution { resolved medianSeconds firstContactResolutionRate }
      backlog { open aging { key count } }
      csat { sent responded responseRate averageRating }
      trend { day created resolved }
    } }`;

  it('gives staff the same figures as the services', async () => {
    const gidOrg = Buffer.from(`Organization:${orgId}`).toString('base64');
    const res = await t.gql(
      Q,
      { from: win.from.toISOString(), to: win.to.toISOString(), filter: { organizationId: gidOrg } },
      { token: world.tokens.manager },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.kpis.resolution[0]).toMatchObject({
      resolved: 6,
      medianSeconds: 9000,
      firstContactResolutionRate: 2 / 6,
    });
    expect(res.data?.kpis.csat[0]).toMatchObject({ sent: 3, responded: 2, responseRate: 2 / 3, averageRating: 3.5 });
  });

  it('limits a customer to their own organisation whatever they ask', async () => {
    const res = await t.gql(
      Q,
      { from: win.from.toISOString(), to: win.to.toISOString() },
      { token: world.tokens.globex },
    );
    expect(res.data?.kpis.resolution).toEqual([]);
    expect(res.data?.kpis.backlog).toEqual([]);
  });

  it('refuses an inverted or too long window with BAD_USER_INPUT', async () => {
    const res = await t.gql(
      Q,
      { from: NOW.toISOString(), to: win.from.toISOString() },
      { token: world.tokens.manager },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('serves the wallboard to a wallboard token, not to a customer', async () => {
    const kiosk = await createUser(t.prisma, world.provider.id, 'AGENT', { withPassword: false });
    const { secret } = await createToken(t.prisma, kiosk, ['wallboard:read']);
    const W =
      '{ wallboard { openTotal backlogByPriority { priority count } backlogByGroup { name count } aging { key count } today { created resolved } trend { day } } }';
    const res = await t.gql(W, {}, { token: secret });
    expect(res.errors).toBeUndefined();
    expect(res.data?.wallboard.openTotal).toBeGreaterThanOrEqual(9);
    expect(res.data?.wallboard.backlogByPriority.map((p: { priority: string }) => p.priority)).toEqual([
      'P1',
      'P2',
      'P3',
      'P4',
      'P5',
    ]);
    expect(res.data?.wallboard.trend).toHaveLength(14);
    const denied = await t.gql(W, {}, { token: world.tokens.acme });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
