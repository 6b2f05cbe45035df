import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createWorld } from '../../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import type { Impact, Urgency } from '../../generated/prisma/enums.js';
import { scopesForRole } from '../auth/scopes.js';
import { resolveTicket } from '../ticket/lifecycle.service.js';
import type { Actor } from '../ticket/mutate.js';
import { createTicket } from '../ticket/ticket.service.js';
import { OPEN_STATUSES } from '../ticket/workflow.js';
import { ticketWeight } from './selection.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
});
afterAll(() => t?.stop());

/** Deterministic PRNG (mulberry32), so a failure replays exactly. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** impact × urgency → P1 … P5 with the default matrix; drawn 5 / 15 / 40 / 25 / 15 %. */
const MIX: [number, Impact, Urgency][] = [
  [0.05, 'HIGH', 'HIGH'],
  [0.2, 'HIGH', 'MEDIUM'],
  [0.6, 'MEDIUM', 'MEDIUM'],
  [0.85, 'MEDIUM', 'LOW'],
  [1, 'LOW', 'LOW'],
];

describe('simulation', () => {
  it('spreads 500 tickets over 5 agents (load-balanced) with no one above 1.5× the mean weighted load', async () => {
    const group = await t.prisma.resolverGroup.create({
      data: { key: 'sim', name: 'Simulation', mode: 'LOAD_BALANCED' },
    });
    const agents = [];
    for (let i = 0; i < 5; i += 1) {
      const a = await createUser(t.prisma, world.provider.id, 'AGENT');
      await t.prisma.user.update({ where: { id: a.id }, data: { name: `Agent ${i + 1}`, skills: ['sim'] } });
      await t.prisma.resolverGroupMember.create({ data: { groupId: group.id, userId: a.id } });
      agents.push(a);
    }
    await t.prisma.routingRule.create({
      data: { name: 'Simulation', position: 1, category: 'sim', resolverGroupId: group.id },
    });
    await t.prisma.skillRequirement.create({ data: { category: 'sim', skills: ['sim'] } });
    const admin = world.users.admin;
    const actor: Actor = {
      viewer: {
        userId: admin.id,
        organizationId: admin.organizationId,
        organizationKind: 'PROVIDER',
        role: 'ADMIN',
        via: 'session',
        sessionId: null,
        tokenId: null,
        scopes: new Set(scopesForRole('ADMIN')),
      },
      channel: 'API',
    };

    const random = prng(20261204);
    const created: string[] = [];
    let resolved = 0;
    for (let i = 0; i < 500; i += 1) {
      const r = random();
      const [, impact, urgency] = MIX.find(([p]) => r < p)!;
      const { ticket } = await createTicket(t.prisma, actor, {
        title: `Simulated ticket ${i}`,
        description: 'A simulated request to exercise load-balanced assignment.',
        class: 'INCIDENT',
        impact,
        urgency,
        category: 'sim',
        requesterId: world.users.acmeCustomer.id,
      });
      expect(ticket.assigneeId, `ticket ${i} was not assigned`).not.toBeNull();
      created.push(ticket.id);
      // Work goes on meanwhile: about one ticket in five is resolved at random, so loads move both ways.
      if (random() < 0.2) {
        const pick = created.splice(Math.floor(random() * created.length), 1)[0]!;
        const current = await t.prisma.ticket.findUniqueOrThrow({ where: { id: pick } });
        await resolveTicket(t.prisma, actor, pick, current.version, {
          resolutionCode: 'FIXED',
          resolutionNotes: 'Resolved during the simulation.',
          notifyCustomer: false,
        });
        resolved += 1;
      }
    }

    const open = await t.prisma.ticket.findMany({
      where: { resolverGroupId: group.id, status: { in: [...OPEN_STATUSES] } },
      select: { assigneeId: true, priority: true, status: true },
    });
    const loads = new Map(agents.map((a) => [a.id, 0]));
    for (const tk of open) loads.set(tk.assigneeId!, loads.get(tk.assigneeId!)! + ticketWeight(tk.priority, tk.status));
    const values = [...loads.values()];
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const max = Math.max(...values);
    const assignedTotals = await t.prisma.ticket.groupBy({
      by: ['assigneeId'],
      where: { resolverGroupId: group.id },
      _count: { _all: true },
    });
    console.log(
      `simulation: 500 tickets, ${resolved} resolved meanwhile, ${open.length} open; weighted open load per agent ${values
        .map((v) => v.toFixed(0))
        .join(
          ' / ',
        )}; mean ${mean.toFixed(1)}, max ${max.toFixed(1)}, max/mean ${(max / mean).toFixed(3)}; tickets received ${assignedTotals
        .map((a) => a._count._all)
        .join(' / ')}`,
    );
    expect(open.length).toBe(500 - resolved);
    expect(max / mean).toBeLessThanOrEqual(1.5);
    // Every decision is in the log with its reason.
    expect(await t.prisma.assignmentDecision.count({ where: { toGroupId: group.id, outcome: 'ASSIGNED' } })).toBe(500);
  }, 600_000);
});
