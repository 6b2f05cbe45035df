import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import {
  createResponsibilityWorld,
  expectForbidden,
  expectNoErrors,
  gid,
  RESULT,
  type ResponsibilityWorld,
  rawId,
} from './testWorld.js';

let t: TestApp;
let w: ResponsibilityWorld;

beforeAll(async () => {
  t = await startTestApp();
  w = await createResponsibilityWorld(t);
});
afterAll(() => t?.stop());

const MATRIX = `version status summary providerName basedOnVersion inEffect reviewOverdue reviewDueAt effectiveFrom
  organization { id } cells { domain { key } serviceModel owner providerDuties customerDuties }`;

async function mutate(token: string, name: string, input: Record<string, unknown>, selection?: string) {
  const select = selection ?? (name === 'ticketResponsibilityDomainSet' ? 'ticket { id }' : MATRIX);
  const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const payloadType = name.startsWith('responsibilityMatrix')
    ? 'ResponsibilityMatrix'
    : name === 'ticketResponsibilityDomainSet'
      ? 'TicketResponsibilityDomainSetPayload'
      : '';
  const res = await t.gql(
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${RESULT} ${payloadType ? `... on ${payloadType} { ${select} }` : ''} } }`,
    { input },
    { token },
  );
  return { result: res.data?.[name], errors: res.errors };
}

async function matrix(token: string, args = '', select = MATRIX) {
  const res = await t.gql(`{ responsibilityMatrix${args} { ${select} } }`, {}, { token });
  expectNoErrors(res);
  return res.data!.responsibilityMatrix;
}

const cellOf = (m: { cells: any[] }, domain: string, model: string) =>
  m.cells.find((c) => c.domain.key === domain && c.serviceModel === model);

describe('the seeded matrix', () => {
  it('covers the seven domains for IaaS, PaaS and SaaS, and customers read the version in effect', async () => {
    const m = await matrix(w.tokens.acme);
    expect(m).toMatchObject({ version: w.firstVersion, status: 'PUBLISHED', inEffect: true, organization: null });
    expect(m.cells).toHaveLength(21);
    for (const model of ['IAAS', 'PAAS', 'SAAS']) expect(cellOf(m, 'data-protection', model).owner).toBe('CUSTOMER');
    expect(['IAAS', 'PAAS', 'SAAS'].map((s) => cellOf(m, 'network-host', s).owner)).toEqual([
      'SHARED',
      'PROVIDER',
      'PROVIDER',
    ]);
    // The provider's share grows from IaaS to SaaS.
    const providerShare = (model: string) =>
      m.cells.filter((c: any) => c.serviceModel === model && c.owner !== 'CUSTOMER').length;
    expect(providerShare('IAAS')).toBeLessThan(providerShare('PAAS'));
    expect(providerShare('PAAS')).toBeLessThanOrEqual(providerShare('SAAS'));
    const saas = await matrix(w.tokens.acme, '(serviceModel: SAAS)');
    expect(saas.cells).toHaveLength(7);
    const staff = await matrix(
      w.tokens.admin,
      '',
      'problems { message } raci { domain { key } accountable responsible }',
    );
    expect(staff.problems).toEqual([]);
    expect(staff.raci).toHaveLength(7);
  });

  it('answers who owns a domain under a service model, with the groups for staff only', async () => {
    const q = `{ responsibilityOwner(domain: "network-host", serviceModel: IAAS) { owner providerName matrixVersion explanation } }`;
    const res = await t.gql(q, {}, { token: w.tokens.globex });
    expectNoErrors(res);
    expect(res.data!.responsibilityOwner).toMatchObject({ owner: 'SHARED', providerName: 'Microsoft Azure' });
    expect(res.data!.responsibilityOwner.explanation).toContain('Network and host security under IaaS is shared');
    const staff = await t.gql(
      `{ responsibilityOwner(domain: "backup-recovery", serviceModel: IAAS) { owner responsibleRoles responsibleGroups { key } } }`,
      {},
      { token: w.tokens.agent },
    );
    expect(staff.data!.responsibilityOwner).toEqual({
      owner: 'CUSTOMER',
      responsibleRoles: ['PLATFORM_CLOUD'],
      responsibleGroups: [{ key: 'infrastructure' }],
    });
    const customer = await t.gql(
      `{ responsibilityOwner(domain: "backup-recovery", serviceModel: IAAS) { responsibleGroups { key } } }`,
      {},
      { token: w.tokens.acme },
    );
    expectForbidden(customer);
  });

  it('maps the organisational roles to resolver groups (staff only)', async () => {
    const res = await t.gql(
      `{ responsibilityRoles { role name primaryGroup { key } groups { key } } }`,
      {},
      { token: w.tokens.agent },
    );
    expectNoErrors(res);
    expect(res.data!.responsibilityRoles.map((r: any) => [r.role, r.primaryGroup?.key])).toEqual([
      ['PLATFORM_CLOUD', 'infrastructure'],
      ['WORKLOAD_APPLICATION', 'application-support'],
      ['SECURITY_COMPLIANCE', 'security'],
      ['OPERATIONS_INCIDENT', 'service-desk'],
      ['GOVERNANCE_RISK', 'service-delivery'],
    ]);
    expectForbidden(await t.gql(`{ responsibilityRoles { role } }`, {}, { token: w.tokens.acme }));
    const can = async (token: string) =>
      (await t.gql(`{ responsibilityViewerCanGovern }`, {}, { token })).data!.responsibilityViewerCanGovern;
    expect(await can(w.tokens.governance)).toBe(true);
    expect(await can(w.tokens.admin)).toBe(true);
    expect(await can(w.tokens.manager)).toBe(false);
    expect(await can(w.tokens.acme)).toBe(false);
  });
});

describe('versions: draft → approve → publish', () => {
  let v2: number;

  it('drafts from the version in effect, is approved by another governance member, and publishes', async () => {
    const draft = await mutate(w.tokens.governance, 'responsibilityMatrixDraftCreate', {
      summary: 'Managed SOC takes over SaaS monitoring',
      reasons: [{ kind: 'TECHNOLOGY_CHANGE', detail: 'The provider now runs a managed SOC for SaaS tenants.' }],
    });
    expectNoErrors(draft);
    expect(draft.result).toMatchObject({
      __typename: 'ResponsibilityMatrix',
      status: 'DRAFT',
      basedOnVersion: w.firstVersion,
    });
    v2 = draft.result.version;
    expect(draft.result.cells).toHaveLength(21);

    const second = await mutate(w.tokens.admin, 'responsibilityMatrixDraftCreate', {
      summary: 'Another draft at the same time',
      reasons: [{ kind: 'PERIODIC', detail: 'Yearly review of the matrix.' }],
    });
    expect(second.result.__typename).toBe('ConflictError');

    const edited = await mutate(w.tokens.governance, 'responsibilityMatrixDraftUpdate', {
      version: v2,
      cells: [
        {
          domain: 'security-monitoring',
          serviceModel: 'SAAS',
          owner: 'PROVIDER',
          providerDuties:
            'Runs the managed SOC: monitors tenant audit logs and sign-ins around the clock and responds to alerts.',
          customerDuties: 'Reports suspicious activity and approves containment actions.',
        },
      ],
      raci: [
        {
          domain: 'compliance-audit',
          accountable: 'GOVERNANCE_RISK',
          responsible: ['GOVERNANCE_RISK'],
          consulted: ['SECURITY_COMPLIANCE', 'PLATFORM_CLOUD', 'WORKLOAD_APPLICATION'],
          informed: ['OPERATIONS_INCIDENT'],
        },
      ],
    });
    expectNoErrors(edited);
    expect(cellOf(edited.result, 'security-monitoring', 'SAAS').owner).toBe('PROVIDER');

    const bad = await mutate(w.tokens.governance, 'responsibilityMatrixDraftUpdate', {
      version: v2,
      cells: [
        {
          domain: 'identity-access',
          serviceModel: 'SAAS',
          owner: 'SHARED',
          providerDuties: 'Runs the identity service.',
        },
      ],
    });
    expect(bad.result.__typename).toBe('ValidationError');
    expect(bad.result.fieldErrors[0].message).toContain("customer's duties");

    // A draft is invisible to customers.
    expect(
      (await t.gql(`{ responsibilityMatrix(version: ${v2}) { version } }`, {}, { token: w.tokens.acme })).data!
        .responsibilityMatrix,
    ).toBeNull();

    expectForbidden(
      await mutate(w.tokens.governance, 'responsibilityMatrixApprove', { version: v2, comment: 'Looks right to me' }),
      'the author approving',
    );
    const approved = await mutate(
      w.tokens.governance2,
      'responsibilityMatrixApprove',
      { version: v2, comment: 'Checked against the SOC contract.' },
      'status decidedBy { id } decisionComment',
    );
    expectNoErrors(approved);
    expect(approved.result).toMatchObject({ status: 'APPROVED', decisionComment: 'Checked against the SOC contract.' });
    const frozen = await mutate(w.tokens.governance, 'responsibilityMatrixDraftUpdate', {
      version: v2,
      summary: 'Changed after approval',
    });
    expect(frozen.result.__typename).toBe('ConflictError');

    const published = await mutate(w.tokens.governance, 'responsibilityMatrixPublish', { version: v2 });
    expectNoErrors(published);
    expect(published.result).toMatchObject({ status: 'PUBLISHED', inEffect: true });

    const now = await matrix(w.tokens.acme);
    expect(now.version).toBe(v2);
    expect(cellOf(now, 'security-monitoring', 'SAAS').owner).toBe('PROVIDER');
    const earlier = await matrix(w.tokens.acme, `(version: ${w.firstVersion})`);
    expect(earlier).toMatchObject({ status: 'PUBLISHED', inEffect: false });
    expect(cellOf(earlier, 'security-monitoring', 'SAAS').owner).toBe('SHARED');
    const versions = await t.gql(`{ responsibilityMatrixVersions { version status } }`, {}, { token: w.tokens.globex });
    expect(versions.data!.responsibilityMatrixVersions).toEqual([
      { version: v2, status: 'PUBLISHED' },
      { version: w.firstVersion, status: 'PUBLISHED' },
    ]);
    const reasons = await matrix(w.tokens.admin, `(version: ${v2})`, 'reasons { kind detail version }');
    expect(reasons.reasons).toEqual([
      { kind: 'TECHNOLOGY_CHANGE', detail: 'The provider now runs a managed SOC for SaaS tenants.', version: v2 },
    ]);
    const events = await t.prisma.event.findMany({ where: { type: { startsWith: 'responsibility.matrix_' } } });
    expect(events.map((e) => e.type)).toEqual(['responsibility.matrix_approved', 'responsibility.matrix_published']);
  });

  it('diffs any two versions: cells for everyone, RACI for staff', async () => {
    const q = `query ($from: Int!, $to: Int!) { responsibilityMatrixDiff(from: $from, to: $to) {
      from { version } to { version } identical
      cells { domain { key } serviceModel change fields before { owner } after { owner } } } }`;
    const res = await t.gql(q, { from: w.firstVersion, to: v2 }, { token: w.tokens.acme });
    expectNoErrors(res);
    expect(res.data!.responsibilityMatrixDiff).toEqual({
      from: { version: w.firstVersion },
      to: { version: v2 },
      identical: false,
      cells: [
        {
          domain: { key: 'security-monitoring' },
          serviceModel: 'SAAS',
          change: 'CHANGED',
          fields: ['owner', 'providerDuties', 'customerDuties'],
          before: { owner: 'SHARED' },
          after: { owner: 'PROVIDER' },
        },
      ],
    });
    const staff = await t.gql(
      `{ responsibilityMatrixDiff(from: ${w.firstVersion}, to: ${v2}) { raci { domain { key } role before after } } }`,
      {},
      { token: w.tokens.agent },
    );
    expect(staff.data!.responsibilityMatrixDiff.raci).toEqual([
      {
        domain: { key: 'compliance-audit' },
        role: 'SECURITY_COMPLIANCE',
        before: ['RESPONSIBLE'],
        after: ['CONSULTED'],
      },
    ]);
    expectForbidden(
      await t.gql(
        `{ responsibilityMatrixDiff(from: ${w.firstVersion}, to: ${v2}) { raci { role } } }`,
        {},
        { token: w.tokens.acme },
      ),
    );
    const same = await t.gql(
      `{ responsibilityMatrixDiff(from: ${v2}, to: ${v2}) { identical cells { change } } }`,
      {},
      { token: w.tokens.acme },
    );
    expect(same.data!.responsibilityMatrixDiff).toEqual({ identical: true, cells: [] });
  });

  it('rejects a draft with a comment, and refuses to approve an incomplete one with what is missing', async () => {
    const domain = await t.gql(
      `mutation ($input: ResponsibilityDomainCreateInput!) { responsibilityDomainCreate(input: $input) { ${RESULT} ... on ResponsibilityDomain { key categories position } } }`,
      { input: { key: 'key-management', name: 'Key management', categories: ['Key-Vault', 'certificates'] } },
      { token: w.tokens.governance },
    );
    expectNoErrors(domain);
    expect(domain.data!.responsibilityDomainCreate).toMatchObject({
      key: 'key-management',
      categories: ['key-vault', 'certificates'],
    });
    const clash = await t.gql(
      `mutation ($input: ResponsibilityDomainCreateInput!) { responsibilityDomainCreate(input: $input) { ${RESULT} } }`,
      { input: { key: 'pki', name: 'PKI', categories: ['certificates'] } },
      { token: w.tokens.admin },
    );
    expect(clash.data!.responsibilityDomainCreate.__typename).toBe('ValidationError');

    const draft = await mutate(w.tokens.admin, 'responsibilityMatrixDraftCreate', {
      summary: 'Add key management',
      reasons: [{ kind: 'AUDIT_LESSON', detail: 'The ISO audit found no owner for key rotation.' }],
    });
    const v = draft.result.version;
    const incomplete = await mutate(w.tokens.governance, 'responsibilityMatrixApprove', {
      version: v,
      comment: 'Approved',
    });
    expect(incomplete.result.__typename).toBe('ValidationError');
    expect(incomplete.result.fieldErrors.map((e: any) => e.path.join('.'))).toEqual([
      'input.cells.key-management.IAAS',
      'input.cells.key-management.PAAS',
      'input.cells.key-management.SAAS',
      'input.raci.key-management',
      'input.raci.key-management',
    ]);
    const rejected = await mutate(
      w.tokens.governance,
      'responsibilityMatrixReject',
      { version: v, comment: 'Agree the key-management split with Security first.' },
      'status decisionComment',
    );
    expect(rejected.result).toEqual({
      __typename: 'ResponsibilityMatrix',
      status: 'REJECTED',
      decisionComment: 'Agree the key-management split with Security first.',
    });
    const notPublishable = await mutate(w.tokens.governance, 'responsibilityMatrixPublish', { version: v });
    expect(notPublishable.result.__typename).toBe('ConflictError');
    // Retired again so the other tests' versions stay complete.
    const retired = await t.gql(
      `mutation { responsibilityDomainUpdate(input: { key: "key-management", active: false }) { ${RESULT} ... on ResponsibilityDomain { active } } }`,
      {},
      { token: w.tokens.governance },
    );
    expect(retired.data!.responsibilityDomainUpdate).toMatchObject({ active: false });
  });

  it('records reasons to review, which the next draft takes up', async () => {
    const rec = await t.gql(
      `mutation ($input: ResponsibilityReviewReasonRecordInput!) { responsibilityReviewReasonRecord(input: $input) { ${RESULT} ... on ResponsibilityReviewReason { kind version } } }`,
      { input: { kind: 'ROLE_CHANGE', detail: 'Network operations moves under the Platform team.' } },
      { token: w.tokens.governance },
    );
    expect(rec.data!.responsibilityReviewReasonRecord).toEqual({
      __typename: 'ResponsibilityReviewReason',
      kind: 'ROLE_CHANGE',
      version: null,
    });
    const status = await t.gql(
      `{ responsibilityReviewStatus { current { version } overdue reviewNeeded openVersion { version } openReasons { kind } } }`,
      {},
      { token: w.tokens.manager },
    );
    expect(status.data!.responsibilityReviewStatus).toEqual({
      current: { version: v2 },
      overdue: false,
      reviewNeeded: true,
      openVersion: null,
      openReasons: [{ kind: 'ROLE_CHANGE' }],
    });
    const noReason = await mutate(w.tokens.governance, 'responsibilityMatrixDraftCreate', {
      summary: 'Role change review',
    });
    expectNoErrors(noReason);
    const v = noReason.result.version;
    const taken = await matrix(w.tokens.admin, `(version: ${v})`, 'reasons { kind }');
    expect(taken.reasons).toEqual([{ kind: 'ROLE_CHANGE' }]);
    await mutate(w.tokens.admin, 'responsibilityMatrixReject', {
      version: v,
      comment: 'Withdrawn: the reorganisation is postponed.',
    });
    const none = await mutate(w.tokens.governance, 'responsibilityMatrixDraftCreate', { summary: 'No reason at all' });
    expect(none.result.__typename).toBe('ValidationError');
  });

  it('flags an overdue review once (query and event), and a customer cannot see the review status', async () => {
    const current = await t.prisma.responsibilityMatrixVersion.findUniqueOrThrow({ where: { version: v2 } });
    await t.prisma.responsibilityMatrixVersion.update({
      where: { id: current.id },
      data: { reviewDueAt: new Date(Date.now() - 60_000) },
    });
    for (let i = 0; i < 2; i++) {
      const res = await t.gql(
        `{ responsibilityReviewsOverdue { version reviewOverdue } }`,
        {},
        { token: w.tokens.lead },
      );
      expect(res.data!.responsibilityReviewsOverdue).toEqual([{ version: v2, reviewOverdue: true }]);
    }
    const events = await t.prisma.event.findMany({ where: { type: 'responsibility.review_overdue' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ internal: true, ticketId: null, organizationId: null });
    expect(events[0]!.payload).toMatchObject({ version: v2 });
    expectForbidden(await t.gql(`{ responsibilityReviewStatus { overdue } }`, {}, { token: w.tokens.acme }));
    expectForbidden(await t.gql(`{ responsibilityReviewsOverdue { version } }`, {}, { token: w.tokens.acme }));
    await t.prisma.responsibilityMatrixVersion.update({
      where: { id: current.id },
      data: { reviewDueAt: current.reviewDueAt },
    });
  });
});

describe('a matrix agreed with one customer', () => {
  let acmeVersion: number;

  it('applies to that customer only; other customers cannot read it', async () => {
    const draft = await mutate(w.tokens.governance, 'responsibilityMatrixDraftCreate', {
      organizationId: gid('Organization', w.acme.id),
      summary: 'Acme: provider-managed backups for IaaS',
      reasons: [{ kind: 'NEW_SERVICE', detail: 'Acme bought the managed backup option.' }],
    });
    expectNoErrors(draft);
    acmeVersion = draft.result.version;
    await mutate(w.tokens.governance, 'responsibilityMatrixDraftUpdate', {
      version: acmeVersion,
      cells: [
        {
          domain: 'backup-recovery',
          serviceModel: 'IAAS',
          owner: 'PROVIDER',
          providerDuties:
            'Runs the managed backup: policies, monitoring of jobs, restore tests and restores on request.',
          customerDuties: 'Tells the provider what to back up and asks for restores.',
        },
      ],
    });
    await mutate(w.tokens.admin, 'responsibilityMatrixApprove', {
      version: acmeVersion,
      comment: 'Matches the Acme contract.',
    });
    const published = await mutate(w.tokens.governance, 'responsibilityMatrixPublish', { version: acmeVersion });
    expect(published.result).toMatchObject({
      status: 'PUBLISHED',
      organization: { id: gid('Organization', w.acme.id) },
    });

    const acme = await matrix(w.tokens.acme);
    expect(acme.version).toBe(acmeVersion);
    expect(cellOf(acme, 'backup-recovery', 'IAAS').owner).toBe('PROVIDER');
    const owner = await t.gql(
      `{ responsibilityOwner(domain: "backup-recovery", serviceModel: IAAS) { owner matrixVersion } }`,
      {},
      { token: w.tokens.acme },
    );
    expect(owner.data!.responsibilityOwner).toEqual({ owner: 'PROVIDER', matrixVersion: acmeVersion });

    const globex = await matrix(w.tokens.globex);
    expect(globex.version).not.toBe(acmeVersion);
    expect(cellOf(globex, 'backup-recovery', 'IAAS').owner).toBe('CUSTOMER');
    // Naming Acme does not help Globex: customers always get their own scope.
    const asAcme = await matrix(w.tokens.globex, `(organizationId: "${gid('Organization', w.acme.id)}")`);
    expect(asAcme.version).toBe(globex.version);
    expect(await matrix(w.tokens.globex, `(version: ${acmeVersion})`)).toBeNull();
    const list = await t.gql(`{ responsibilityMatrixVersions { version } }`, {}, { token: w.tokens.globex });
    expect(list.data!.responsibilityMatrixVersions.map((v: any) => v.version)).not.toContain(acmeVersion);
    const diff = await t.gql(
      `{ responsibilityMatrixDiff(from: ${globex.version}, to: ${acmeVersion}) { identical } }`,
      {},
      { token: w.tokens.globex },
    );
    expect(diff.data!.responsibilityMatrixDiff).toBeNull();
    // Staff read it by organisation.
    const staff = await matrix(w.tokens.agent, `(organizationId: "${gid('Organization', w.acme.id)}")`);
    expect(staff.version).toBe(acmeVersion);
  });

  it('schedules a version with a future effective date', async () => {
    const draft = await mutate(w.tokens.governance, 'responsibilityMatrixDraftCreate', {
      organizationId: gid('Organization', w.acme.id),
      summary: 'Acme: next contract year',
      reasons: [{ kind: 'PERIODIC', detail: 'Contract renewal.' }],
    });
    const v = draft.result.version;
    expect(draft.result.basedOnVersion).toBe(acmeVersion);
    await mutate(w.tokens.admin, 'responsibilityMatrixApprove', { version: v, comment: 'Renewal approved.' });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const published = await mutate(w.tokens.governance, 'responsibilityMatrixPublish', {
      version: v,
      effectiveFrom: tomorrow,
    });
    expect(published.result).toMatchObject({ status: 'PUBLISHED', inEffect: false });
    expect((await matrix(w.tokens.acme)).version).toBe(acmeVersion);
    const past = await mutate(w.tokens.governance, 'responsibilityMatrixPublish', {
      version: v,
      effectiveFrom: new Date(Date.now() - 86_400_000).toISOString(),
    });
    expect(past.result.__typename).toBe('ValidationError');
  });
});

describe('routing of an incident by matrix ownership', () => {
  const TICKET = `id number status version resolverGroup { key }
    ownership { determined owner domain { key } domainSource serviceModel matrixVersion explanation
      routing { action groupApplied vendorName vendorEscalationId internalGroup { key } } }`;

  async function create(token: string, input: Record<string, unknown>) {
    const res = await t.gql(
      `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ${RESULT} ... on TicketCreatePayload { ticket { id } } } }`,
      {
        input: {
          title: 'Something is broken',
          description: 'A description that is long enough to pass verification.',
          class: 'INCIDENT',
          impact: 'MEDIUM',
          urgency: 'MEDIUM',
          ...input,
        },
      },
      { token },
    );
    expectNoErrors(res);
    return read(res.data!.ticketCreate.ticket.id);
  }
  async function read(id: string, token = w.tokens.admin) {
    const res = await t.gql(`query ($id: ID!) { ticket(id: $id) { ${TICKET} } }`, { id }, { token });
    expectNoErrors(res);
    return res.data!.ticket;
  }
  const escalations = (ticketGid: string) => t.prisma.escalation.findMany({ where: { ticketId: rawId(ticketGid) } });

  it('provider-owned → vendor escalation to the matrix’s provider', async () => {
    const ticket = await create(w.tokens.globex, { serviceId: w.services.email.gid, category: 'application' });
    expect(ticket.ownership).toMatchObject({
      determined: true,
      owner: 'PROVIDER',
      domain: { key: 'app-config' },
      domainSource: 'CATEGORY',
      serviceModel: 'SAAS',
      routing: { action: 'VENDOR_ESCALATION', groupApplied: false, vendorName: 'Microsoft Azure', internalGroup: null },
    });
    expect(ticket.ownership.explanation).toContain('owned by the provider, Microsoft Azure');
    expect(ticket.resolverGroup).toBeNull();
    const [escalation, ...more] = await escalations(ticket.id);
    expect(more).toHaveLength(0);
    expect(escalation).toMatchObject({ kind: 'VENDOR', level: 1, reason: 'OWNERSHIP', vendorName: 'Microsoft Azure' });
    expect(ticket.ownership.routing.vendorEscalationId).toBe(escalation!.id);
    const decision = await t.prisma.ticketOwnershipDecision.findFirstOrThrow({
      where: { ticketId: rawId(ticket.id) },
      include: { version: true },
    });
    expect(decision.version!.version).toBe(ticket.ownership.matrixVersion);
  });

  it('customer-owned → the internal team whose role is Responsible', async () => {
    const ticket = await create(w.tokens.globex, { serviceId: w.services.backup.gid, category: 'Backup' });
    expect(ticket.ownership).toMatchObject({
      owner: 'CUSTOMER',
      domain: { key: 'backup-recovery' },
      routing: {
        action: 'INTERNAL_TEAM',
        groupApplied: true,
        internalGroup: { key: 'infrastructure' },
        vendorName: null,
      },
    });
    expect(ticket.resolverGroup).toEqual({ key: 'infrastructure' });
    expect(ticket.status).toBe('ASSIGNED');
    expect(await escalations(ticket.id)).toHaveLength(0);
    expect(ticket.ownership.explanation).toContain(
      'Platform/Cloud team is Responsible for Backup, restore and recovery',
    );
    const audit = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { audit { action field reason } } }`,
      { id: ticket.id },
      { token: w.tokens.admin },
    );
    const actions = audit.data!.ticket.audit.map((a: any) => a.action);
    expect(actions).toContain('ownership_determined');
    expect(actions).toContain('assigned');
    const events = await t.prisma.event.findMany({ where: { ticketId: rawId(ticket.id) }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'ticket.created',
        'ticket.ownership_determined',
        'ticket.assigned',
        'responsibility.routed',
      ]),
    );
  });

  it('the same domain follows the customer’s own matrix (Acme’s backups are provider-managed)', async () => {
    const ticket = await create(w.tokens.acme, { serviceId: w.services.backup.gid, category: 'restore' });
    expect(ticket.ownership).toMatchObject({ owner: 'PROVIDER', routing: { action: 'VENDOR_ESCALATION' } });
  });

  it('shared → both: vendor escalation and the internal team', async () => {
    const ticket = await create(w.tokens.globex, { serviceId: w.services.vpn.gid, category: 'vpn' });
    expect(ticket.ownership).toMatchObject({
      owner: 'SHARED',
      domain: { key: 'network-host' },
      routing: { action: 'VENDOR_AND_INTERNAL_TEAM', groupApplied: true, internalGroup: { key: 'infrastructure' } },
    });
    expect(ticket.resolverGroup).toEqual({ key: 'infrastructure' });
    expect(await escalations(ticket.id)).toMatchObject([{ kind: 'VENDOR', reason: 'OWNERSHIP' }]);
  });

  it('records ownership of other classes without routing, and shows customers the owner but not the routing', async () => {
    const ticket = await create(w.tokens.globex, {
      class: 'ACCESS_REQUEST',
      serviceId: w.services.iam.gid,
      category: null,
    });
    expect(ticket.ownership).toMatchObject({
      owner: 'SHARED',
      domain: { key: 'identity-access' },
      domainSource: 'TICKET_CLASS',
      routing: { action: 'NONE' },
    });
    expect(ticket.resolverGroup).toBeNull();
    expect(await escalations(ticket.id)).toHaveLength(0);
    const customer = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { ownership { owner explanation providerDuties customerDuties } } }`,
      { id: ticket.id },
      { token: w.tokens.globex },
    );
    expectNoErrors(customer);
    expect(customer.data!.ticket.ownership.owner).toBe('SHARED');
    expect(customer.data!.ticket.ownership.customerDuties).toContain('Governs users');
    const routing = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { ownership { routing { action } } } }`,
      { id: ticket.id },
      { token: w.tokens.globex },
    );
    expectForbidden(routing);
    // Another organisation's ticket, and its ownership, stay invisible.
    const other = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { ownership { owner } } }`,
      { id: ticket.id },
      { token: w.tokens.acme },
    );
    expect(other.data!.ticket).toBeNull();
  });

  it('routes a ticket reclassified as an incident', async () => {
    const request = await create(w.tokens.globex, {
      class: 'SERVICE_REQUEST',
      serviceId: w.services.email.gid,
      category: 'configuration',
    });
    expect(request.ownership.routing).toMatchObject({ action: 'NONE' });
    const updated = await t.gql(
      `mutation ($input: TicketUpdateInput!) { ticketUpdate(input: $input) { ${RESULT} ... on TicketPayload { ticket { id } } } }`,
      {
        input: {
          id: request.id,
          version: request.version,
          class: 'INCIDENT',
          reason: 'It is an outage, not a request',
        },
      },
      { token: w.tokens.lead },
    );
    expectNoErrors(updated);
    const incident = await read(request.id);
    expect(incident.ownership).toMatchObject({ owner: 'PROVIDER', routing: { action: 'VENDOR_ESCALATION' } });
    expect(await escalations(request.id)).toHaveLength(1);
  });

  it('leaves a group chosen earlier in place, and re-decides when staff set the domain', async () => {
    let ticket = await create(w.tokens.globex, { serviceId: w.services.erp.gid });
    expect(ticket.ownership).toMatchObject({ determined: false, routing: null });
    expect(ticket.ownership.explanation).toContain('the ticket has no category');
    const assigned = await t.gql(
      `mutation ($input: TicketAssignInput!) { ticketAssign(input: $input) { ${RESULT} ... on TicketPayload { ticket { version } } } }`,
      { input: { id: ticket.id, version: ticket.version, resolverGroupId: w.groups['service-desk'].gid } },
      { token: w.tokens.lead },
    );
    expectNoErrors(assigned);
    const forbidden = await mutate(w.tokens.globex, 'ticketResponsibilityDomainSet', {
      id: ticket.id,
      version: assigned.data!.ticketAssign.ticket.version,
      domain: 'app-config',
      reason: 'Customer tries to route',
    });
    expectForbidden(forbidden);
    // The agent is not in the service desk group, so the ticket is not theirs to see any more.
    const hidden = await mutate(w.tokens.agent, 'ticketResponsibilityDomainSet', {
      id: ticket.id,
      version: assigned.data!.ticketAssign.ticket.version,
      domain: 'app-config',
      reason: 'Order entry fails after the ERP customisation',
    });
    expect(hidden.result.__typename).toBe('NotFoundError');
    const set = await mutate(
      w.tokens.lead,
      'ticketResponsibilityDomainSet',
      {
        id: ticket.id,
        version: assigned.data!.ticketAssign.ticket.version,
        domain: 'app-config',
        reason: 'Order entry fails after the ERP customisation',
      },
      'ticket { id }',
    );
    expectNoErrors(set);
    expect(set.result.__typename).toBe('TicketResponsibilityDomainSetPayload');
    ticket = await read(ticket.id);
    expect(ticket.ownership).toMatchObject({
      owner: 'SHARED',
      domain: { key: 'app-config' },
      domainSource: 'EXPLICIT',
      routing: {
        action: 'VENDOR_AND_INTERNAL_TEAM',
        groupApplied: false,
        internalGroup: { key: 'application-support' },
      },
    });
    expect(ticket.resolverGroup).toEqual({ key: 'service-desk' });
    expect(ticket.ownership.explanation).toContain('routing had already assigned service-desk; that stands');
    const unknown = await mutate(w.tokens.lead, 'ticketResponsibilityDomainSet', {
      id: ticket.id,
      version: ticket.version,
      domain: 'no-such-domain',
      reason: 'A typo in the key',
    });
    expect(unknown.result.__typename).toBe('NotFoundError');
  });
});

describe('authorization per role', () => {
  const roles = ['acme', 'agent', 'lead', 'manager', 'admin', 'governance'] as const;
  type RoleName = (typeof roles)[number];

  const cases: { name: string; input: Record<string, unknown>; allowed: RoleName[] }[] = [
    { name: 'responsibilityDomainCreate', input: { key: 'x', name: 'X' }, allowed: ['admin', 'governance'] },
    {
      name: 'responsibilityDomainUpdate',
      input: { key: 'no-such-domain', name: 'Nothing' },
      allowed: ['admin', 'governance'],
    },
    {
      name: 'responsibilityRoleGroupsSet',
      input: { role: 'GOVERNANCE_RISK', groupIds: [gid('ResolverGroup', '00000000-0000-4000-8000-000000000000')] },
      allowed: ['admin'],
    },
    { name: 'responsibilityMatrixDraftCreate', input: { summary: 'x' }, allowed: ['admin', 'governance'] },
    { name: 'responsibilityMatrixDraftUpdate', input: { version: 9999 }, allowed: ['admin', 'governance'] },
    {
      name: 'responsibilityMatrixApprove',
      input: { version: 9999, comment: 'fine' },
      allowed: ['admin', 'governance'],
    },
    { name: 'responsibilityMatrixReject', input: { version: 9999, comment: 'no' }, allowed: ['admin', 'governance'] },
    { name: 'responsibilityMatrixPublish', input: { version: 9999 }, allowed: ['admin', 'governance'] },
    {
      name: 'responsibilityReviewReasonRecord',
      input: { kind: 'AUDIT_LESSON', detail: 'x' },
      allowed: ['admin', 'governance'],
    },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.allowed.join(' and ')} only`, async () => {
      for (const role of roles) {
        const res = await t.gql(
          `mutation ($input: ${c.name[0]!.toUpperCase()}${c.name.slice(1)}Input!) { ${c.name}(input: $input) { __typename } }`,
          { input: c.input },
          { token: (w.tokens as Record<string, string>)[role]! },
        );
        if (c.allowed.includes(role)) {
          expect(res.errors, `${c.name} as ${role}: ${JSON.stringify(res.errors)}`).toBeUndefined();
          expect(res.data![c.name].__typename, `${c.name} as ${role}`).toMatch(/Error$/);
        } else {
          expectForbidden(res, `${c.name} as ${role}`);
        }
      }
    });
  }

  it('ticketResponsibilityDomainSet: staff only', async () => {
    const created = await t.gql(
      `mutation { ticketCreate(input: { title: "Role check", description: "A ticket to check who may set its domain.", class: INCIDENT, impact: LOW, urgency: LOW }) { ... on TicketCreatePayload { ticket { id version } } } }`,
      {},
      { token: w.tokens.acme },
    );
    const { id, version } = created.data!.ticketCreate.ticket;
    for (const role of roles) {
      const res = await mutate((w.tokens as Record<string, string>)[role]!, 'ticketResponsibilityDomainSet', {
        id,
        version: version + 1000,
        domain: 'app-config',
        reason: 'authorization check',
      });
      if (role === 'acme') expectForbidden(res, role);
      else expect(res.result.__typename, role).toBe('ConflictError');
    }
  });

  it('admins map roles to groups, which grants (and revokes) the governance role', async () => {
    const res = await t.gql(
      `mutation ($input: ResponsibilityRoleGroupsSetInput!) { responsibilityRoleGroupsSet(input: $input) { ${RESULT} ... on ResponsibilityRole { role groups { key } primaryGroup { key } } } }`,
      { input: { role: 'GOVERNANCE_RISK', groupIds: [w.groups['security'].gid, w.groups['service-delivery'].gid] } },
      { token: w.tokens.admin },
    );
    expectNoErrors(res);
    expect(res.data!.responsibilityRoleGroupsSet).toMatchObject({
      groups: [{ key: 'security' }, { key: 'service-delivery' }],
      primaryGroup: { key: 'security' },
    });
    const can = async (token: string) =>
      (await t.gql(`{ responsibilityViewerCanGovern }`, {}, { token })).data!.responsibilityViewerCanGovern;
    expect(await can(w.tokens.security)).toBe(true);
    await t.gql(
      `mutation ($input: ResponsibilityRoleGroupsSetInput!) { responsibilityRoleGroupsSet(input: $input) { __typename } }`,
      { input: { role: 'GOVERNANCE_RISK', groupIds: [w.groups['service-delivery'].gid] } },
      { token: w.tokens.admin },
    );
    expect(await can(w.tokens.security)).toBe(false);
  });
});
