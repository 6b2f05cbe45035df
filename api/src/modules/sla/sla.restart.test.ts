// Timers survive a restart: due times are in the database. Tickets are opened, the server stops before any
// threshold is due, time passes, and the next start fires every missed warning and breach once, at start; a further
// restart fires nothing again. Runs on PGlite and (with TEST_DATABASE_URL) PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../../test/fixtures.js';
import { createTestDatabaseEnv } from '../../../test/harness.js';
import { type App, buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { scopesForRole } from '../auth/scopes.js';
import { createTicket } from '../ticket/ticket.service.js';
import { activeScheduler } from './scheduler.js';
import { createShortSla, expectedSlaKeys, tally } from './testing.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('restart with overdue timers', () => {
  let app: App | undefined;
  let drop: (() => Promise<void>) | undefined;
  const previous = process.env.SLA_SCHEDULER_INTERVAL_MS;
  afterAll(async () => {
    await app?.stop();
    await drop?.();
    process.env.SLA_SCHEDULER_INTERVAL_MS = previous;
  });

  it('fires the missed warnings and breaches once, at start', async () => {
    // Only the run at start: no loop afterwards, so whatever fires, fired at start.
    process.env.SLA_SCHEDULER_INTERVAL_MS = '0';
    const database = await createTestDatabaseEnv();
    drop = database.drop;
    const config = loadConfig({
      ...database.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SEED_DEMO_DATA: 'false',
    });

    app = buildApp(config);
    await app.start();
    const prisma = app.database().prisma;
    const world = await createWorld(prisma);
    await createShortSla(prisma, {
      leadId: world.users.lead.id,
      agentId: world.users.agent.id,
      firstResponseSeconds: 2,
      resolutionSeconds: 4,
      ackSeconds: 3600,
    });
    const customer = world.users.acmeCustomer;
    const actor = {
      viewer: {
        userId: customer.id,
        organizationId: customer.organizationId,
        organizationKind: 'CUSTOMER' as const,
        role: customer.role,
        via: 'session' as const,
        sessionId: null,
        tokenId: null,
        scopes: new Set(scopesForRole(customer.role)),
      },
      channel: 'PORTAL' as const,
    };
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { ticket } = await createTicket(prisma, actor, {
        title: `Outage ${i}`,
        description: 'Production is down for every user of the plant.',
        class: 'INCIDENT',
        impact: 'HIGH',
        urgency: 'HIGH',
      });
      ids.push(ticket.id);
    }
    await app.stop();
    app = undefined;

    // While no instance runs, every threshold comes due.
    await sleep(4_500);
    const restartedAt = Date.now();
    app = buildApp(config);
    await app.start();
    const started = await activeScheduler()!.runOnce(); // joins the run that began at start
    const after = await tally(app.database().prisma, ids);
    expect([...after.sla.keys()].sort()).toEqual(ids.flatMap(expectedSlaKeys).sort());
    expect([...after.sla.values()].every((n) => n === 1)).toBe(true);
    expect(after.unfiredThresholds).toBe(0);
    // Escalations too: the lead at 75 %, tier 2 (reassigned) and the managers at breach, once per ticket.
    for (const id of ids) expect(after.perTicketEscalations.get(id)).toBe(3);
    expect(after.escalationEvents).toBe(after.escalationRows);
    expect(started.failed).toBe(0);
    const events = await app.database().prisma.event.findMany({
      where: { ticketId: { in: ids }, type: { startsWith: 'sla.' } },
      select: { createdAt: true },
    });
    // Recorded by the new instance, none before the stop.
    expect(events.every((e) => e.createdAt.getTime() >= restartedAt)).toBe(true);

    // Another restart: nothing is due any more, nothing fires twice.
    await app.stop();
    app = buildApp(config);
    await app.start();
    const again = await activeScheduler()!.runOnce();
    expect(again.fired).toBe(0);
    const final = await tally(app.database().prisma, ids);
    expect(final.sla).toEqual(after.sla);
    expect(final.escalationRows).toBe(after.escalationRows);
  }, 120_000);
});
