import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, createUser, createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { scopesForRole } from '../auth/scopes.js';
import { moveToGroupInChange, setResponsibilityDomainResolver } from './assignment.service.js';
import { responsibilityDomains } from './hooks.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const raw = (id: string) => Buffer.from(id, 'base64').toString().split(':')[1]!;

type Agent = Awaited<ReturnType<typeof createUser>>;
let vpn: { id: string };
let triage: { id: string };
let noc: { id: string };
let night: { id: string };
let nadia: Agent;
let nico: Agent;
let ugo: Agent;
let otherLead: Agent;
let otherLeadToken: string;
let nadiaToken: string;

async function agent(name: string, skills: string[]) {
  const u = await createUser(t.prisma, world.provider.id, 'AGENT');
  await t.prisma.user.update({ where: { id: u.id }, data: { name, skills } });
  return { ...u, name };
}

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
  vpn = await t.prisma.service.create({
    data: { key: 'vpn-a', name: 'Remote Access VPN', criticality: 'MEDIUM', serviceModel: 'IAAS' },
  });
  nadia = await agent('Nadia Network', ['network', 'vpn']);
  nico = await agent('Nico Network', ['network', 'vpn', 'firewall']);
  ugo = await agent('Ugo Unix', ['linux']);
  nadiaToken = (await createToken(t.prisma, nadia)).secret;
  triage = await t.prisma.resolverGroup.create({
    data: { key: 'triage-a', name: 'Triage', mode: 'MANUAL', isDefaultTriage: true },
  });
  noc = await t.prisma.resolverGroup.create({ data: { key: 'noc-a', name: 'NOC', mode: 'LOAD_BALANCED' } });
  await t.prisma.resolverGroupMember.createMany({
    data: [
      { groupId: triage.id, userId: world.users.agent.id },
      { groupId: noc.id, userId: nadia.id },
      { groupId: noc.id, userId: nico.id },
      { groupId: noc.id, userId: ugo.id },
      { groupId: noc.id, userId: world.users.lead.id, isLead: true, autoAssign: false },
    ],
  });
  otherLead = await createUser(t.prisma, world.provider.id, 'LEAD');
  await t.prisma.resolverGroupMember.create({ data: { groupId: triage.id, userId: otherLead.id, isLead: true } });
  otherLeadToken = (await createToken(t.prisma, otherLead)).secret;
  await t.prisma.skillRequirement.create({ data: { serviceId: vpn.id, skills: ['vpn'] } });
  await t.prisma.routingRule.create({
    data: { name: 'VPN', position: 10, serviceId: vpn.id, resolverGroupId: noc.id },
  });
  // A group that is never on shift: its only opening is on a weekday other than today (UTC).
  const today = ((new Date().getUTCDay() + 6) % 7) + 1;
  const calendar = await t.prisma.businessCalendar.create({
    data: {
      key: 'never-today',
      name: 'Closed today',
      timeZone: 'UTC',
      hours: [{ day: (today % 7) + 1, start: '10:00', end: '11:00' }],
      holidays: [],
    },
  });
  night = await t.prisma.resolverGroup.create({
    data: { key: 'night-a', name: 'Night', calendarId: calendar.id },
  });
  await t.prisma.resolverGroupMember.createMany({
    data: [
      { groupId: night.id, userId: nadia.id },
      { groupId: night.id, userId: ugo.id },
    ],
  });
  await t.prisma.onCallRota.create({
    data: {
      groupId: night.id,
      timeZone: 'Europe/Rome',
      startDate: '2026-01-05',
      members: { create: [{ position: 0, userId: ugo.id }] },
    },
  });
  await t.prisma.routingRule.create({
    data: { name: 'After hours', position: 20, category: 'after-hours', resolverGroupId: night.id },
  });
});
afterAll(() => t?.stop());

const LOG =
  'assignmentLog { trigger outcome reason ruleName mode toGroup { name } toAssignee { name } actor { id } candidates { name eligible excluded } }';
const TICKET = `id number status version priority assignmentPinned resolverGroup { name } assignee { id name } routingRule { name } ${LOG}`;
const RESULT = `__typename ... on Error { message } ... on ValidationError { fieldErrors { path message } }`;

async function create(token: string, input: Record<string, unknown> = {}) {
  const res = await t.gql(
    `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ${RESULT} ... on TicketCreatePayload { ticket { id number version } } } }`,
    {
      input: {
        title: 'VPN drops every ten minutes',
        description: 'Remote users lose the tunnel every ten minutes since this morning.',
        class: 'INCIDENT',
        impact: 'MEDIUM',
        urgency: 'MEDIUM',
        serviceId: gid('Service', vpn.id),
        ...input,
      },
    },
    { token },
  );
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.data!.ticketCreate.__typename, JSON.stringify(res.data)).toBe('TicketCreatePayload');
  return read(res.data!.ticketCreate.ticket.id);
}

async function read(id: string) {
  const res = await t.gql(`query ($id: ID!) { ticket(id: $id) { ${TICKET} } }`, { id }, { token: world.tokens.admin });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.ticket;
}

async function mutate(name: string, inputType: string, input: Record<string, unknown>, token: string, select = '') {
  const res = await t.gql(
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${RESULT} ${select} } }`,
    { input },
    { token },
  );
  return { result: res.data?.[name], errors: res.errors };
}

const assign = (input: Record<string, unknown>, token = world.tokens.lead) =>
  mutate('ticketAssign', 'TicketAssignInput', input, token, '... on TicketPayload { ticket { id version } }');
const autoAssign = (input: Record<string, unknown>, token = world.tokens.lead) =>
  mutate(
    'ticketAutoAssign',
    'TicketAutoAssignInput',
    input,
    token,
    '... on TicketAutoAssignPayload { ticket { id version } decision { outcome reason } }',
  );
const update = (input: Record<string, unknown>, token = world.tokens.agent) =>
  mutate('ticketUpdate', 'TicketUpdateInput', input, token, '... on TicketPayload { ticket { id version } }');

describe('routing at intake', () => {
  it('routes by rule, picks the least-loaded skilled agent, moves NEW → ASSIGNED and explains why', async () => {
    const first = await create(world.tokens.acme);
    expect(first.status).toBe('ASSIGNED');
    expect(first.resolverGroup.name).toBe('NOC');
    expect(first.routingRule.name).toBe('VPN');
    // Equal load (0), never assigned: the tie goes by name.
    expect(first.assignee.name).toBe('Nadia Network');
    expect(first.assignmentLog).toHaveLength(1);
    const [entry] = first.assignmentLog;
    expect(entry).toMatchObject({ trigger: 'INTAKE', outcome: 'ASSIGNED', ruleName: 'VPN', mode: 'LOAD_BALANCED' });
    expect(entry.reason).toMatch(
      /^routed to NOC by rule "VPN" \(service Remote Access VPN\); assigned to Nadia Network: skills vpn, load 0\.0 tied with Nico Network, longest idle \(never assigned vs never assigned\), on shift; not eligible: .*Ugo Unix lacks vpn/,
    );
    expect(entry.reason).toContain('takes no automatic assignments'); // the lead keeps out of the rotation
    expect(entry.candidates.find((c: { name: string }) => c.name === 'Ugo Unix')).toMatchObject({
      eligible: false,
      excluded: ['lacks vpn'],
    });

    // The next one goes to the other agent: Nadia now carries a P3 (3.0).
    const second = await create(world.tokens.acme);
    expect(second.assignee.name).toBe('Nico Network');
    expect(second.assignmentLog[0].reason).toContain('load 0.0 vs 3.0 for Nadia Network');
  });

  it('records the assignment in the event log and the audit chain', async () => {
    const tk = await create(world.tokens.acme);
    const events = await t.prisma.event.findMany({ where: { ticketId: raw(tk.id) }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['ticket.created', 'ticket.assigned', 'ticket.status_changed']),
    );
    const assigned = events.find((e) => e.type === 'ticket.assigned')!;
    expect(assigned.payload).toMatchObject({
      resolverGroupId: noc.id,
      assigneeId: raw(tk.assignee.id),
      trigger: 'INTAKE',
    });
    const audit = await t.gql(
      'query ($id: ID!) { ticket(id: $id) { audit { action field reason } auditVerification { valid } } }',
      { id: tk.id },
      { token: world.tokens.admin },
    );
    const actions = audit.data?.ticket.audit.map((a: { action: string }) => a.action);
    expect(actions).toEqual(['created', 'routed', 'auto_assigned', 'status_changed']);
    expect(audit.data?.ticket.audit[1].reason).toBe('rule "VPN" (service Remote Access VPN)');
    expect(audit.data?.ticket.auditVerification.valid).toBe(true);
  });

  it('sends what no rule matches to the default triage group, whose manual queue waits for a dispatcher', async () => {
    const tk = await create(world.tokens.acme, { serviceId: null, title: 'Printer on floor 2 jams' });
    expect(tk).toMatchObject({
      status: 'ASSIGNED',
      assignee: null,
      routingRule: null,
      resolverGroup: { name: 'Triage' },
    });
    expect(tk.assignmentLog[0]).toMatchObject({ trigger: 'INTAKE', outcome: 'QUEUED', mode: 'MANUAL' });
    expect(tk.assignmentLog[0].reason).toBe(
      'routed to Triage by no routing rule matched: default triage group; queued in Triage: the group dispatches by hand (MANUAL mode)',
    );
  });

  it('outside the group’s hours gives a P1 to the person on call and lets a P3 wait', async () => {
    const p1 = await create(world.tokens.acme, {
      serviceId: null,
      category: 'After-Hours',
      impact: 'HIGH',
      urgency: 'HIGH',
    });
    expect(p1.priority).toBe('P1');
    expect(p1.resolverGroup.name).toBe('Night');
    expect(p1.assignee.name).toBe(ugo.name);
    expect(p1.assignmentLog[0].outcome).toBe('ON_CALL');
    expect(p1.assignmentLog[0].reason).toMatch(
      new RegExp(
        `assigned to ${ugo.name}: on call for Night until .* \\(rota turn 1 of 1\\), P1 outside operational hours \\(opens `,
      ),
    );
    const p3 = await create(world.tokens.acme, { serviceId: null, category: 'after-hours' });
    expect(p3.priority).toBe('P3');
    expect(p3).toMatchObject({ assignee: null, resolverGroup: { name: 'Night' } });
    expect(p3.assignmentLog[0].reason).toMatch(/outside operational hours \(opens .*\); P3 waits for the shift$/);
  });

  it('skips an agent who is out of office', async () => {
    const now = Date.now();
    const ooo = await mutate(
      'outOfOfficeCreate',
      'OutOfOfficeCreateInput',
      {
        userId: gid('User', nadia.id),
        startsAt: new Date(now - 3_600_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        reason: 'dentist',
      },
      nadiaToken,
      '... on OutOfOffice { id reason }',
    );
    expect(ooo.result?.__typename, JSON.stringify(ooo)).toBe('OutOfOffice');
    const loads = await t.gql(
      'query ($id: ID!) { node(id: $id) { ... on ResolverGroup { members { user { name } load openTickets outOfOffice { reason } } } } }',
      { id: gid('ResolverGroup', noc.id) },
      { token: world.tokens.lead },
    );
    const members = loads.data?.node.members as { user: { name: string }; load: number; outOfOffice: unknown }[];
    const nadiaRow = members.find((m) => m.user.name === 'Nadia Network')!;
    expect(nadiaRow.outOfOffice).toEqual({ reason: 'dentist' });
    // Nadia has the lowest load now but is away.
    await t.prisma.ticket.updateMany({ where: { assigneeId: nadia.id }, data: { status: 'RESOLVED' } });
    const tk = await create(world.tokens.acme);
    expect(tk.assignee.name).toBe('Nico Network');
    expect(tk.assignmentLog[0].reason).toMatch(/Nadia Network out of office until .* \(dentist\)/);
    await mutate(
      'outOfOfficeDelete',
      'OutOfOfficeDeleteInput',
      { id: ooo.result.id },
      nadiaToken,
      '... on DeletePayload { deletedId }',
    );
  });
  it('routes by the responsibility domain the responsibility module reports for the ticket', async () => {
    const rule = await t.prisma.routingRule.create({
      data: {
        name: 'Network security domain',
        position: 5,
        responsibilityDomain: 'network-security',
        resolverGroupId: noc.id,
      },
    });
    setResponsibilityDomainResolver(async (_tx, ticket) =>
      ticket.category === 'edge-firewall' ? ['network-security'] : [],
    );
    try {
      const tk = await create(world.tokens.acme, { serviceId: null, category: 'edge-firewall' });
      expect(tk.resolverGroup.name).toBe('NOC');
      expect(tk.assignmentLog[0].reason).toMatch(
        /^routed to NOC by rule "Network security domain" \(domain network-security\); assigned to /,
      );
      const other = await create(world.tokens.acme, { serviceId: null, category: 'printer' });
      expect(other.resolverGroup.name).toBe('Triage');
    } finally {
      setResponsibilityDomainResolver(responsibilityDomains);
      await t.prisma.routingRule.delete({ where: { id: rule.id } });
    }
  });
});

describe('reclassification', () => {
  it('re-routes an open ticket when service, class or category change, and counts the group change', async () => {
    let tk = await create(world.tokens.acme, { serviceId: null, title: 'Cannot connect from home' });
    expect(tk.resolverGroup.name).toBe('Triage');
    // A lead: an agent of Triage would no longer see the ticket once it moves to NOC.
    const res = await update(
      { id: tk.id, version: tk.version, serviceId: gid('Service', vpn.id), reason: 'it is the VPN' },
      world.tokens.lead,
    );
    expect(res.result?.__typename, JSON.stringify(res)).toBe('TicketPayload');
    tk = await read(tk.id);
    expect(tk.resolverGroup.name).toBe('NOC');
    expect(tk.assignee).not.toBeNull();
    expect(tk.routingRule.name).toBe('VPN');
    expect(tk.assignmentLog.map((d: { trigger: string; outcome: string }) => [d.trigger, d.outcome])).toEqual([
      ['INTAKE', 'QUEUED'],
      ['RECLASSIFICATION', 'ASSIGNED'],
    ]);
    expect(tk.assignmentLog[1].reason).toMatch(/^routed to NOC by rule "VPN"/);
    const row = await t.prisma.ticket.findUniqueOrThrow({ where: { id: raw(tk.id) } });
    expect(row.groupChangeCount).toBe(1);
  });

  it('keeps a manually pinned ticket where it is, saying where the rules would send it', async () => {
    let tk = await create(world.tokens.acme, { serviceId: null, title: 'Something odd with my laptop' });
    const pinned = await assign({
      id: tk.id,
      version: tk.version,
      resolverGroupId: gid('ResolverGroup', triage.id),
      reason: 'desk keeps it',
    });
    expect(pinned.result?.__typename, JSON.stringify(pinned)).toBe('TicketPayload');
    tk = await read(tk.id);
    expect(tk.assignmentPinned).toBe(true);
    await update({ id: tk.id, version: tk.version, serviceId: gid('Service', vpn.id) });
    tk = await read(tk.id);
    expect(tk.resolverGroup.name).toBe('Triage');
    const last = tk.assignmentLog.at(-1);
    expect(last).toMatchObject({ trigger: 'RECLASSIFICATION', outcome: 'KEPT' });
    expect(last.reason).toBe(
      'reclassified, but the assignment was made by hand: kept (rule "VPN" (service Remote Access VPN) would route to NOC)',
    );
  });

  it('leaves resolved tickets alone, and ignores edits that do not reclassify', async () => {
    let tk = await create(world.tokens.acme, { serviceId: null, title: 'Question about my account' });
    const before = tk.assignmentLog.length;
    await update({ id: tk.id, version: tk.version, title: 'Question about my user account' });
    tk = await read(tk.id);
    expect(tk.assignmentLog).toHaveLength(before);
    const resolved = await mutate(
      'ticketResolve',
      'TicketResolveInput',
      {
        id: tk.id,
        version: tk.version,
        resolutionCode: 'USER_GUIDANCE',
        resolutionNotes: 'Explained the account page.',
      },
      world.tokens.agent,
      '... on TicketPayload { ticket { version } }',
    );
    await update({ id: tk.id, version: resolved.result.ticket.version, serviceId: gid('Service', vpn.id) });
    tk = await read(tk.id);
    expect(tk.resolverGroup.name).toBe('Triage');
    expect(tk.assignmentLog).toHaveLength(before);
  });
});

describe('manual assignment', () => {
  it('logs the reason, pins the ticket, counts the reassignment and emits ticket.assigned', async () => {
    let tk = await create(world.tokens.acme);
    // Ugo lacks the vpn skill, so the engine never picks him: a person may.
    const res = await assign({
      id: tk.id,
      version: tk.version,
      resolverGroupId: gid('ResolverGroup', noc.id),
      assigneeId: gid('User', ugo.id),
      reason: 'knows this customer',
    });
    expect(res.result?.__typename, JSON.stringify(res)).toBe('TicketPayload');
    tk = await read(tk.id);
    expect(tk).toMatchObject({ assignmentPinned: true, assignee: { name: ugo.name } });
    const last = tk.assignmentLog.at(-1);
    expect(last).toMatchObject({
      trigger: 'MANUAL',
      outcome: 'MANUAL',
      actor: { id: gid('User', world.users.lead.id) },
    });
    expect(last.reason).toBe(`given to ${ugo.name} by hand: knows this customer; note: ${ugo.name} lacks vpn`);
    const user = await t.prisma.user.findUniqueOrThrow({ where: { id: ugo.id } });
    expect(user.lastAssignedAt).not.toBeNull();

    // Another group without naming an agent: an agent who belongs to it keeps the ticket …
    const moved = await assign({
      id: tk.id,
      version: tk.version,
      resolverGroupId: gid('ResolverGroup', night.id),
      reason: 'night shift topic',
    });
    expect(moved.result?.__typename, JSON.stringify(moved)).toBe('TicketPayload');
    tk = await read(tk.id);
    expect(tk).toMatchObject({ resolverGroup: { name: 'Night' }, assignee: { name: ugo.name } });
    expect(tk.assignmentLog.at(-1).reason).toBe('moved to Night by hand: night shift topic');
    // … otherwise the new group's mode chooses (Triage is a manual queue).
    const back = await assign({
      id: tk.id,
      version: tk.version,
      resolverGroupId: gid('ResolverGroup', triage.id),
      reason: 'back to the desk',
    });
    expect(back.result?.__typename, JSON.stringify(back)).toBe('TicketPayload');
    tk = await read(tk.id);
    expect(tk).toMatchObject({ resolverGroup: { name: 'Triage' }, assignee: null });
    expect(tk.assignmentLog.at(-1).reason).toBe(
      'moved to Triage by hand: back to the desk; queued in Triage: the group dispatches by hand (MANUAL mode)',
    );
    const row = await t.prisma.ticket.findUniqueOrThrow({ where: { id: raw(tk.id) } });
    expect(row.groupChangeCount).toBe(2);
    const events = await t.prisma.event.findMany({
      where: { ticketId: raw(tk.id), type: 'ticket.assigned' },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => (e.payload as { trigger: string }).trigger)).toEqual([
      'INTAKE',
      'MANUAL',
      'MANUAL',
      'MANUAL',
    ]);
  });

  it('confirming what the engine chose pins it once; doing it again is a validation error', async () => {
    const tk = await create(world.tokens.acme);
    const input = {
      id: tk.id,
      version: tk.version,
      resolverGroupId: gid('ResolverGroup', noc.id),
      assigneeId: tk.assignee.id,
      reason: 'confirmed',
    };
    const first = await assign(input);
    expect(first.result?.__typename).toBe('TicketPayload');
    const again = await assign({ ...input, version: tk.version + 1 });
    expect(again.result?.__typename).toBe('ValidationError');
    expect((await read(tk.id)).assignmentLog.at(-1).reason).toBe('assignment confirmed by hand: confirmed');
  });

  it('refuses an agent outside the group, unknown groups, and taking the group away before resolution', async () => {
    const tk = await create(world.tokens.acme);
    const outsider = await assign({
      id: tk.id,
      version: tk.version,
      resolverGroupId: gid('ResolverGroup', triage.id),
      assigneeId: gid('User', nico.id),
    });
    expect(outsider.result?.__typename).toBe('ValidationError');
    const unknown = await assign({
      id: tk.id,
      version: tk.version,
      resolverGroupId: gid('ResolverGroup', '00000000-0000-4000-8000-000000000000'),
    });
    expect(unknown.result?.__typename).toBe('NotFoundError');
    const ungrouped = await assign({ id: tk.id, version: tk.version, resolverGroupId: null });
    expect(ungrouped.result).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'resolverGroupId'] }],
    });
  });
});

describe('moves by other domains', () => {
  it('functional escalation moves the ticket through the engine: picked, pinned, counted, logged', async () => {
    const tk = await create(world.tokens.acme);
    const actor = {
      viewer: {
        userId: world.users.admin.id,
        organizationId: world.provider.id,
        organizationKind: 'PROVIDER' as const,
        role: 'ADMIN' as const,
        via: 'session' as const,
        sessionId: null,
        tokenId: null,
        scopes: new Set(scopesForRole('ADMIN')),
      },
      channel: 'API' as const,
    };
    const out = await t.prisma.$transaction(async (tx) => {
      const row = await tx.ticket.findUniqueOrThrow({ where: { id: raw(tk.id) } });
      return moveToGroupInChange(
        tx,
        actor,
        row,
        { groupId: triage.id, reason: 'resolution target breached' },
        new Date(),
      );
    });
    expect(out.audit.map((a) => a.action)).toEqual(['assigned', 'unassigned']);
    expect(out.events[0]).toMatchObject({ type: 'ticket.assigned', payload: { trigger: 'ESCALATION' } });
    const after = await read(tk.id);
    expect(after).toMatchObject({ resolverGroup: { name: 'Triage' }, assignee: null, assignmentPinned: true });
    expect(after.assignmentLog.at(-1)).toMatchObject({ trigger: 'ESCALATION', outcome: 'QUEUED' });
    expect(after.assignmentLog.at(-1).reason).toBe(
      'moved to Triage: resolution target breached; queued in Triage: the group dispatches by hand (MANUAL mode)',
    );
    const row = await t.prisma.ticket.findUniqueOrThrow({ where: { id: raw(tk.id) } });
    expect(row.groupChangeCount).toBe(1);
  });
});

describe('ticketAutoAssign', () => {
  it('picks in a MANUAL group on request, and re-asks the rules with reroute', async () => {
    let tk = await create(world.tokens.acme, { serviceId: null, title: 'Phone does not ring' });
    expect(tk.assignee).toBeNull();
    const picked = await autoAssign({ id: tk.id, version: tk.version }, world.tokens.agent);
    expect(picked.result?.__typename, JSON.stringify(picked)).toBe('TicketAutoAssignPayload');
    expect(picked.result.decision.outcome).toBe('ASSIGNED');
    expect(picked.result.decision.reason).toMatch(
      /^assigned to .* \(picked on request in a MANUAL group\): no skills required/,
    );
    tk = await read(tk.id);
    expect(tk.assignee.id).toBe(gid('User', world.users.agent.id));

    const rerouted = await autoAssign({ id: tk.id, version: tk.version, reroute: true });
    expect(rerouted.result.decision.reason).toContain('no routing rule matched: default triage group: stays in Triage');
    await t.prisma.ticket.update({ where: { id: raw(tk.id) }, data: { serviceId: vpn.id } });
    tk = await read(tk.id);
    const moved = await autoAssign({ id: tk.id, version: tk.version, reroute: true });
    expect(moved.result.decision.reason).toMatch(/^routed to NOC by rule "VPN"/);
    tk = await read(tk.id);
    expect(tk.resolverGroup.name).toBe('NOC');
    expect(tk.assignmentLog.at(-1)).toMatchObject({ trigger: 'AUTO_ASSIGN', outcome: 'ASSIGNED' });
  });

  it('is a typed conflict on a stale version', async () => {
    const tk = await create(world.tokens.acme);
    const stale = await autoAssign({ id: tk.id, version: tk.version - 1 });
    expect(stale.result?.__typename).toBe('ConflictError');
  });
});

describe('queries', () => {
  it('shows groups with members, load, hours and who is on call', async () => {
    const res = await t.gql(
      `{ resolverGroups { name mode isDefaultTriage onShiftNow operationalHours { name timeZone onShiftNow nextOpening }
          load { openTickets unassigned load }
          members { user { name } isLead autoAssign load openTickets skills }
          onCall { user { name } source available } } }`,
      {},
      { token: world.tokens.agent },
    );
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const groups = Object.fromEntries(res.data?.resolverGroups.map((g: { name: string }) => [g.name, g]));
    expect(groups.Triage).toMatchObject({
      mode: 'MANUAL',
      isDefaultTriage: true,
      onShiftNow: true,
      operationalHours: null,
      onCall: null,
    });
    expect(groups.Night).toMatchObject({
      onShiftNow: false,
      operationalHours: { name: 'Closed today', onShiftNow: false },
    });
    expect(groups.Night.onCall).toEqual({ user: { name: ugo.name }, source: 'ROTA', available: true });
    const nocMembers = groups.NOC.members as { user: { name: string }; openTickets: number; isLead: boolean }[];
    expect(nocMembers.find((m) => m.isLead)?.user.name).toBe(world.users.lead.name);
    const open = await t.prisma.ticket.count({
      where: {
        resolverGroupId: noc.id,
        status: { in: ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_CUSTOMER', 'PENDING_VENDOR'] },
      },
    });
    expect(groups.NOC.load.openTickets).toBe(open);
    expect(groups.NOC.load.load).toBeGreaterThan(0);
    const onCall = await t.gql(
      'query ($g: ID!, $at: DateTime) { onCall(groupId: $g, at: $at) { user { name } since until detail } }',
      { g: gid('ResolverGroup', night.id), at: '2026-01-05T08:30:00Z' },
      { token: world.tokens.agent },
    );
    expect(onCall.data?.onCall).toMatchObject({ user: { name: ugo.name }, detail: 'rota turn 1 of 1' });
  });

  it('keeps assignment data from customers', async () => {
    const tk = await create(world.tokens.acme);
    for (const q of [
      ['query ($id: ID!) { ticket(id: $id) { assignmentLog { reason } } }', { id: tk.id }],
      ['{ resolverGroups { members { load } } }', {}],
      ['query ($g: ID!) { onCall(groupId: $g) { detail } }', { g: gid('ResolverGroup', night.id) }],
      ['{ routingRules { name } }', {}],
      ['{ outOfOffice { reason } }', {}],
    ] as const) {
      const res = await t.gql(q[0], q[1], { token: world.tokens.acme });
      expect(res.errors?.[0]?.extensions?.code, q[0]).toBe('FORBIDDEN');
    }
    const names = await t.gql('{ resolverGroups { name } }', {}, { token: world.tokens.acme });
    expect(names.errors).toBeUndefined();
  });
});

describe('authorization per role', () => {
  type Role = 'customer' | 'agent' | 'groupLead' | 'otherLead' | 'manager' | 'admin';
  const token = (r: Role) =>
    ({
      customer: world.tokens.acme,
      agent: world.tokens.agent,
      groupLead: world.tokens.lead,
      otherLead: otherLeadToken,
      manager: world.tokens.manager,
      admin: world.tokens.admin,
    })[r];
  const ROLES: Role[] = ['customer', 'agent', 'groupLead', 'otherLead', 'manager', 'admin'];
  const denied = (res: { result?: { __typename?: string }; errors?: { extensions?: { code?: string } }[] }) =>
    res.errors?.[0]?.extensions?.code === 'FORBIDDEN';

  async function check(
    name: string,
    inputType: string,
    allowed: Role[],
    input: (r: Role) => Promise<Record<string, unknown>> | Record<string, unknown>,
  ) {
    for (const r of ROLES) {
      const res = await mutate(name, inputType, await input(r), token(r));
      if (allowed.includes(r)) {
        expect(denied(res), `${name} as ${r}: ${JSON.stringify(res)}`).toBe(false);
        expect(res.errors, `${name} as ${r}`).toBeUndefined();
        expect(res.result?.__typename, `${name} as ${r}: ${JSON.stringify(res)}`).not.toMatch(/Error$/);
      } else {
        expect(denied(res), `${name} as ${r}: ${JSON.stringify(res)}`).toBe(true);
      }
    }
  }

  const G = () => gid('ResolverGroup', noc.id);
  const future = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

  it('ticketAssign and ticketAutoAssign: staff only', async () => {
    await check(
      'ticketAssign',
      'TicketAssignInput',
      ['agent', 'groupLead', 'otherLead', 'manager', 'admin'],
      async () => {
        const tk = await create(world.tokens.acme, { serviceId: null });
        return { id: tk.id, version: tk.version, assigneeId: gid('User', world.users.agent.id), reason: 'role test' };
      },
    );
    await check(
      'ticketAutoAssign',
      'TicketAutoAssignInput',
      ['agent', 'groupLead', 'otherLead', 'manager', 'admin'],
      async () => {
        const tk = await create(world.tokens.acme, { serviceId: null });
        return { id: tk.id, version: tk.version };
      },
    );
  });

  it('group settings, members and rota: the group’s leads and admins', async () => {
    await check('resolverGroupUpdate', 'ResolverGroupUpdateInput', ['groupLead', 'admin'], () => ({
      id: G(),
      description: 'Network operations centre',
    }));
    await check('resolverGroupMemberSet', 'ResolverGroupMemberSetInput', ['groupLead', 'admin'], () => ({
      groupId: G(),
      userId: gid('User', ugo.id),
      capacity: 12,
    }));
    await check('onCallRotaSet', 'OnCallRotaSetInput', ['groupLead', 'admin'], () => ({
      groupId: G(),
      timeZone: 'Europe/Rome',
      startDate: '2026-01-05',
      memberIds: [gid('User', nadia.id), gid('User', nico.id)],
    }));
    await check('onCallOverrideCreate', 'OnCallOverrideCreateInput', ['groupLead', 'admin'], () => ({
      groupId: G(),
      userId: gid('User', ugo.id),
      startsAt: future(100),
      endsAt: future(110),
      reason: 'swap for a wedding',
    }));
    await check('onCallOverrideDelete', 'OnCallOverrideDeleteInput', ['groupLead', 'admin'], async () => {
      const o = await t.prisma.onCallOverride.create({
        data: {
          rotaId: (await t.prisma.onCallRota.findUniqueOrThrow({ where: { groupId: noc.id } })).id,
          userId: ugo.id,
          startsAt: new Date(future(200)),
          endsAt: new Date(future(201)),
          reason: 'to delete',
        },
      });
      return { id: gid('OnCallOverride', o.id) };
    });
    await check('resolverGroupMemberRemove', 'ResolverGroupMemberRemoveInput', ['groupLead', 'admin'], async () => {
      const temp = await createUser(t.prisma, world.provider.id, 'AGENT');
      await t.prisma.resolverGroupMember.create({ data: { groupId: noc.id, userId: temp.id } });
      return { groupId: G(), userId: gid('User', temp.id) };
    });
    await check('agentSkillsSet', 'AgentSkillsSetInput', ['groupLead', 'admin'], () => ({
      userId: gid('User', ugo.id),
      skills: ['linux', 'Storage'],
    }));
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: ugo.id } })).skills).toEqual(['linux', 'storage']);
  });

  it('lead-only limits: leads cannot rename, flag triage or make leads', async () => {
    const rename = await mutate(
      'resolverGroupUpdate',
      'ResolverGroupUpdateInput',
      { id: G(), name: 'Renamed' },
      world.tokens.lead,
    );
    expect(denied(rename)).toBe(true);
    const promote = await mutate(
      'resolverGroupMemberSet',
      'ResolverGroupMemberSetInput',
      { groupId: G(), userId: gid('User', ugo.id), isLead: true },
      world.tokens.lead,
    );
    expect(denied(promote)).toBe(true);
  });

  it('groups, rules and skill requirements: admins only', async () => {
    let n = 0;
    await check('resolverGroupCreate', 'ResolverGroupCreateInput', ['admin'], () => {
      n += 1;
      return { key: `auth-group-${n}`, name: `Auth group ${n}`, mode: 'ROUND_ROBIN', skills: ['x'] };
    });
    await check('routingRuleCreate', 'RoutingRuleCreateInput', ['admin'], () => ({
      name: 'Never matches',
      category: 'no-such-category',
      resolverGroupId: G(),
      position: 900,
    }));
    const rule = await t.prisma.routingRule.findFirstOrThrow({ where: { name: 'Never matches' } });
    await check('routingRuleUpdate', 'RoutingRuleUpdateInput', ['admin'], () => ({
      id: gid('RoutingRule', rule.id),
      position: 901,
    }));
    await check('routingRuleDelete', 'RoutingRuleDeleteInput', ['admin'], async () => {
      const r = await t.prisma.routingRule.create({
        data: { name: 'Temp', position: 950, category: 'temp', resolverGroupId: noc.id },
      });
      return { id: gid('RoutingRule', r.id) };
    });
    await check('skillRequirementSet', 'SkillRequirementSetInput', ['admin'], () => ({
      category: 'storage',
      skills: ['storage'],
    }));
  });

  it('out of office: oneself, the person’s group leads and admins', async () => {
    const forNadia = () => ({
      userId: gid('User', nadia.id),
      startsAt: future(300),
      endsAt: future(310),
      reason: 'course',
    });
    await check('outOfOfficeCreate', 'OutOfOfficeCreateInput', ['groupLead', 'admin'], forNadia);
    const self = await mutate(
      'outOfOfficeCreate',
      'OutOfOfficeCreateInput',
      forNadia(),
      nadiaToken,
      '... on OutOfOffice { id }',
    );
    expect(self.result?.__typename).toBe('OutOfOffice');
    await check('outOfOfficeDelete', 'OutOfOfficeDeleteInput', ['groupLead', 'admin'], async () => {
      const o = await t.prisma.outOfOffice.create({
        data: { userId: nadia.id, startsAt: new Date(future(400)), endsAt: new Date(future(401)) },
      });
      return { id: gid('OutOfOffice', o.id) };
    });
  });

  it('validates management input with typed errors', async () => {
    const badRota = await mutate(
      'onCallRotaSet',
      'OnCallRotaSetInput',
      { groupId: G(), timeZone: 'Nowhere/Else', startDate: '2026-13-01', memberIds: [] },
      world.tokens.admin,
    );
    expect(badRota.result.__typename).toBe('ValidationError');
    expect(badRota.result.fieldErrors.map((f: { path: string[] }) => f.path.join('.'))).toEqual([
      'input.timeZone',
      'input.startDate',
      'input.memberIds',
    ]);
    const badOoo = await mutate(
      'outOfOfficeCreate',
      'OutOfOfficeCreateInput',
      { userId: gid('User', nadia.id), startsAt: future(5), endsAt: future(1) },
      nadiaToken,
    );
    expect(badOoo.result.__typename).toBe('ValidationError');
    const badSkill = await mutate(
      'agentSkillsSet',
      'AgentSkillsSetInput',
      { userId: gid('User', ugo.id), skills: ['has spaces'] },
      world.tokens.admin,
    );
    expect(badSkill.result.__typename).toBe('ValidationError');
    const triageFlag = await mutate(
      'resolverGroupUpdate',
      'ResolverGroupUpdateInput',
      { id: G(), isDefaultTriage: true },
      world.tokens.admin,
      '... on ResolverGroup { isDefaultTriage }',
    );
    expect(triageFlag.result.isDefaultTriage).toBe(true);
    expect(await t.prisma.resolverGroup.count({ where: { isDefaultTriage: true } })).toBe(1);
    await t.prisma.resolverGroup.update({ where: { id: triage.id }, data: { isDefaultTriage: true } });
    await t.prisma.resolverGroup.update({ where: { id: noc.id }, data: { isDefaultTriage: false } });
  });
});
