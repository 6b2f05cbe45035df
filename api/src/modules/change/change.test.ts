import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import {
  createResponsibilityWorld,
  expectForbidden,
  expectNoErrors,
  RESULT,
  type ResponsibilityWorld,
  rawId,
} from '../responsibility/testWorld.js';

let t: TestApp;
let w: ResponsibilityWorld;

beforeAll(async () => {
  t = await startTestApp();
  w = await createResponsibilityWorld(t);
});
afterAll(() => t?.stop());

const APPROVAL = `status scope scopeSource scopeReason round requiredSteps waitingFor
  steps { id kind status round approverGroup { key } comment decidedBy { id } viewerCanDecide }`;
const TICKET = `id number status version resolverGroup { key } changeApproval { ${APPROVAL} }`;
const TICKET_RESULT = `${RESULT} ... on InvalidTransitionError { from to allowed } ... on TicketPayload { ticket { ${TICKET} } }`;

async function createChange(input: Record<string, unknown> = {}, token = w.tokens.acme) {
  const res = await t.gql(
    `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ${RESULT} ... on TicketCreatePayload { ticket { ${TICKET} } } } }`,
    {
      input: {
        title: 'Open TCP 8443 for the MES integration',
        description: 'The MES integration needs TCP 8443 from 10.20.30.0/24 to the ERP API.',
        class: 'CHANGE_INQUIRY',
        impact: 'MEDIUM',
        urgency: 'MEDIUM',
        serviceId: w.services.erp.gid,
        category: 'firewall',
        ...input,
      },
    },
    { token },
  );
  expectNoErrors(res);
  return res.data!.ticketCreate.ticket;
}

async function read(id: string, token = w.tokens.admin) {
  const res = await t.gql(`query ($id: ID!) { ticket(id: $id) { ${TICKET} } }`, { id }, { token });
  expectNoErrors(res);
  return res.data!.ticket;
}

async function transition(ticket: { id: string; version: number }, to: string, token = w.tokens.lead) {
  const res = await t.gql(
    `mutation ($input: TicketTransitionInput!) { ticketTransition(input: $input) { ${TICKET_RESULT} } }`,
    { input: { id: ticket.id, version: ticket.version, to } },
    { token },
  );
  expectNoErrors(res);
  return res.data!.ticketTransition;
}

async function decide(stepId: string, decision: 'APPROVE' | 'REJECT', token: string, comment = 'Reviewed and fine.') {
  const res = await t.gql(
    `mutation ($input: ChangeApprovalDecideInput!) { changeApprovalDecide(input: $input) { ${RESULT} ... on ChangeApprovalPayload { approval { ${APPROVAL} } ticketVersion } } }`,
    { input: { stepId, decision, comment } },
    { token },
  );
  return { result: res.data?.changeApprovalDecide, errors: res.errors };
}

async function request(ticket: { id: string; version: number }, input: Record<string, unknown>, token = w.tokens.lead) {
  const res = await t.gql(
    `mutation ($input: ChangeApprovalRequestInput!) { changeApprovalRequest(input: $input) { ${RESULT} ... on ChangeApprovalPayload { approval { ${APPROVAL} } ticket { version } } } }`,
    { input: { id: ticket.id, version: ticket.version, reason: 'Re-planned with the requester', ...input } },
    { token },
  );
  return { result: res.data?.changeApprovalRequest, errors: res.errors };
}

const step = (ticket: any, kind: string) => ticket.changeApproval.steps.find((s: any) => s.kind === kind);

describe('approval steps derived from scope', () => {
  it('platform-level: the Platform team’s approval and the policy check', async () => {
    const change = await createChange();
    expect(change.changeApproval).toMatchObject({
      status: 'PENDING',
      scope: 'PLATFORM',
      scopeSource: 'DOMAIN',
      round: 1,
      requiredSteps: ['PLATFORM_APPROVAL', 'POLICY_CHECK'],
    });
    expect(change.changeApproval.scopeReason).toContain('Network and host security (category "firewall")');
    expect(change.changeApproval.scopeReason).toContain('Platform/Cloud team is Responsible');
    expect(change.changeApproval.steps.map((s: any) => [s.kind, s.status, s.approverGroup.key])).toEqual([
      ['PLATFORM_APPROVAL', 'PENDING', 'infrastructure'],
      ['POLICY_CHECK', 'PENDING', 'security'],
    ]);
  });

  it('workload-level: the owning application team’s approval and the policy check', async () => {
    const change = await createChange({ title: 'Deploy ERP release 2026.2', category: 'deployment' });
    expect(change.changeApproval).toMatchObject({ scope: 'WORKLOAD', status: 'PENDING' });
    expect(change.changeApproval.steps.map((s: any) => [s.kind, s.approverGroup.key])).toEqual([
      ['WORKLOAD_APPROVAL', 'application-support'],
      ['POLICY_CHECK', 'security'],
    ]);
  });

  it('both layers when the domain involves both teams; scope waits for staff when no domain applies', async () => {
    const iam = await createChange({
      title: 'New conditional access policy',
      serviceId: w.services.iam.gid,
      category: 'mfa',
    });
    expect(iam.changeApproval.scope).toBe('PLATFORM_AND_WORKLOAD');
    expect(iam.changeApproval.requiredSteps).toEqual(['PLATFORM_APPROVAL', 'WORKLOAD_APPROVAL', 'POLICY_CHECK']);

    const vague = await createChange({ title: 'Change something in ERP', category: null });
    expect(vague.changeApproval).toMatchObject({ status: 'AWAITING_SCOPE', scope: null, scopeSource: 'NONE' });
    expect(vague.changeApproval.steps.map((s: any) => s.kind)).toEqual(['POLICY_CHECK']);
    const set = await request(vague, {
      scope: 'PLATFORM_AND_WORKLOAD',
      reason: 'Touches the network and the ERP config',
    });
    expectNoErrors(set);
    expect(set.result.approval).toMatchObject({
      status: 'PENDING',
      scope: 'PLATFORM_AND_WORKLOAD',
      scopeSource: 'EXPLICIT',
      round: 2,
    });
    expect(set.result.approval.steps).toHaveLength(3);
  });
});

describe('change approval gates the transition to IN_PROGRESS', () => {
  it('refuses IN_PROGRESS until every step is approved; approvals are audited', async () => {
    let change = await createChange();
    // Routed to the application team: the platform and security approvers cannot otherwise see it.
    const assigned = await t.gql(
      `mutation ($input: TicketAssignInput!) { ticketAssign(input: $input) { ${TICKET_RESULT} } }`,
      { input: { id: change.id, version: change.version, resolverGroupId: w.groups['application-support'].gid } },
      { token: w.tokens.lead },
    );
    change = assigned.data!.ticketAssign.ticket;
    expect(change.status).toBe('ASSIGNED');

    const refused = await transition(change, 'IN_PROGRESS');
    expect(refused).toMatchObject({ __typename: 'InvalidTransitionError', from: 'ASSIGNED', to: 'IN_PROGRESS' });
    expect(refused.message).toContain("waiting for the Platform team's approval, security and governance policy check");
    expect(refused.allowed).not.toContain('IN_PROGRESS');
    const unchanged = await read(change.id);
    expect(unchanged).toMatchObject({ status: 'ASSIGNED', version: change.version });

    const platform = await decide(
      step(change, 'PLATFORM_APPROVAL').id,
      'APPROVE',
      w.tokens.platform,
      'Firewall rule reviewed: scoped to one subnet and port.',
    );
    expectNoErrors(platform);
    expect(platform.result.approval.status).toBe('PENDING');
    expect((await transition({ ...change, version: platform.result.ticketVersion }, 'IN_PROGRESS')).__typename).toBe(
      'InvalidTransitionError',
    );

    const policy = await decide(
      step(change, 'POLICY_CHECK').id,
      'APPROVE',
      w.tokens.security,
      'Complies with the network segmentation policy.',
    );
    expectNoErrors(policy);
    expect(policy.result.approval).toMatchObject({ status: 'APPROVED', waitingFor: 'approved' });
    const started = await transition({ ...change, version: policy.result.ticketVersion }, 'IN_PROGRESS');
    expect(started).toMatchObject({ __typename: 'TicketPayload', ticket: { status: 'IN_PROGRESS' } });

    const audit = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { audit { action actorId reason newValue } } }`,
      { id: change.id },
      { token: w.tokens.admin },
    );
    const decisions = audit.data!.ticket.audit.filter((a: any) => a.action === 'change_approval_decided');
    expect(decisions.map((d: any) => [d.actorId, d.reason])).toEqual([
      [w.people.platform.user.id, 'Firewall rule reviewed: scoped to one subnet and port.'],
      [w.people.security.user.id, 'Complies with the network segmentation policy.'],
    ]);
    expect(
      audit.data!.ticket.audit.some((a: any) => a.action === 'change_approval_status' && a.newValue === '"APPROVED"'),
    ).toBe(true);
    const events = await t.prisma.event.findMany({
      where: { ticketId: rawId(change.id), type: { startsWith: 'change.' } },
    });
    expect(events.map((e) => e.type)).toEqual([
      'change.approval_requested',
      'change.approval_decided',
      'change.approval_decided',
      'change.approved',
    ]);
  });

  it('a rejection (with comment) blocks it; a new round after re-planning starts fresh', async () => {
    let change = await createChange({ title: 'Deploy ERP release 2026.3', category: 'deployment' });
    const noComment = await decide(step(change, 'WORKLOAD_APPROVAL').id, 'REJECT', w.tokens.app, ' ');
    expect(noComment.result.__typename).toBe('ValidationError');
    const rejected = await decide(
      step(change, 'WORKLOAD_APPROVAL').id,
      'REJECT',
      w.tokens.app,
      'No rollback plan attached.',
    );
    expectNoErrors(rejected);
    expect(rejected.result.approval).toMatchObject({ status: 'REJECTED' });
    change = await read(change.id);
    expect(step(change, 'WORKLOAD_APPROVAL')).toMatchObject({
      status: 'REJECTED',
      comment: 'No rollback plan attached.',
    });
    expect((await transition(change, 'IN_PROGRESS')).__typename).toBe('InvalidTransitionError');

    const customerView = await read(change.id, w.tokens.acme);
    expect(step(customerView, 'WORKLOAD_APPROVAL')).toMatchObject({
      status: 'REJECTED',
      comment: null,
      decidedBy: null,
    });

    const afterRejection = await decide(step(change, 'POLICY_CHECK').id, 'APPROVE', w.tokens.security);
    expect(afterRejection.result.__typename).toBe('ConflictError');

    const again = await request(change, { reason: 'Rollback plan attached' });
    expectNoErrors(again);
    expect(again.result.approval).toMatchObject({ status: 'PENDING', round: 2, scope: 'WORKLOAD' });
    expect(again.result.approval.steps.every((s: any) => s.status === 'PENDING' && s.round === 2)).toBe(true);
    const stale = await decide(step(change, 'POLICY_CHECK').id, 'APPROVE', w.tokens.security);
    expect(stale.result.__typename).toBe('ConflictError');
    const history = await t.gql(
      `query ($id: ID!) { changeApproval(ticketId: $id) { steps(allRounds: true) { round kind status } } }`,
      { id: change.id },
      { token: w.tokens.lead },
    );
    expect(history.data!.changeApproval.steps).toEqual([
      { round: 1, kind: 'WORKLOAD_APPROVAL', status: 'REJECTED' },
      { round: 1, kind: 'POLICY_CHECK', status: 'SUPERSEDED' },
      { round: 2, kind: 'WORKLOAD_APPROVAL', status: 'PENDING' },
      { round: 2, kind: 'POLICY_CHECK', status: 'PENDING' },
    ]);
  });

  it('keeps a customer’s reply to an unapproved change and holds the ticket until approval', async () => {
    let change = await createChange({ title: 'Open TCP 9443 for reporting' });
    const asked = await t.gql(
      `mutation ($input: TicketRequestInformationInput!) { ticketRequestInformation(input: $input) { ${TICKET_RESULT} } }`,
      { input: { id: change.id, version: change.version, body: 'Which source addresses need access?' } },
      { token: w.tokens.lead },
    );
    change = asked.data!.ticketRequestInformation.ticket;
    expect(change.status).toBe('PENDING_CUSTOMER');
    const reply = await t.gql(
      `mutation ($input: TicketAddEntryInput!) { ticketAddEntry(input: $input) { ${TICKET_RESULT} } }`,
      { input: { id: change.id, version: change.version, kind: 'PUBLIC_REPLY', body: 'Only 10.20.30.0/24.' } },
      { token: w.tokens.acme },
    );
    expectNoErrors(reply);
    expect(reply.data!.ticketAddEntry.ticket.status).toBe('NEW');
    const audit = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { audit { action oldValue newValue reason } entries { body } } }`,
      { id: change.id },
      { token: w.tokens.admin },
    );
    const statuses = audit
      .data!.ticket.audit.filter((a: any) => a.action === 'status_changed')
      .map((a: any) => [a.oldValue, a.newValue]);
    expect(statuses.slice(-2)).toEqual([
      ['"PENDING_CUSTOMER"', '"IN_PROGRESS"'],
      ['"IN_PROGRESS"', '"NEW"'],
    ]);
    expect(audit.data!.ticket.entries.map((e: any) => e.body)).toContain('Only 10.20.30.0/24.');
  });

  it('follows reclassification: an incident that becomes a change gets approvals, and loses them when it stops being one', async () => {
    const incident = await createChange({ class: 'INCIDENT', title: 'Firewall blocks the MES integration' });
    expect(incident.changeApproval).toBeNull();
    const update = async (ticket: any, cls: string) => {
      const res = await t.gql(
        `mutation ($input: TicketUpdateInput!) { ticketUpdate(input: $input) { ${TICKET_RESULT} } }`,
        { input: { id: ticket.id, version: ticket.version, class: cls, reason: 'reclassified' } },
        { token: w.tokens.lead },
      );
      expectNoErrors(res);
      return res.data!.ticketUpdate.ticket;
    };
    const change = await update(incident, 'CHANGE_INQUIRY');
    expect(change.changeApproval).toMatchObject({ status: 'PENDING', scope: 'PLATFORM' });
    const back = await update(change, 'SERVICE_REQUEST');
    expect(back.changeApproval.status).toBe('WITHDRAWN');
    expect(back.changeApproval.steps.every((s: any) => s.status === 'SUPERSEDED')).toBe(true);
  });
});

describe('who may decide', () => {
  const roles = [
    'acme',
    'agent',
    'lead',
    'manager',
    'admin',
    'governance',
    'platform',
    'network',
    'app',
    'security',
  ] as const;

  it('each step: its team (or an admin); never customers, nor staff outside the team', async () => {
    const allowed: Record<string, readonly string[]> = {
      PLATFORM_APPROVAL: ['admin', 'platform', 'network'],
      WORKLOAD_APPROVAL: ['admin', 'app'],
      POLICY_CHECK: ['admin', 'governance', 'security'],
    };
    for (const [kind, who] of Object.entries(allowed)) {
      for (const role of roles) {
        // A fresh change per attempt, so an allowed decision does not decide the next attempt's step.
        const change = await createChange({
          title: `Authorization ${kind} ${role}`,
          serviceId: w.services.iam.gid,
          category: 'sso',
        });
        const res = await decide(step(change, kind).id, 'APPROVE', (w.tokens as Record<string, string>)[role]!);
        if (who.includes(role)) {
          expectNoErrors(res, `${kind} as ${role}`);
          expect(res.result.__typename, `${kind} as ${role}`).toBe('ChangeApprovalPayload');
        } else expectForbidden(res, `${kind} as ${role}`);
      }
    }
  });

  it('whoever logged the change cannot approve it', async () => {
    const change = await createChange(
      {
        title: 'Logged by the admin for Acme',
        requesterId: Buffer.from(`User:${w.users.acmeCustomer.id}`).toString('base64'),
      },
      w.tokens.admin,
    );
    expectForbidden(await decide(step(change, 'POLICY_CHECK').id, 'APPROVE', w.tokens.admin));
    expectNoErrors(await decide(step(change, 'POLICY_CHECK').id, 'APPROVE', w.tokens.security));
  });

  it('changeApprovalRequest: staff only', async () => {
    for (const role of roles) {
      const change = await createChange({ title: `Request as ${role}` });
      const res = await request(change, {}, (w.tokens as Record<string, string>)[role]!);
      if (role === 'acme') expectForbidden(res, role);
      else {
        expectNoErrors(res, role);
        expect(res.result.approval.round, role).toBe(2);
      }
    }
  });

  it('lists the steps waiting for the caller', async () => {
    const change = await createChange({ title: 'Inbox check', category: 'deployment' });
    const inbox = async (token: string) => {
      const res = await t.gql(`{ changeApprovalsPending { id kind ticketNumber viewerCanDecide } }`, {}, { token });
      expectNoErrors(res);
      return res.data!.changeApprovalsPending.filter((s: any) => s.ticketNumber === change.number);
    };
    expect((await inbox(w.tokens.app)).map((s: any) => s.kind)).toEqual(['WORKLOAD_APPROVAL']);
    expect((await inbox(w.tokens.security)).map((s: any) => s.kind)).toEqual(['POLICY_CHECK']);
    expect(await inbox(w.tokens.platform)).toEqual([]);
    expectForbidden(await t.gql(`{ changeApprovalsPending { id } }`, {}, { token: w.tokens.acme }));
  });
});

describe('organisation isolation', () => {
  it('customers read their own changes’ approvals only', async () => {
    const change = await createChange({ title: 'Acme-only change' });
    const own = await t.gql(
      `query ($id: ID!) { changeApproval(ticketId: $id) { status steps { kind } } }`,
      { id: change.id },
      { token: w.tokens.acme },
    );
    expect(own.data!.changeApproval).toMatchObject({ status: 'PENDING' });
    const other = await t.gql(
      `query ($id: ID!) { changeApproval(ticketId: $id) { status } }`,
      { id: change.id },
      { token: w.tokens.globex },
    );
    expect(other.data!.changeApproval).toBeNull();
    const node = await t.gql(
      `query ($id: ID!) { node(id: $id) { id } }`,
      { id: step(change, 'POLICY_CHECK').id },
      { token: w.tokens.globex },
    );
    expect(node.data?.node ?? null).toBeNull();
    const decideOther = await decide(step(change, 'POLICY_CHECK').id, 'APPROVE', w.tokens.globex);
    expectForbidden(decideOther);
  });
});
