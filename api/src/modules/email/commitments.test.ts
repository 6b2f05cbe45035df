// Response-time commitments: the acknowledgement quotes the SLA's due times, and high-priority tickets get status
// updates at the cadence of the SLA's next-update target (a reminder to the assignee, or an automatic update).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { seedSla } from '../sla/seed.js';
import { slaDueTimes } from './sla.js';
import { formatWhen } from './templates.js';
import { statusUpdateCadence } from './worker.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const raw = (id: string) => Buffer.from(id, 'base64').toString().split(':')[1]!;

beforeAll(async () => {
  t = await startTestApp({ MAIL_FROM: 'ITSM Service Desk <desk@itsm.test>' });
  world = await createWorld(t.prisma);
  await seedSla(t.prisma);
});
afterAll(() => t?.stop());

async function p1(title: string) {
  const res = await t.gql(
    'mutation ($i: TicketCreateInput!) { ticketCreate(input: $i) { ... on TicketCreatePayload { ticket { id version } } } }',
    {
      i: {
        title,
        description: 'Every user of the plant is affected since 07:40; production is stopped.',
        class: 'INCIDENT',
        impact: 'HIGH',
        urgency: 'HIGH',
      },
    },
    { token: world.tokens.acme },
  );
  const ticket = res.data!.ticketCreate.ticket;
  const assigned = await t.gql(
    'mutation ($i: TicketAssignInput!) { ticketAssign(input: $i) { __typename } }',
    { i: { id: ticket.id, version: ticket.version, assigneeId: gid('User', world.users.agent.id) } },
    { token: world.tokens.admin },
  );
  expect(assigned.data?.ticketAssign.__typename).toBe('TicketPayload');
  return t.prisma.ticket.findUniqueOrThrow({ where: { id: raw(ticket.id) } });
}

describe('response-time commitments', () => {
  it('the acknowledgement quotes the SLA first-response and resolution due times', async () => {
    const ticket = await p1('Plant ERP down');
    const due = await slaDueTimes(t.prisma, ticket.id);
    expect(due.firstResponseDue).not.toBeNull();
    const ack = await t.prisma.outboxMessage.findFirstOrThrow({
      where: { ticketId: ticket.id, kind: 'ACKNOWLEDGEMENT' },
    });
    expect(ack.text).toContain(`a first response by ${formatWhen(due.firstResponseDue)}`);
    expect(ack.text).toContain(`resolution targeted by ${formatWhen(due.resolutionDue)}`);
    // Within seconds of intake: it is written in the creating transaction.
    expect(ack.createdAt.getTime()).toBe(ticket.createdAt.getTime());
  });

  it('reminds the assignee shortly before a P1 status update is due, once per cycle', async () => {
    const ticket = await p1('Plant MES down');
    const deps = {
      prisma: t.prisma,
      log: t.app.log,
      config: { ...t.app.config.mail, statusUpdates: 'reminder' as const },
    };
    expect(await statusUpdateCadence({ ...deps, clock: { now: () => new Date() } })).toBe(0);
    const soon = { now: () => new Date(Date.now() + 55 * 60_000) };
    expect(await statusUpdateCadence({ ...deps, clock: soon })).toBeGreaterThanOrEqual(1);
    const reminders = await t.prisma.outboxMessage.findMany({
      where: { ticketId: ticket.id, kind: 'UPDATE_REMINDER' },
    });
    expect(reminders.map((r) => r.toAddress)).toEqual([world.users.agent.email]);
    expect(reminders[0]!.subject).toBe(`[${ticket.number}] Status update due: Plant MES down`);
    await statusUpdateCadence({ ...deps, clock: soon });
    expect(await t.prisma.outboxMessage.count({ where: { ticketId: ticket.id, kind: 'UPDATE_REMINDER' } })).toBe(1);
  });

  it('or, when configured, writes an automatic progress update that is mailed to the customer', async () => {
    const ticket = await p1('Plant WMS down');
    const deps = {
      prisma: t.prisma,
      log: t.app.log,
      config: { ...t.app.config.mail, statusUpdates: 'customer' as const },
    };
    await statusUpdateCadence({ ...deps, clock: { now: () => new Date(Date.now() + 55 * 60_000) } });
    const entry = await t.prisma.ticketEntry.findFirstOrThrow({
      where: { ticketId: ticket.id, kind: 'PROGRESS_UPDATE' },
    });
    expect(entry).toMatchObject({ internal: false, authorId: world.users.agent.id });
    expect(entry.body).toContain('Automatic status update');
    const mail = await t.prisma.outboxMessage.findFirstOrThrow({
      where: { ticketId: ticket.id, kind: 'STATUS_UPDATE' },
    });
    expect(mail).toMatchObject({ toAddress: world.users.acmeCustomer.email, entryId: entry.id });
  });
});
