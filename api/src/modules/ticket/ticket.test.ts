import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, createUser, createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;
let serviceId: string;
let lowServiceId: string;
let groupId: string;
let otherGroupId: string;
let groupAgentToken: string;
let groupAgent: Awaited<ReturnType<typeof createUser>>;
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
  const svc = await t.prisma.service.create({
    data: { key: 'erp-t', name: 'ERP', criticality: 'CRITICAL', serviceModel: 'PAAS' },
  });
  const low = await t.prisma.service.create({
    data: { key: 'wiki-t', name: 'Wiki', criticality: 'LOW', serviceModel: 'SAAS' },
  });
  serviceId = gid('Service', svc.id);
  lowServiceId = gid('Service', low.id);
  const group = await t.prisma.resolverGroup.create({ data: { key: 'apps-t', name: 'Application Support' } });
  const other = await t.prisma.resolverGroup.create({ data: { key: 'net-t', name: 'Network Operations' } });
  groupId = gid('ResolverGroup', group.id);
  otherGroupId = gid('ResolverGroup', other.id);
  groupAgent = await createUser(t.prisma, world.provider.id, 'AGENT');
  await t.prisma.resolverGroupMember.create({ data: { groupId: group.id, userId: groupAgent.id } });
  groupAgentToken = (await createToken(t.prisma, groupAgent)).secret;
});
afterAll(() => t?.stop());

const TICKET_FIELDS = `id number numbers class status priority priorityReason priorityMatrixVersion version missingInformation
  resolutionCode firstResponseAt resolvedAt closedAt reopenCount allowedTransitions
  entries { kind internal body } closureChecklist { rule satisfied detail }`;
const BASE = `__typename
  ... on Error { message }
  ... on ValidationError { fieldErrors { path message } }`;
const RESULT = `${BASE}
  ... on ConflictError { currentVersion }
  ... on InvalidTransitionError { from to allowed }`;
const CREATE_RESULT = `${BASE} ... on IdempotencyKeyReusedError { existingTicketNumber }`;
const CLOSE_RESULT = `${RESULT} ... on ClosureRulesUnmetError { checklist { rule satisfied detail } }`;

async function create(token: string, input: Record<string, unknown> = {}) {
  const res = await t.gql(
    `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ${CREATE_RESULT} ... on TicketCreatePayload { replayed ticket { ${TICKET_FIELDS} } } } }`,
    {
      input: {
        title: 'ERP order entry fails',
        description: 'Every order save fails with error 503 since 07:40.',
        class: 'INCIDENT',
        impact: 'MEDIUM',
        urgency: 'MEDIUM',
        serviceId,
        ...input,
      },
    },
    { token },
  );
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.ticketCreate;
}

async function mutate(
  name: string,
  inputType: string,
  input: Record<string, unknown>,
  token: string,
  select = TICKET_FIELDS,
) {
  const res = await t.gql(
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${name === 'ticketClose' ? CLOSE_RESULT : RESULT} ... on TicketPayload { ticket { ${select} } } } }`,
    { input },
    { token },
  );
  return { result: res.data?.[name], errors: res.errors };
}

async function current(id: string) {
  const res = await t.gql(
    `query ($id: ID!) { ticket(id: $id) { ${TICKET_FIELDS} } }`,
    { id },
    { token: world.tokens.admin },
  );
  return res.data!.ticket;
}

describe('intake', () => {
  it('numbers tickets per class, computes priority with service criticality, and audits creation', async () => {
    const a = (await create(world.tokens.acme)).ticket;
    const b = (await create(world.tokens.acme)).ticket;
    expect(a.number).toMatch(/^INC-\d{6}$/);
    expect(Number(b.number.slice(4))).toBe(Number(a.number.slice(4)) + 1);
    expect(a.priority).toBe('P2');
    expect(a.priorityReason).toBe('impact MEDIUM × urgency MEDIUM → P3; service criticality CRITICAL (-1) → P2');
    const req = (await create(world.tokens.acme, { class: 'SERVICE_REQUEST', serviceId: lowServiceId })).ticket;
    expect(req.number).toMatch(/^REQ-/);
    expect(req.priority).toBe('P4');
    const audit = await t.gql(
      `query ($id: ID!) { ticket(id: $id) { audit { seq action } auditVerification { valid entries } } }`,
      { id: a.id },
      { token: world.tokens.admin },
    );
    expect(audit.data?.ticket.audit[0]).toEqual({ seq: 1, action: 'created' });
    expect(audit.data?.ticket.auditVerification).toEqual({ valid: true, entries: 1 });
  });

  it('verifies information and can wait for the customer at once', async () => {
    const res = await create(world.tokens.acme, {
      description: 'broken',
      serviceId: null,
      awaitMissingInformation: true,
    });
    expect(res.ticket.status).toBe('PENDING_CUSTOMER');
    expect(res.ticket.missingInformation).toEqual(['affected service', 'a description of at least 20 characters']);
    expect(res.ticket.entries[0]).toMatchObject({ kind: 'INFORMATION_REQUEST', internal: false });
  });

  it('is idempotent by key: same request → same ticket; different request → typed error; nothing duplicated', async () => {
    const key = `retry-${Date.now()}`;
    const first = await create(world.tokens.acme, { idempotencyKey: key });
    const again = await create(world.tokens.acme, { idempotencyKey: key });
    expect(again.replayed).toBe(true);
    expect(again.ticket.id).toBe(first.ticket.id);
    const different = await create(world.tokens.acme, { idempotencyKey: key, title: 'Something else entirely' });
    expect(different.__typename).toBe('IdempotencyKeyReusedError');
    expect(different.existingTicketNumber).toBe(first.ticket.number);
    const racing = `race-${Date.now()}`;
    const results = await Promise.all([1, 2, 3].map(() => create(world.tokens.acme, { idempotencyKey: racing })));
    expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
    expect(await t.prisma.ticket.count({ where: { idempotencyKey: racing } })).toBe(1);
  });

  it('rejects bad input with a typed error and writes nothing', async () => {
    const before = await t.prisma.ticket.count();
    const res = await create(world.tokens.acme, { title: 'x' });
    expect(res.__typename).toBe('ValidationError');
    expect(res.fieldErrors[0].path).toEqual(['input', 'title']);
    expect((await create(world.tokens.acme, { channel: 'PHONE' })).__typename).toBe('ValidationError');
    expect(await t.prisma.ticket.count()).toBe(before);
  });

  it('lets staff log for a customer, never a customer for someone else', async () => {
    const byAgent = await create(world.tokens.agent, {
      requesterId: gid('User', world.users.globexCustomer.id),
      channel: 'PHONE',
    });
    expect(byAgent.__typename).toBe('TicketCreatePayload');
    const t2 = await t.prisma.ticket.findFirstOrThrow({ where: { number: byAgent.ticket.number } });
    expect(t2.organizationId).toBe(world.globex.id);
    expect(t2.channel).toBe('PHONE');
    const res = await t.gql(
      'mutation ($i: TicketCreateInput!) { ticketCreate(input: $i) { __typename } }',
      {
        i: {
          title: 'On behalf',
          description: 'Trying to open a ticket for another customer',
          class: 'OTHER',
          impact: 'LOW',
          urgency: 'LOW',
          requesterId: gid('User', world.users.globexCustomer.id),
        },
      },
      { token: world.tokens.acme },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('workflow', () => {
  it('walks NEW → ASSIGNED → IN_PROGRESS ⇄ PENDING_* → RESOLVED → CLOSED, refusing illegal moves with the allowed list', async () => {
    let tk = (await create(world.tokens.acme)).ticket;
    const illegal = await mutate(
      'ticketTransition',
      'TicketTransitionInput',
      { id: tk.id, version: tk.version, to: 'PENDING_VENDOR' },
      world.tokens.agent,
    );
    expect(illegal.result).toMatchObject({ __typename: 'InvalidTransitionError', from: 'NEW', to: 'PENDING_VENDOR' });
    expect(illegal.result.allowed).toEqual(['ASSIGNED', 'IN_PROGRESS', 'PENDING_CUSTOMER', 'RESOLVED', 'CANCELLED']);
    const noOwner = await mutate(
      'ticketTransition',
      'TicketTransitionInput',
      { id: tk.id, version: tk.version, to: 'ASSIGNED' },
      world.tokens.agent,
    );
    expect(noOwner.result.__typename).toBe('InvalidTransitionError');

    const assigned = await mutate(
      'ticketAssign',
      'TicketAssignInput',
      {
        id: tk.id,
        version: tk.version,
        resolverGroupId: groupId,
        assigneeId: gid('User', groupAgent.id),
        reason: 'apps',
      },
      world.tokens.lead,
    );
    expect(assigned.result?.__typename, JSON.stringify(assigned)).toBe('TicketPayload');
    tk = assigned.result.ticket;
    expect(tk.status).toBe('ASSIGNED');
    for (const to of ['IN_PROGRESS', 'PENDING_VENDOR', 'IN_PROGRESS', 'PENDING_CUSTOMER', 'IN_PROGRESS']) {
      const step = await mutate(
        'ticketTransition',
        'TicketTransitionInput',
        { id: tk.id, version: tk.version, to },
        groupAgentToken,
      );
      expect(step.result.__typename, JSON.stringify(step)).toBe('TicketPayload');
      tk = step.result.ticket;
      expect(tk.status).toBe(to);
    }
    const viaTransition = await mutate(
      'ticketTransition',
      'TicketTransitionInput',
      { id: tk.id, version: tk.version, to: 'RESOLVED' },
      groupAgentToken,
    );
    expect(viaTransition.result.__typename).toBe('ValidationError');
    tk = (
      await mutate(
        'ticketResolve',
        'TicketResolveInput',
        {
          id: tk.id,
          version: tk.version,
          resolutionCode: 'FIXED',
          resolutionNotes: 'Restarted the order service and cleared the queue.',
        },
        groupAgentToken,
      )
    ).result.ticket;
    expect(tk.status).toBe('RESOLVED');
    expect(tk.entries.at(-1)).toMatchObject({ kind: 'RESOLUTION_NOTICE', internal: false });
    const confirmed = await mutate(
      'ticketRespondToResolution',
      'TicketResolutionResponseInput',
      { id: tk.id, version: tk.version, accept: true },
      world.tokens.acme,
    );
    expect(confirmed.result?.__typename, JSON.stringify(confirmed)).toBe('TicketPayload');
    tk = confirmed.result.ticket;
    tk = (await mutate('ticketClose', 'TicketCloseInput', { id: tk.id, version: tk.version }, groupAgentToken)).result
      .ticket;
    expect(tk.status).toBe('CLOSED');
    expect(tk.closedAt).toBeTruthy();
    const after = await mutate(
      'ticketTransition',
      'TicketTransitionInput',
      { id: tk.id, version: tk.version, to: 'CANCELLED', reason: 'x' },
      world.tokens.admin,
    );
    expect(after.result).toMatchObject({ __typename: 'InvalidTransitionError', allowed: ['IN_PROGRESS'] });
  });

  it('lets the requester cancel with a reason; CANCELLED is final', async () => {
    let tk = (await create(world.tokens.acme)).ticket;
    const noReason = await mutate(
      'ticketTransition',
      'TicketTransitionInput',
      { id: tk.id, version: tk.version, to: 'CANCELLED' },
      world.tokens.acme,
    );
    expect(noReason.result.__typename).toBe('ValidationError');
    tk = (
      await mutate(
        'ticketTransition',
        'TicketTransitionInput',
        { id: tk.id, version: tk.version, to: 'CANCELLED', reason: 'solved itself' },
        world.tokens.acme,
      )
    ).result.ticket;
    expect(tk.status).toBe('CANCELLED');
    expect(tk.allowedTransitions).toEqual([]);
  });

  it('returns a customer reply on a ticket waiting for them to IN_PROGRESS', async () => {
    let tk = (await create(world.tokens.acme)).ticket;
    tk = (
      await mutate(
        'ticketRequestInformation',
        'TicketRequestInformationInput',
        { id: tk.id, version: tk.version, body: 'Which plant are you in?' },
        world.tokens.agent,
      )
    ).result.ticket;
    expect(tk.status).toBe('PENDING_CUSTOMER');
    expect(tk.firstResponseAt).toBeTruthy();
    tk = (
      await mutate(
        'ticketAddEntry',
        'TicketAddEntryInput',
        { id: tk.id, version: tk.version, kind: 'PUBLIC_REPLY', body: 'Turin plant' },
        world.tokens.acme,
      )
    ).result.ticket;
    expect(tk.status).toBe('IN_PROGRESS');
  });
});

describe('closure rules', () => {
  async function resolved(notify = true) {
    let tk = (await create(world.tokens.acme)).ticket;
    tk = (
      await mutate(
        'ticketResolve',
        'TicketResolveInput',
        {
          id: tk.id,
          version: tk.version,
          resolutionCode: 'FIXED',
          resolutionNotes: 'Patched the gateway firmware.',
          notifyCustomer: notify,
        },
        world.tokens.agent,
      )
    ).result.ticket;
    return tk;
  }
  const rules = (checklist: { rule: string; satisfied: boolean }[]) =>
    Object.fromEntries(checklist.map((i) => [i.rule, i.satisfied]));

  it('refuses to close until the customer is informed and the solution validated, listing what is missing', async () => {
    const tk = await resolved(false);
    const res = await mutate('ticketClose', 'TicketCloseInput', { id: tk.id, version: tk.version }, world.tokens.agent);
    expect(res.result.__typename).toBe('ClosureRulesUnmetError');
    expect(rules(res.result.checklist)).toEqual({
      RESOLVED: true,
      DOCUMENTED: true,
      CUSTOMER_INFORMED: false,
      SOLUTION_VALIDATED: false,
      LINKED_TICKETS_UPDATED: true,
    });
    expect((await current(tk.id)).status).toBe('RESOLVED');
  });

  it('counts a resolution as validated after the auto-close period without rejection', async () => {
    const tk = await resolved(true);
    await t.prisma.ticket.update({
      where: { id: Buffer.from(tk.id, 'base64').toString().split(':')[1]! },
      data: { resolvedAt: new Date(Date.now() - 8 * 86_400_000) },
    });
    await t.prisma.ticketEntry.updateMany({
      where: { ticket: { number: tk.number } },
      data: { createdAt: new Date(Date.now() - 8 * 86_400_000 + 1000) },
    });
    const fresh = await current(tk.id);
    expect(rules(fresh.closureChecklist).SOLUTION_VALIDATED).toBe(true);
    const closed = await mutate(
      'ticketClose',
      'TicketCloseInput',
      { id: fresh.id, version: fresh.version },
      world.tokens.agent,
    );
    expect(closed.result.ticket.status).toBe('CLOSED');
  });

  it('rejection sends the ticket back to work and counts a reopen', async () => {
    const tk = await resolved(true);
    const rejected = await mutate(
      'ticketRespondToResolution',
      'TicketResolutionResponseInput',
      { id: tk.id, version: tk.version, accept: false, comment: 'Still failing in Milan' },
      world.tokens.acme,
    );
    expect(rejected.result.ticket).toMatchObject({ status: 'IN_PROGRESS', reopenCount: 1, resolvedAt: null });
  });

  it('requires children resolved and linked tickets updated; resolving a parent can cascade', async () => {
    const parent = (await create(world.tokens.acme)).ticket;
    const child = (await create(world.tokens.acme)).ticket;
    const related = (await create(world.tokens.acme)).ticket;
    let p = (
      await mutate(
        'ticketLink',
        'TicketLinkInput',
        { id: parent.id, version: parent.version, kind: 'PARENT_OF', targetId: child.id },
        world.tokens.agent,
      )
    ).result.ticket;
    p = (
      await mutate(
        'ticketLink',
        'TicketLinkInput',
        { id: p.id, version: p.version, kind: 'RELATED_TO', targetId: related.id },
        world.tokens.agent,
      )
    ).result.ticket;
    const cycle = await mutate(
      'ticketLink',
      'TicketLinkInput',
      { id: child.id, version: (await current(child.id)).version, kind: 'PARENT_OF', targetId: parent.id },
      world.tokens.agent,
    );
    expect(cycle.result.__typename).toBe('ValidationError');

    p = (
      await mutate(
        'ticketResolve',
        'TicketResolveInput',
        {
          id: p.id,
          version: p.version,
          resolutionCode: 'FIXED',
          resolutionNotes: 'Core switch replaced in Turin.',
          cascadeToChildren: false,
        },
        world.tokens.agent,
      )
    ).result.ticket;
    p = (
      await mutate(
        'ticketRespondToResolution',
        'TicketResolutionResponseInput',
        { id: p.id, version: p.version, accept: true },
        world.tokens.acme,
      )
    ).result.ticket;
    expect(rules(p.closureChecklist).LINKED_TICKETS_UPDATED).toBe(false);
    expect(p.closureChecklist.find((i: { rule: string }) => i.rule === 'LINKED_TICKETS_UPDATED').detail).toMatch(
      /child INC-\d+ is still NEW/,
    );
    const rel = await current(related.id);
    expect(rel.entries.at(-1)).toMatchObject({ kind: 'PROGRESS_UPDATE', internal: true });

    const c = await current(child.id);
    await mutate(
      'ticketResolve',
      'TicketResolveInput',
      { id: c.id, version: c.version, resolutionCode: 'FIXED', resolutionNotes: 'Fixed with the parent incident.' },
      world.tokens.agent,
    );
    const closed = await mutate(
      'ticketClose',
      'TicketCloseInput',
      { id: p.id, version: (await current(p.id)).version },
      world.tokens.agent,
    );
    expect(closed.result.__typename, JSON.stringify(closed.result)).toBe('TicketPayload');

    const parent2 = (await create(world.tokens.acme)).ticket;
    const child2 = (await create(world.tokens.acme)).ticket;
    const p2 = (
      await mutate(
        'ticketLink',
        'TicketLinkInput',
        { id: parent2.id, version: parent2.version, kind: 'PARENT_OF', targetId: child2.id },
        world.tokens.agent,
      )
    ).result.ticket;
    await mutate(
      'ticketResolve',
      'TicketResolveInput',
      {
        id: p2.id,
        version: p2.version,
        resolutionCode: 'FIXED',
        resolutionNotes: 'Cascade this resolution.',
        cascadeToChildren: true,
      },
      world.tokens.agent,
    );
    const c2 = await current(child2.id);
    expect(c2.status).toBe('RESOLVED');
    expect(
      c2.entries.some((e: { kind: string; internal: boolean }) => e.kind === 'RESOLUTION_NOTICE' && !e.internal),
    ).toBe(true);
  });

  it('marks a duplicate: resolved, linked, and the requester pointed to the original', async () => {
    const original = (await create(world.tokens.acme)).ticket;
    const dup = (await create(world.tokens.acme)).ticket;
    const res = await mutate(
      'ticketMarkDuplicate',
      'TicketMarkDuplicateInput',
      { id: dup.id, version: dup.version, originalId: original.id },
      world.tokens.agent,
    );
    expect(res.result.ticket.status).toBe('RESOLVED');
    expect(res.result.ticket.resolutionCode).toBe('DUPLICATE');
    const notice = res.result.ticket.entries.find((e: { kind: string }) => e.kind === 'RESOLUTION_NOTICE');
    expect(notice.body).toContain(original.number);
  });
});

describe('reopen', () => {
  async function closedTicket() {
    let tk = (await create(world.tokens.acme)).ticket;
    tk = (
      await mutate(
        'ticketResolve',
        'TicketResolveInput',
        { id: tk.id, version: tk.version, resolutionCode: 'FIXED', resolutionNotes: 'Replaced the failed disk.' },
        world.tokens.agent,
      )
    ).result.ticket;
    tk = (
      await mutate(
        'ticketRespondToResolution',
        'TicketResolutionResponseInput',
        { id: tk.id, version: tk.version, accept: true },
        world.tokens.acme,
      )
    ).result.ticket;
    return (await mutate('ticketClose', 'TicketCloseInput', { id: tk.id, version: tk.version }, world.tokens.agent))
      .result.ticket;
  }
  const REOPEN = `mutation ($input: TicketReopenInput!) { ticketReopen(input: $input) { ${RESULT} ... on TicketReopenPayload { ticket { number status reopenCount } newTicket { number status } } } }`;

  it('reopens a closed ticket within the window', async () => {
    const tk = await closedTicket();
    const res = await t.gql(
      REOPEN,
      { input: { id: tk.id, version: tk.version, reason: 'It failed again this morning' } },
      { token: world.tokens.acme },
    );
    expect(res.data?.ticketReopen.ticket).toMatchObject({ status: 'IN_PROGRESS', reopenCount: 1 });
    expect(res.data?.ticketReopen.newTicket).toBeNull();
  });

  it('past the window, opens a new linked ticket and leaves the old one closed', async () => {
    const tk = await closedTicket();
    const raw = Buffer.from(tk.id, 'base64').toString().split(':')[1]!;
    await t.prisma.ticket.update({ where: { id: raw }, data: { closedAt: new Date(Date.now() - 30 * 86_400_000) } });
    const res = await t.gql(
      REOPEN,
      { input: { id: tk.id, version: tk.version, reason: 'The disk failed again' } },
      { token: world.tokens.acme },
    );
    expect(res.data?.ticketReopen.ticket.status).toBe('CLOSED');
    expect(res.data?.ticketReopen.newTicket.status).toBe('NEW');
    const link = await t.prisma.ticketLink.findFirst({ where: { toId: raw, kind: 'RELATED_TO' } });
    expect(link).toBeTruthy();
  });
});

describe('classification, priority override and renumbering', () => {
  it('renumbers on class change while the old number keeps resolving', async () => {
    const tk = (await create(world.tokens.acme)).ticket;
    const res = await mutate(
      'ticketUpdate',
      'TicketUpdateInput',
      { id: tk.id, version: tk.version, class: 'SERVICE_REQUEST', reason: 'not a disruption' },
      world.tokens.agent,
    );
    expect(res.result.ticket.number).toMatch(/^REQ-/);
    expect(res.result.ticket.numbers).toEqual([tk.number, res.result.ticket.number]);
    const byOld = await t.gql(
      'query ($n: String!) { ticketByNumber(number: $n) { number } }',
      { n: tk.number },
      { token: world.tokens.acme },
    );
    expect(byOld.data?.ticketByNumber.number).toBe(res.result.ticket.number);
  });

  it('recomputes priority on impact change, and an override needs a reason and sticks', async () => {
    let tk = (await create(world.tokens.acme)).ticket;
    tk = (
      await mutate(
        'ticketUpdate',
        'TicketUpdateInput',
        { id: tk.id, version: tk.version, impact: 'HIGH', urgency: 'HIGH' },
        world.tokens.agent,
      )
    ).result.ticket;
    expect(tk.priority).toBe('P1');
    const noReason = await mutate(
      'ticketSetPriority',
      'TicketSetPriorityInput',
      { id: tk.id, version: tk.version, priority: 'P3' },
      world.tokens.agent,
    );
    expect(noReason.result.__typename).toBe('ValidationError');
    tk = (
      await mutate(
        'ticketSetPriority',
        'TicketSetPriorityInput',
        { id: tk.id, version: tk.version, priority: 'P3', reason: 'only a test system is affected' },
        world.tokens.agent,
      )
    ).result.ticket;
    expect(tk.priority).toBe('P3');
    tk = (
      await mutate(
        'ticketUpdate',
        'TicketUpdateInput',
        { id: tk.id, version: tk.version, urgency: 'LOW' },
        world.tokens.agent,
      )
    ).result.ticket;
    expect(tk.priority).toBe('P3');
    const audit = await t.prisma.auditEntry.findFirst({
      where: { ticket: { number: tk.number }, action: 'priority_overridden' },
    });
    expect(audit?.reason).toBe('only a test system is affected');
  });

  it('publishes new matrix versions to admins only and records the version a ticket used', async () => {
    const cells = ['HIGH', 'MEDIUM', 'LOW'].flatMap((impact) =>
      ['HIGH', 'MEDIUM', 'LOW'].map((urgency) => ({ impact, urgency, priority: 'P2' })),
    );
    const criticality = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].map((c) => ({ criticality: c, levels: 0 }));
    const M =
      'mutation ($input: PriorityMatrixUpdateInput!) { priorityMatrixUpdate(input: $input) { __typename ... on PriorityMatrix { version } ... on ValidationError { fieldErrors { path } } } }';
    const denied = await t.gql(
      M,
      { input: { cells, criticality, note: 'flatten for the test' } },
      { token: world.tokens.manager },
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await t.gql(
      M,
      { input: { cells: cells.slice(1), criticality, note: 'missing one cell' } },
      { token: world.tokens.admin },
    );
    expect(bad.data?.priorityMatrixUpdate.__typename).toBe('ValidationError');
    const ok = await t.gql(
      M,
      { input: { cells, criticality, note: 'flatten for the test' } },
      { token: world.tokens.admin },
    );
    expect(ok.data?.priorityMatrixUpdate.version).toBe(2);
    const tk = (await create(world.tokens.acme, { impact: 'LOW', urgency: 'LOW' })).ticket;
    expect(tk).toMatchObject({ priority: 'P2', priorityMatrixVersion: 2 });
    const versions = await t.gql('{ priorityMatrixVersions { version } }', {}, { token: world.tokens.acme });
    expect(versions.data?.priorityMatrixVersions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    // restore the default so later tests see ITIL priorities
    const restore = ['HIGH', 'MEDIUM', 'LOW'].flatMap((impact, i) =>
      ['HIGH', 'MEDIUM', 'LOW'].map((urgency, j) => ({ impact, urgency, priority: `P${i + j + 1}` })),
    );
    await t.gql(
      M,
      {
        input: {
          cells: restore,
          criticality: [
            { criticality: 'CRITICAL', levels: -1 },
            { criticality: 'HIGH', levels: 0 },
            { criticality: 'MEDIUM', levels: 0 },
            { criticality: 'LOW', levels: 1 },
          ],
          note: 'back to default',
        },
      },
      { token: world.tokens.admin },
    );
  });
});

describe('optimistic concurrency', () => {
  it('gives a stale version a ConflictError and never loses an update', async () => {
    const tk = (await create(world.tokens.acme)).ticket;
    const results = await Promise.all(
      ['first change wins', 'second change loses'].map((title) =>
        mutate('ticketUpdate', 'TicketUpdateInput', { id: tk.id, version: tk.version, title }, world.tokens.agent),
      ),
    );
    const kinds = results.map((r) => r.result.__typename).sort();
    expect(kinds).toEqual(['ConflictError', 'TicketPayload']);
    const winner = results.find((r) => r.result.__typename === 'TicketPayload')!;
    const loser = results.find((r) => r.result.__typename === 'ConflictError')!;
    expect(loser.result.currentVersion).toBe(tk.version + 1);
    const now = await t.prisma.ticket.findFirstOrThrow({ where: { number: tk.number } });
    expect(now.version).toBe(tk.version + 1);
    expect(winner.result.ticket.version).toBe(now.version);
  });
});

describe('audit trail', () => {
  it('chains every change and detects tampering', async () => {
    let tk = (await create(world.tokens.acme)).ticket;
    tk = (
      await mutate(
        'ticketUpdate',
        'TicketUpdateInput',
        { id: tk.id, version: tk.version, title: 'ERP order entry fails in Turin' },
        world.tokens.agent,
      )
    ).result.ticket;
    tk = (
      await mutate(
        'ticketAddEntry',
        'TicketAddEntryInput',
        { id: tk.id, version: tk.version, kind: 'INTERNAL_NOTE', body: 'Looking at the load balancer' },
        world.tokens.agent,
      )
    ).result.ticket;
    const Q =
      'query ($id: ID!) { ticket(id: $id) { audit { seq action field oldValue newValue } auditVerification { valid entries brokenAtSeq } } }';
    const ok = await t.gql(Q, { id: tk.id }, { token: world.tokens.admin });
    expect(ok.data?.ticket.auditVerification).toEqual({ valid: true, entries: 3, brokenAtSeq: null });
    expect(ok.data?.ticket.audit[1]).toMatchObject({
      action: 'field_changed',
      field: 'title',
      newValue: '"ERP order entry fails in Turin"',
    });
    const raw = Buffer.from(tk.id, 'base64').toString().split(':')[1]!;
    await t.prisma
      .$executeRaw`UPDATE "AuditEntry" SET "newValue" = '"ERP is fine"'::jsonb WHERE "ticketId" = ${raw}::uuid AND seq = 2`;
    const bad = await t.gql(Q, { id: tk.id }, { token: world.tokens.admin });
    expect(bad.data?.ticket.auditVerification).toEqual({ valid: false, entries: 3, brokenAtSeq: 2 });
    const cust = await t.gql(
      'query ($id: ID!) { ticket(id: $id) { audit { seq } } }',
      { id: tk.id },
      { token: world.tokens.acme },
    );
    expect(cust.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('appends every change to the durable event log in commit order', async () => {
    const tk = (await create(world.tokens.acme)).ticket;
    const raw = Buffer.from(tk.id, 'base64').toString().split(':')[1]!;
    await mutate(
      'ticketAddEntry',
      'TicketAddEntryInput',
      { id: tk.id, version: tk.version, kind: 'INTERNAL_NOTE', body: 'secret diagnosis' },
      world.tokens.agent,
    );
    const events = await t.prisma.event.findMany({ where: { ticketId: raw }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.type, e.internal])).toEqual([
      ['ticket.created', false],
      ['ticket.commented', true],
    ]);
  });
});

describe('visibility', () => {
  it('never shows internal notes to customers', async () => {
    let tk = (await create(world.tokens.acme)).ticket;
    tk = (
      await mutate(
        'ticketAddEntry',
        'TicketAddEntryInput',
        { id: tk.id, version: tk.version, kind: 'INTERNAL_NOTE', body: 'customer is wrong' },
        world.tokens.agent,
      )
    ).result.ticket;
    tk = (
      await mutate(
        'ticketAddEntry',
        'TicketAddEntryInput',
        { id: tk.id, version: tk.version, kind: 'VENDOR_REFERENCE', body: 'opened with vendor', vendorRef: 'SAP-123' },
        world.tokens.agent,
      )
    ).result.ticket;
    tk = (
      await mutate(
        'ticketAddEntry',
        'TicketAddEntryInput',
        { id: tk.id, version: tk.version, kind: 'PUBLIC_REPLY', body: 'Working on it' },
        world.tokens.agent,
      )
    ).result.ticket;
    const asCustomer = await t.gql(
      'query ($id: ID!) { ticket(id: $id) { entries { kind body } } }',
      { id: tk.id },
      { token: world.tokens.acme },
    );
    expect(asCustomer.data?.ticket.entries).toEqual([{ kind: 'PUBLIC_REPLY', body: 'Working on it' }]);
    const list = await t.gql(
      '{ tickets(first: 100) { edges { node { entries { internal body } } } } }',
      {},
      { token: world.tokens.acme },
    );
    expect(JSON.stringify(list.data)).not.toContain('customer is wrong');
    expect(JSON.stringify(list.data)).not.toContain('SAP-123');
    const staff = await t.gql(
      'query ($id: ID!) { ticket(id: $id) { entries { kind } } }',
      { id: tk.id },
      { token: world.tokens.agent },
    );
    expect(staff.data?.ticket.entries.map((e: { kind: string }) => e.kind)).toEqual([
      'INTERNAL_NOTE',
      'VENDOR_REFERENCE',
      'PUBLIC_REPLY',
    ]);
    const customerNote = await mutate(
      'ticketAddEntry',
      'TicketAddEntryInput',
      { id: tk.id, version: tk.version, kind: 'INTERNAL_NOTE', body: 'sneaky' },
      world.tokens.acme,
    );
    expect(customerNote.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('denies another organisation on ticket, node, tickets, ticketByNumber and every mutation', async () => {
    const tk = (await create(world.tokens.acme)).ticket;
    const byId = await t.gql(
      'query ($id: ID!) { ticket(id: $id) { number } }',
      { id: tk.id },
      { token: world.tokens.globex },
    );
    expect(byId.data?.ticket).toBeNull();
    const node = await t.gql(
      'query ($id: ID!) { node(id: $id) { id ... on Ticket { title } } }',
      { id: tk.id },
      { token: world.tokens.globex },
    );
    expect(node.data?.node ?? null).toBeNull();
    const byNumber = await t.gql(
      'query ($n: String!) { ticketByNumber(number: $n) { number } }',
      { n: tk.number },
      { token: world.tokens.globex },
    );
    expect(byNumber.data?.ticketByNumber).toBeNull();
    const list = await t.gql(
      '{ tickets(first: 100) { edges { node { number organization { id } } } } }',
      {},
      { token: world.tokens.globex },
    );
    expect(
      list.data?.tickets.edges.every(
        (e: { node: { organization: { id: string } } }) =>
          e.node.organization.id === gid('Organization', world.globex.id),
      ),
    ).toBe(true);
    expect(list.data?.tickets.edges.some((e: { node: { number: string } }) => e.node.number === tk.number)).toBe(false);

    const v = tk.version;
    const attempts: [string, string, Record<string, unknown>][] = [
      ['ticketUpdate', 'TicketUpdateInput', { id: tk.id, version: v, title: 'hijacked title' }],
      [
        'ticketSetPriority',
        'TicketSetPriorityInput',
        { id: tk.id, version: v, priority: 'P5', reason: 'because I can' },
      ],
      ['ticketTransition', 'TicketTransitionInput', { id: tk.id, version: v, to: 'CANCELLED', reason: 'hijack' }],
      ['ticketAddEntry', 'TicketAddEntryInput', { id: tk.id, version: v, kind: 'PUBLIC_REPLY', body: 'hijack' }],
      ['ticketRequestInformation', 'TicketRequestInformationInput', { id: tk.id, version: v, body: 'hijack please' }],
      ['ticketAssign', 'TicketAssignInput', { id: tk.id, version: v, resolverGroupId: otherGroupId }],
      [
        'ticketResolve',
        'TicketResolveInput',
        { id: tk.id, version: v, resolutionCode: 'FIXED', resolutionNotes: 'hijacked resolution' },
      ],
      ['ticketRespondToResolution', 'TicketResolutionResponseInput', { id: tk.id, version: v, accept: true }],
      ['ticketClose', 'TicketCloseInput', { id: tk.id, version: v }],
      ['ticketLink', 'TicketLinkInput', { id: tk.id, version: v, kind: 'RELATED_TO', targetId: tk.id }],
      ['ticketMarkDuplicate', 'TicketMarkDuplicateInput', { id: tk.id, version: v, originalId: tk.id }],
      [
        'ticketAddAttachment',
        'TicketAddAttachmentInput',
        { id: tk.id, version: v, filename: 'x.txt', contentType: 'text/plain', contentBase64: 'aGk=' },
      ],
    ];
    for (const [name, type, input] of attempts) {
      const res = await mutate(name, type, input, world.tokens.globex, 'number');
      const denied =
        res.result?.__typename === 'NotFoundError' ||
        res.result?.__typename === 'ValidationError' ||
        res.errors?.[0]?.extensions?.code === 'FORBIDDEN';
      expect(denied, `${name}: ${JSON.stringify(res)}`).toBe(true);
    }
    const reopen = await t.gql(
      'mutation ($i: TicketReopenInput!) { ticketReopen(input: $i) { __typename } }',
      { i: { id: tk.id, version: v, reason: 'hijack attempt' } },
      { token: world.tokens.globex },
    );
    expect(reopen.data?.ticketReopen.__typename).toBe('NotFoundError');
    const after = await t.prisma.ticket.findFirstOrThrow({ where: { number: tk.number } });
    expect(after.version).toBe(v);
    expect(after.title).toBe('ERP order entry fails');
  });

  it('shows an agent only their groups’, their own and unrouted tickets; leads see all', async () => {
    const tk = (await create(world.tokens.acme)).ticket;
    await mutate(
      'ticketAssign',
      'TicketAssignInput',
      { id: tk.id, version: tk.version, resolverGroupId: otherGroupId },
      world.tokens.admin,
    );
    const agentView = await t.gql(
      'query ($id: ID!) { ticket(id: $id) { number } }',
      { id: tk.id },
      { token: groupAgentToken },
    );
    expect(agentView.data?.ticket).toBeNull();
    const leadView = await t.gql(
      'query ($id: ID!) { ticket(id: $id) { number } }',
      { id: tk.id },
      { token: world.tokens.lead },
    );
    expect(leadView.data?.ticket.number).toBe(tk.number);
  });

  it('requires the tickets:write scope to change anything', async () => {
    const { secret } = await createToken(t.prisma, world.users.acmeCustomer, ['tickets:read']);
    const res = await t.gql(
      'mutation ($i: TicketCreateInput!) { ticketCreate(input: $i) { __typename } }',
      {
        i: {
          title: 'Read-only token',
          description: 'This should be refused by scope checks',
          class: 'OTHER',
          impact: 'LOW',
          urgency: 'LOW',
        },
      },
      { token: secret },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('listing', () => {
  it('lists 25 tickets with requester, group, assignee and service in at most 3 SQL statements', async () => {
    for (let i = 0; i < 25; i += 1) {
      const tk = (await create(world.tokens.acme)).ticket;
      await mutate(
        'ticketAssign',
        'TicketAssignInput',
        { id: tk.id, version: tk.version, resolverGroupId: groupId, assigneeId: gid('User', groupAgent.id) },
        world.tokens.admin,
      );
    }
    const Q =
      '{ tickets(first: 25) { edges { node { number requester { name } resolverGroup { name } assignee { name } service { name } } } } }';
    await t.gql(Q, {}, { token: world.tokens.admin }); // warm: token touch, caches
    // Background loops (event dispatch, SLA timers) also query; they only ever add, so the least of a few runs is
    // the request's own count.
    let statements = Number.POSITIVE_INFINITY;
    let res = await t.gql(Q, {}, { token: world.tokens.admin });
    for (let run = 0; run < 5; run += 1) {
      const before = t.app.database().queryCount();
      res = await t.gql(Q, {}, { token: world.tokens.admin });
      statements = Math.min(statements, t.app.database().queryCount() - before);
    }
    expect(res.data?.tickets.edges).toHaveLength(25);
    expect(res.data?.tickets.edges[0].node.assignee.name).toBe(groupAgent.name);
    expect(statements).toBeLessThanOrEqual(3);
  });

  it('filters by status, priority and search, and pages with cursors', async () => {
    const marker = `zebra${Date.now()}`;
    for (let i = 0; i < 3; i += 1)
      await create(world.tokens.globex, {
        title: `Printer ${marker} ${i}`,
        impact: 'LOW',
        urgency: 'LOW',
        serviceId: null,
      });
    const Q =
      'query ($f: TicketFilter, $after: String) { tickets(first: 2, after: $after, filter: $f) { edges { node { title priority } } pageInfo { hasNextPage endCursor } } }';
    const page1 = await t.gql(
      Q,
      { f: { search: marker, priority: ['P5'], status: ['NEW'] } },
      { token: world.tokens.agent },
    );
    expect(page1.data?.tickets.edges).toHaveLength(2);
    expect(page1.data?.tickets.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql(
      Q,
      { f: { search: marker }, after: page1.data?.tickets.pageInfo.endCursor },
      { token: world.tokens.agent },
    );
    expect(page2.data?.tickets.edges).toHaveLength(1);
    while ((await t.prisma.ticket.count()) <= 100) await create(world.tokens.globex, { serviceId: null });
    const big = await t.gql('{ tickets(first: 500) { edges { node { id } } } }', {}, { token: world.tokens.admin });
    expect(big.data?.tickets.edges.length).toBe(100);
  });
});
