// SLA clocks through the real ticket services, with an injected clock (the background scheduler is off: timers are
// run by hand at chosen instants). Uses the demo SLA data: P1 24×7 (15 m / 1 h / 4 h), P3–P5 on Rome business hours.
process.env.SLA_SCHEDULER_INTERVAL_MS = '0';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import type { Role } from '../../generated/prisma/enums.js';
import { verifyAuditChain } from '../audit/audit.service.js';
import { scopesForRole } from '../auth/scopes.js';
import { acknowledgeEscalation } from '../escalation/escalation.service.js';
import {
  addEntry,
  assignTicket,
  reopenTicket,
  requestInformation,
  resolveTicket,
  transitionTicket,
} from '../ticket/lifecycle.service.js';
import type { Actor, Clock } from '../ticket/mutate.js';
import { createTicket, overridePriority } from '../ticket/ticket.service.js';
import { saveSlaPolicy } from './policy.service.js';
import { runDueTimers } from './scheduler.js';
import { seedSla } from './seed.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;
let opsGroupId: string;
let tier2Id: string;
let customer: Actor;
let agent: Actor;
let lead: Actor;
let admin: Actor;

class FakeClock implements Clock {
  constructor(public at: Date) {}
  now() {
    return new Date(this.at);
  }
  set(iso: string) {
    this.at = new Date(iso);
    return this;
  }
  advance(ms: number) {
    this.at = new Date(this.at.getTime() + ms);
    return this;
  }
}

function actorFor(user: {
  id: string;
  organizationId: string;
  role: Role;
  organization: { kind: 'PROVIDER' | 'CUSTOMER' };
}): Actor {
  return {
    viewer: {
      userId: user.id,
      organizationId: user.organizationId,
      organizationKind: user.organization.kind,
      role: user.role,
      via: 'session',
      sessionId: null,
      tokenId: null,
      scopes: new Set(scopesForRole(user.role)),
    },
    channel: 'PORTAL',
  };
}

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
  const ops = await t.prisma.resolverGroup.create({ data: { key: 'ops-sla', name: 'Operations' } });
  const tier2 = await t.prisma.resolverGroup.create({ data: { key: 'tier2-specialists', name: 'Tier 2 Specialists' } });
  opsGroupId = ops.id;
  tier2Id = tier2.id;
  await t.prisma.resolverGroupMember.createMany({
    data: [
      { groupId: ops.id, userId: world.users.lead.id, isLead: true },
      { groupId: ops.id, userId: world.users.agent.id },
    ],
  });
  await seedSla(t.prisma);
  customer = actorFor(world.users.acmeCustomer);
  agent = actorFor(world.users.agent);
  lead = actorFor(world.users.lead);
  admin = actorFor(world.users.admin);
});
afterAll(() => t?.stop());

type Level = 'HIGH' | 'MEDIUM' | 'LOW';
async function open(clock: FakeClock, impact: Level, urgency: Level, title = 'Order entry fails for every plant') {
  const { ticket } = await createTicket(
    t.prisma,
    customer,
    {
      title,
      description: 'Every order save fails with error 503 since this morning.',
      class: 'INCIDENT',
      impact,
      urgency,
    },
    clock,
  );
  return ticket;
}

async function clocks(ticketId: string) {
  const rows = await t.prisma.slaClock.findMany({ where: { ticketId }, include: { policy: true } });
  return Object.fromEntries(rows.map((r) => [r.kind, r]));
}

async function events(ticketId: string, prefix = 'sla.') {
  const rows = await t.prisma.event.findMany({
    where: { ticketId, type: { startsWith: prefix } },
    orderBy: { id: 'asc' },
  });
  return rows.map((e): Record<string, any> => ({ type: e.type, ...(e.payload as Record<string, unknown>) }));
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

describe('the three targets', () => {
  it('start at intake on the selected policy, with their due times and timers', async () => {
    const clock = new FakeClock(new Date('2026-12-14T08:00:00Z'));
    const ticket = await open(clock, 'HIGH', 'HIGH');
    expect(ticket.priority).toBe('P1');
    const c = await clocks(ticket.id);
    expect(Object.keys(c).sort()).toEqual(['FIRST_RESPONSE', 'NEXT_UPDATE', 'RESOLUTION']);
    expect(c.FIRST_RESPONSE).toMatchObject({ state: 'RUNNING', running: true, targetSeconds: 900, policyVersion: 1 });
    expect(c.FIRST_RESPONSE!.policy.key).toBe('default-p1');
    expect(iso(c.FIRST_RESPONSE!.dueAt)).toBe('2026-12-14T08:15:00.000Z');
    expect(iso(c.NEXT_UPDATE!.dueAt)).toBe('2026-12-14T09:00:00.000Z');
    expect(iso(c.RESOLUTION!.dueAt)).toBe('2026-12-14T12:00:00.000Z');
    const timers = await t.prisma.slaTimer.findMany({
      where: { clockId: c.RESOLUTION!.id, firedAt: null },
      orderBy: { dueAt: 'asc' },
    });
    expect(timers.map((x) => [x.percent, iso(x.dueAt)])).toEqual([
      [50, '2026-12-14T10:00:00.000Z'],
      [75, '2026-12-14T11:00:00.000Z'],
      [90, '2026-12-14T11:36:00.000Z'],
      [100, '2026-12-14T12:00:00.000Z'],
    ]);
    // P1 at intake: hierarchical to the duty manager at once.
    const escalations = await t.prisma.escalation.findMany({ where: { ticketId: ticket.id } });
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({
      kind: 'HIERARCHICAL',
      level: 2,
      reason: 'IMPACT',
      targetUserId: world.users.manager.id,
      targetRole: null,
    });
    expect(iso(escalations[0]!.ackDueAt)).toBe('2026-12-14T08:15:00.000Z');
  });

  it('first response completes its clock; a public update restarts the next-update cycle, an internal note does not', async () => {
    const clock = new FakeClock(new Date('2026-12-14T08:00:00Z'));
    let ticket = await open(clock, 'HIGH', 'HIGH');
    clock.advance(10 * MIN);
    ({ ticket } = await addEntry(
      t.prisma,
      agent,
      ticket.id,
      ticket.version,
      { kind: 'PUBLIC_REPLY', body: 'On it.' },
      clock,
    ));
    let c = await clocks(ticket.id);
    expect(c.FIRST_RESPONSE).toMatchObject({ state: 'MET', running: false });
    expect(iso(c.FIRST_RESPONSE!.metAt)).toBe('2026-12-14T08:10:00.000Z');
    expect(c.NEXT_UPDATE).toMatchObject({ state: 'RUNNING', cycle: 2 });
    expect(iso(c.NEXT_UPDATE!.dueAt)).toBe('2026-12-14T09:10:00.000Z');
    clock.advance(20 * MIN);
    ({ ticket } = await addEntry(
      t.prisma,
      agent,
      ticket.id,
      ticket.version,
      { kind: 'INTERNAL_NOTE', body: 'Checked logs.' },
      clock,
    ));
    expect((await clocks(ticket.id)).NEXT_UPDATE).toMatchObject({ cycle: 2 });
    clock.advance(20 * MIN);
    ({ ticket } = await addEntry(
      t.prisma,
      agent,
      ticket.id,
      ticket.version,
      { kind: 'PROGRESS_UPDATE', body: 'Fix deploying.' },
      clock,
    ));
    c = await clocks(ticket.id);
    expect(c.NEXT_UPDATE).toMatchObject({ cycle: 3, state: 'RUNNING' });
    expect(iso(c.NEXT_UPDATE!.dueAt)).toBe('2026-12-14T09:50:00.000Z');
    const met = (await events(ticket.id)).filter((e) => e.type === 'sla.met');
    expect(met.map((e) => `${e.kind} ${e.cycle}`).sort()).toEqual([
      'FIRST_RESPONSE 1',
      'NEXT_UPDATE 1',
      'NEXT_UPDATE 2',
    ]);
  });

  it('resolution stops at RESOLVED and resumes on reopen with the time already used', async () => {
    const clock = new FakeClock(new Date('2026-12-14T08:00:00Z'));
    let ticket = await open(clock, 'HIGH', 'HIGH');
    clock.advance(HOUR);
    ({ ticket } = await resolveTicket(
      t.prisma,
      agent,
      ticket.id,
      ticket.version,
      { resolutionCode: 'FIXED', resolutionNotes: 'Restarted the order service.' },
      clock,
    ));
    let c = await clocks(ticket.id);
    expect(c.RESOLUTION).toMatchObject({ state: 'MET', elapsedSeconds: 3600 });
    // The resolution notice was the first public word, after 1 h: the 15 m first response was breached.
    expect(c.FIRST_RESPONSE!.state).toBe('BREACHED');
    expect(c.NEXT_UPDATE!.state).toBe('MET');
    expect(await t.prisma.slaTimer.count({ where: { ticketId: ticket.id, firedAt: null, kind: 'THRESHOLD' } })).toBe(0);
    clock.advance(2 * HOUR);
    ({ ticket } = await reopenTicket(t.prisma, customer, ticket.id, ticket.version, 'Still failing in Milan', clock));
    c = await clocks(ticket.id);
    expect(c.RESOLUTION).toMatchObject({ state: 'RUNNING', metAt: null, completedAt: null, elapsedSeconds: 3600 });
    expect(iso(c.RESOLUTION!.dueAt)).toBe('2026-12-14T14:00:00.000Z');
    expect(c.NEXT_UPDATE).toMatchObject({ state: 'RUNNING', cycle: 2 });
    expect(c.FIRST_RESPONSE!.state).toBe('BREACHED');
  });
});

describe('pausing', () => {
  it('waits for the customer: every clock pauses, and resumes where it stopped', async () => {
    const clock = new FakeClock(new Date('2026-12-14T08:00:00Z'));
    let ticket = await open(clock, 'HIGH', 'HIGH');
    clock.advance(30 * MIN);
    ({ ticket } = await requestInformation(
      t.prisma,
      agent,
      ticket.id,
      ticket.version,
      'Which plant are you in?',
      clock,
    ));
    let c = await clocks(ticket.id);
    expect(c.FIRST_RESPONSE!.state).toBe('BREACHED'); // answered at 30 m: late (recorded at completion)
    expect(c.RESOLUTION).toMatchObject({
      state: 'PAUSED',
      running: false,
      dueAt: null,
      pauseReason: 'waiting for the customer',
    });
    expect(c.NEXT_UPDATE).toMatchObject({ state: 'PAUSED', cycle: 2 });
    clock.advance(HOUR);
    ({ ticket } = await addEntry(
      t.prisma,
      customer,
      ticket.id,
      ticket.version,
      { kind: 'PUBLIC_REPLY', body: 'Turin' },
      clock,
    ));
    expect(ticket.status).toBe('IN_PROGRESS');
    c = await clocks(ticket.id);
    expect(c.RESOLUTION).toMatchObject({ state: 'RUNNING', elapsedSeconds: 1800 });
    // 4 h target: 30 m used, 3 h 30 m left from 09:30 → 13:00.
    expect(iso(c.RESOLUTION!.dueAt)).toBe('2026-12-14T13:00:00.000Z');
    const ledger = await t.prisma.slaSegment.findMany({
      where: { clockId: c.RESOLUTION!.id },
      orderBy: { startedAt: 'asc' },
    });
    expect(ledger.map((s) => [s.kind, s.reason, iso(s.startedAt), iso(s.endedAt)])).toEqual([
      ['RUNNING', 'ticket created', '2026-12-14T08:00:00.000Z', '2026-12-14T08:30:00.000Z'],
      ['PAUSED', 'waiting for the customer', '2026-12-14T08:30:00.000Z', '2026-12-14T09:30:00.000Z'],
      ['RUNNING', 'status IN_PROGRESS', '2026-12-14T09:30:00.000Z', null],
    ]);
  });

  it('waits for a vendor: pauses only where the policy says so, and opens a vendor engagement', async () => {
    const clock = new FakeClock(new Date('2026-12-14T08:00:00Z'));
    for (const [impact, urgency, pauses] of [
      ['HIGH', 'HIGH', false],
      ['LOW', 'MEDIUM', true],
    ] as const) {
      let ticket = await open(clock, impact, urgency);
      ({ ticket } = await assignTicket(
        t.prisma,
        lead,
        ticket.id,
        ticket.version,
        { resolverGroupId: opsGroupId },
        clock,
      ));
      ({ ticket } = await addEntry(
        t.prisma,
        agent,
        ticket.id,
        ticket.version,
        { kind: 'VENDOR_REFERENCE', body: 'Opened a case with the ERP vendor', vendorRef: 'SAP-4711' },
        clock,
      ));
      ({ ticket } = await transitionTicket(t.prisma, agent, ticket.id, ticket.version, 'PENDING_VENDOR', null, clock));
      const c = await clocks(ticket.id);
      expect(c.RESOLUTION!.running).toBe(!pauses);
      if (pauses) expect(c.RESOLUTION!.pauseReason).toBe('waiting for a vendor');
      const vendor = await t.prisma.escalation.findFirstOrThrow({ where: { ticketId: ticket.id, kind: 'VENDOR' } });
      expect(vendor).toMatchObject({ level: 1, reason: 'DEPENDENCY', vendorRef: 'SAP-4711' });
      // The vendor's 4 h response commitment counts on the ticket's SLA calendar: 24×7 for P1, business hours for P4.
      expect(iso(vendor.ackDueAt)).toBe(pauses ? '2026-12-14T12:00:00.000Z' : '2026-12-14T12:00:00.000Z');
    }
  });
});

describe('policy re-selection', () => {
  it('a priority change switches policy and recomputes from the ledger, keeping paused time paused', async () => {
    // Friday 11 Dec 19:00 Rome: a P3 on business hours.
    const clock = new FakeClock(new Date('2026-12-11T18:00:00Z'));
    let ticket = await open(clock, 'MEDIUM', 'MEDIUM');
    expect(ticket.priority).toBe('P3');
    clock.advance(10 * MIN);
    ({ ticket } = await transitionTicket(t.prisma, agent, ticket.id, ticket.version, 'PENDING_CUSTOMER', null, clock));
    clock.advance(30 * MIN);
    ({ ticket } = await addEntry(
      t.prisma,
      customer,
      ticket.id,
      ticket.version,
      { kind: 'PUBLIC_REPLY', body: 'Here.' },
      clock,
    ));
    let c = await clocks(ticket.id);
    // 10 m + 20 m counted on Friday; 1 h 30 m left from Monday 08:00 → 09:30 Rome.
    expect(iso(c.FIRST_RESPONSE!.dueAt)).toBe('2026-12-14T08:30:00.000Z');
    expect(c.RESOLUTION!.policy.key).toBe('default-p3');
    expect(c.NEXT_UPDATE).toBeUndefined();

    // Saturday 10:00 Rome: raised to P1 (24×7).
    clock.set('2026-12-12T09:00:00Z');
    ({ ticket } = await overridePriority(t.prisma, lead, ticket.id, ticket.version, 'P1', 'plant stopped', clock));
    c = await clocks(ticket.id);
    expect(c.RESOLUTION).toMatchObject({ policyVersion: 1, targetSeconds: 4 * 3600 });
    expect(c.RESOLUTION!.policy.key).toBe('default-p1');
    // Same ledger on 24×7: 10 m, pause 30 m, then from 19:40 → 4 h reached at 23:30 Rome (22:30Z), in the past.
    expect(iso(c.RESOLUTION!.dueAt)).toBe('2026-12-11T22:30:00.000Z');
    expect(c.RESOLUTION!.elapsedSeconds).toBe((10 + 14 * 60 + 20) * 60);
    expect(c.NEXT_UPDATE).toMatchObject({ state: 'RUNNING', cycle: 1 });
    expect(iso(c.NEXT_UPDATE!.cycleStartedAt)).toBe('2026-12-12T09:00:00.000Z');
    // The overdue breach fires at the next scheduler run, once.
    await runDueTimers(t.prisma, { clock });
    await runDueTimers(t.prisma, { clock });
    c = await clocks(ticket.id);
    expect(c.RESOLUTION).toMatchObject({ state: 'BREACHED', firedPercent: 100 });
    expect(iso(c.RESOLUTION!.breachedAt)).toBe('2026-12-11T22:30:00.000Z');
    const breaches = (await events(ticket.id)).filter((e) => e.type === 'sla.breached');
    expect(breaches.map((e) => e.kind).sort()).toEqual(['FIRST_RESPONSE', 'RESOLUTION']);
    expect((await events(ticket.id)).filter((e) => e.type === 'sla.warning')).toEqual([]);
    const audit = await t.prisma.auditEntry.findMany({ where: { ticketId: ticket.id, action: 'sla_updated' } });
    expect(audit.some((a) => a.reason?.includes('policy P1 24×7 v1'))).toBe(true);
  });

  it('a policy edit makes a new version: open tickets move to it, resolved ones keep theirs', async () => {
    const clock = new FakeClock(new Date('2026-12-15T08:00:00Z'));
    let done = await open(clock, 'HIGH', 'HIGH');
    const running = await open(clock, 'HIGH', 'HIGH');
    clock.advance(HOUR);
    ({ ticket: done } = await resolveTicket(
      t.prisma,
      agent,
      done.id,
      done.version,
      { resolutionCode: 'FIXED', resolutionNotes: 'Restarted the order service.' },
      clock,
    ));
    const p1 = await t.prisma.slaPolicy.findFirstOrThrow({ where: { key: 'default-p1', active: true } });
    const { policy } = await saveSlaPolicy(
      t.prisma,
      admin,
      {
        key: 'default-p1',
        name: 'P1 24×7',
        priority: 'P1',
        calendarId: p1.calendarId,
        firstResponseSeconds: 900,
        nextUpdateSeconds: 3600,
        resolutionSeconds: 2 * 3600,
      },
      clock,
    );
    expect(policy.version).toBe(p1.version + 1);
    expect(await t.prisma.slaPolicy.findUniqueOrThrow({ where: { id: p1.id } })).toMatchObject({ active: false });
    const moved = await clocks(running.id);
    expect(moved.RESOLUTION).toMatchObject({ policyId: policy.id, policyVersion: policy.version, targetSeconds: 7200 });
    expect(iso(moved.RESOLUTION!.dueAt)).toBe('2026-12-15T10:00:00.000Z');
    const kept = await clocks(done.id);
    expect(kept.RESOLUTION).toMatchObject({
      policyId: p1.id,
      policyVersion: p1.version,
      state: 'MET',
      targetSeconds: 14400,
    });
    // Put the original targets back for the other tests.
    await saveSlaPolicy(
      t.prisma,
      admin,
      {
        key: 'default-p1',
        name: 'P1 24×7',
        priority: 'P1',
        calendarId: p1.calendarId,
        firstResponseSeconds: 900,
        nextUpdateSeconds: 3600,
        resolutionSeconds: 4 * 3600,
      },
      clock,
    );
  });
});

describe('business calendar', () => {
  it('a P4 opened Monday evening before a holiday is due Wednesday, and warns only in business hours', async () => {
    // Monday 7 Dec 19:00 Rome; Tuesday 8 Dec is the Immacolata.
    const clock = new FakeClock(new Date('2026-12-07T18:00:00Z'));
    const ticket = await open(clock, 'LOW', 'MEDIUM');
    expect(ticket.priority).toBe('P4');
    const c = await clocks(ticket.id);
    // 4 h first response: 1 h Monday, 3 h from Wednesday 08:00 → 11:00 Rome.
    expect(iso(c.FIRST_RESPONSE!.dueAt)).toBe('2026-12-09T10:00:00.000Z');
    const timers = await t.prisma.slaTimer.findMany({
      where: { clockId: c.FIRST_RESPONSE!.id },
      orderBy: { dueAt: 'asc' },
    });
    expect(timers.map((x) => [x.percent, iso(x.dueAt)])).toEqual([
      [50, '2026-12-09T08:00:00.000Z'],
      [75, '2026-12-09T09:00:00.000Z'],
      [90, '2026-12-09T09:36:00.000Z'],
      [100, '2026-12-09T10:00:00.000Z'],
    ]);
    const res = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { sla { firstResponse { state dueLabel explanation { summary } } } } }`,
      { id: Buffer.from(`Ticket:${ticket.id}`).toString('base64') },
      { token: world.tokens.agent },
    );
    expect(res.data?.ticket.sla.firstResponse.dueLabel).toBe('Wed 09 Dec 11:00 CET');
  });
});

describe('timers', () => {
  it('fire warnings, the breach and their escalations exactly once, and escalate the unacknowledged', async () => {
    const clock = new FakeClock(new Date('2026-12-16T08:00:00Z'));
    let ticket = await open(clock, 'HIGH', 'HIGH');
    ({ ticket } = await assignTicket(
      t.prisma,
      lead,
      ticket.id,
      ticket.version,
      { resolverGroupId: opsGroupId, assigneeId: world.users.agent.id },
      clock,
    ));
    ({ ticket } = await addEntry(
      t.prisma,
      agent,
      ticket.id,
      ticket.version,
      { kind: 'PUBLIC_REPLY', body: 'On it.' },
      clock,
    ));
    const run = async (at: string) => {
      clock.set(at);
      await runDueTimers(t.prisma, { clock });
      await runDueTimers(t.prisma, { clock });
    };
    await run('2026-12-16T10:00:00Z'); // 50 %
    await run('2026-12-16T11:00:00Z'); // 75 % → lead + duty manager
    const at75 = await t.prisma.escalation.findMany({ where: { ticketId: ticket.id, reason: 'THRESHOLD' } });
    expect(at75.map((e) => [e.kind, e.level, e.targetUserId]).sort()).toEqual([
      ['HIERARCHICAL', 1, world.users.lead.id],
      ['HIERARCHICAL', 2, world.users.manager.id],
    ]);
    // The lead acknowledges theirs; the duty manager's stays unacknowledged and goes up a level.
    const leadEscalation = at75.find((e) => e.level === 1)!;
    await acknowledgeEscalation(t.prisma, lead, leadEscalation.id, { note: 'looking' }, clock);
    await run('2026-12-16T11:36:00Z'); // 90 %; and the 30 m windows have passed
    await run('2026-12-16T12:00:00Z'); // breach → tier 2 (reassign) + duty manager
    await run('2026-12-16T12:30:00Z');
    await run('2026-12-16T13:30:00Z');

    const sla = (await events(ticket.id)).filter((e) => e.kind === 'RESOLUTION');
    expect(sla.map((e) => [e.type, e.percent ?? null])).toEqual([
      ['sla.warning', 50],
      ['sla.warning', 75],
      ['sla.warning', 90],
      ['sla.breached', 100],
    ]);
    const all = await t.prisma.escalation.findMany({ where: { ticketId: ticket.id }, orderBy: { createdAt: 'asc' } });
    const keys = all.map((e) => e.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(all.filter((e) => e.reason === 'UNACKNOWLEDGED').length).toBeGreaterThan(0);
    expect(all.find((e) => e.previousId === leadEscalation.id)).toBeUndefined();
    const functional = all.find((e) => e.kind === 'FUNCTIONAL')!;
    expect(functional).toMatchObject({ level: 2, targetGroupId: tier2Id, reason: 'THRESHOLD' });
    const moved = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(moved).toMatchObject({ resolverGroupId: tier2Id, assigneeId: null });
    expect(moved.version).toBeGreaterThan(ticket.version);
    expect((await verifyAuditChain(t.prisma, ticket.id)).valid).toBe(true);
    const created = await events(ticket.id, 'escalation.created');
    expect(created).toHaveLength(all.length);
    // Nothing left to fire for this ticket but timers of still-open escalation windows.
    expect(await t.prisma.slaTimer.count({ where: { ticketId: ticket.id, firedAt: null, kind: 'THRESHOLD' } })).toBe(0);
  });

  it('a breach no timer recorded is recorded at completion, once', async () => {
    const clock = new FakeClock(new Date('2026-12-17T08:00:00Z'));
    let ticket = await open(clock, 'HIGH', 'HIGH');
    clock.advance(5 * HOUR);
    ({ ticket } = await resolveTicket(
      t.prisma,
      agent,
      ticket.id,
      ticket.version,
      { resolutionCode: 'FIXED', resolutionNotes: 'Restarted the order service.' },
      clock,
    ));
    let c = await clocks(ticket.id);
    expect(c.RESOLUTION).toMatchObject({ state: 'BREACHED', firedPercent: 100 });
    expect(iso(c.RESOLUTION!.breachedAt)).toBe('2026-12-17T12:00:00.000Z');
    expect(iso(c.RESOLUTION!.completedAt)).toBe('2026-12-17T13:00:00.000Z');
    await runDueTimers(t.prisma, { clock });
    c = await clocks(ticket.id);
    const breaches = (await events(ticket.id)).filter((e) => e.type === 'sla.breached');
    expect(breaches.map((e) => e.kind).sort()).toEqual(['FIRST_RESPONSE', 'NEXT_UPDATE', 'RESOLUTION']);
  });

  it('cancelling a ticket cancels its clocks and resolves its escalations', async () => {
    const clock = new FakeClock(new Date('2026-12-17T08:00:00Z'));
    let ticket = await open(clock, 'HIGH', 'HIGH');
    ({ ticket } = await transitionTicket(
      t.prisma,
      customer,
      ticket.id,
      ticket.version,
      'CANCELLED',
      'solved itself',
      clock,
    ));
    const c = await clocks(ticket.id);
    expect(Object.values(c).map((x) => x.state)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(await t.prisma.escalation.count({ where: { ticketId: ticket.id, resolvedAt: null } })).toBe(0);
    expect(await t.prisma.slaTimer.count({ where: { ticketId: ticket.id, firedAt: null } })).toBe(0);
  });
});

describe('process time zone', () => {
  it('runs under the TZ the runner asked for (see sla.tz.test.ts)', () => {
    const expected = process.env.SLA_EXPECT_TZ;
    if (!expected) return;
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(expected);
  });
});
