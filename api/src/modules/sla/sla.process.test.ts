// Timers with several API instances: two real processes (`pnpm --filter @itsm/api serve`) on one PostgreSQL fire
// each warning, breach and escalation exactly once, and when one of them is killed mid-way the other one picks up
// everything it left (its open transactions roll back; the timers stay due).
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createWorld } from '../../../test/fixtures.js';
import { createTestDatabaseEnv, gql } from '../../../test/harness.js';
import { repoRoot } from '../../config.js';
import { type Database, openDatabase } from '../../db.js';
import { createLogger } from '../../logger.js';
import { createShortSla, ESCALATIONS_PER_UNATTENDED_TICKET, expectedSlaKeys, tally } from './testing.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function serve(env: Record<string, string>) {
  const child = spawn('pnpm', ['--filter', '@itsm/api', 'serve'], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('"msg":"listening"')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    child.on('close', (code) => {
      clearInterval(timer);
      reject(new Error(`exited ${code} before listening:\n${out.slice(-3000)}`));
    });
  });
  return { child, listening, output: () => out };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!process.env.TEST_DATABASE_URL)(
  'two API processes on one PostgreSQL (needs TEST_DATABASE_URL: PGlite is one process)',
  () => {
    let database: Database | undefined;
    let dropDb: (() => Promise<void>) | undefined;
    afterAll(async () => {
      await database?.close();
      await dropDb?.();
    });

    it('fire every warning, breach and escalation exactly once, also when one is killed mid-way', async () => {
      const fresh = await createTestDatabaseEnv();
      dropDb = fresh.drop;
      database = await openDatabase({
        databaseUrl: fresh.env.DATABASE_URL,
        dataDir: fresh.env.DATA_DIR!,
        log: createLogger('silent'),
        migrate: false,
      });
      const prisma = database.prisma;
      const world = await createWorld(prisma);
      await createShortSla(prisma, {
        leadId: world.users.lead.id,
        agentId: world.users.agent.id,
        firstResponseSeconds: 4,
        resolutionSeconds: 8,
        ackSeconds: 3,
      });

      const ports = [await freePort(), await freePort()];
      const procs = ports.map((port) =>
        serve({
          DATABASE_URL: fresh.env.DATABASE_URL!,
          DATA_DIR: fresh.env.DATA_DIR!,
          PORT: String(port),
          HOST: '127.0.0.1',
          SEED_DEMO_DATA: 'false',
          SLA_SCHEDULER_INTERVAL_MS: '150',
        }),
      );
      await Promise.all(procs.map((p) => p.listening));

      // A batch of P1 tickets through both instances.
      const ids: string[] = [];
      const create = (port: number, i: number) =>
        gql(
          `http://127.0.0.1:${port}/graphql`,
          `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ... on TicketCreatePayload { ticket { id } } } }`,
          {
            input: {
              title: `Outage ${i}`,
              description: 'Production is down for every user of the plant.',
              class: 'INCIDENT',
              impact: 'HIGH',
              urgency: 'HIGH',
            },
          },
          { token: world.tokens.acme },
        );
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => create(ports[i % 2]!, i)));
      for (const r of results) {
        expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
        ids.push(Buffer.from(r.data!.ticketCreate.ticket.id, 'base64').toString().split(':')[1]!);
      }

      // Past the first warnings, before the breaches: kill the second instance without warning.
      await sleep(3_000);
      const midway = await tally(prisma, ids);
      expect(midway.sla.size).toBeGreaterThan(0);
      process.kill(-procs[1]!.child.pid!, 'SIGKILL');

      // The survivor finishes: breaches at 8 s, escalation windows of 3 s up three levels.
      const deadline = Date.now() + 60_000;
      let final = await tally(prisma, ids);
      while (Date.now() < deadline) {
        final = await tally(prisma, ids);
        const pendingAcks = await prisma.slaTimer.count({
          where: { ticketId: { in: ids }, firedAt: null, kind: 'ACKNOWLEDGEMENT' },
        });
        if (
          final.unfiredThresholds === 0 &&
          pendingAcks === 0 &&
          final.escalationRows >= ids.length * ESCALATIONS_PER_UNATTENDED_TICKET
        )
          break;
        await sleep(500);
      }
      const expected = ids.flatMap(expectedSlaKeys).sort();
      expect([...final.sla.keys()].sort()).toEqual(expected);
      expect([...final.sla.values()].every((n) => n === 1)).toBe(true);
      expect(final.dedupeKeysUnique).toBe(true);
      expect(final.escalationEvents).toBe(final.escalationRows);
      for (const id of ids) expect(final.perTicketEscalations.get(id), id).toBe(ESCALATIONS_PER_UNATTENDED_TICKET);
      // Both instances fired timers before the kill (SKIP LOCKED shares them out).
      for (const p of procs) expect(p.output()).toContain('"msg":"sla timers"');
      // The breach moved every ticket to tier 2 exactly once (one reassignment each in the audit trail).
      const moves = await prisma.auditEntry.groupBy({
        by: ['ticketId'],
        where: { ticketId: { in: ids }, action: 'assigned', field: 'resolverGroupId' },
        _count: true,
      });
      expect(moves.map((m) => m._count)).toEqual(ids.map(() => 1));
      process.kill(-procs[0]!.child.pid!, 'SIGTERM');
    }, 150_000);
  },
);
