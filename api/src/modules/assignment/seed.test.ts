import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/harness.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO_DATA: 'true' });
}, 120_000);
afterAll(() => t?.stop());

describe('demo seed', () => {
  it('configures every group (modes, hours, rota, triage) and routes the demo tickets at intake', async () => {
    const groups = await t.prisma.resolverGroup.findMany({
      include: { onCallRota: { include: { members: true } }, members: true, routingRules: true },
    });
    const byKey = new Map(groups.map((g) => [g.key, g]));
    expect(byKey.get('service-desk')).toMatchObject({ mode: 'MANUAL', isDefaultTriage: true, calendarId: null });
    expect(byKey.get('tier2-specialists')?.mode).toBe('ROUND_ROBIN');
    expect(
      groups
        .filter((g) => g.mode === 'LOAD_BALANCED')
        .map((g) => g.key)
        .sort(),
    ).toEqual(['application-support', 'infrastructure', 'network-operations', 'security', 'service-delivery']);
    for (const g of groups) {
      expect(g.members.length, g.key).toBeGreaterThan(0);
      expect(g.onCallRota?.members.length, g.key).toBe(g.members.length);
    }
    expect(groups.filter((g) => g.isDefaultTriage)).toHaveLength(1);
    expect(await t.prisma.routingRule.count()).toBeGreaterThanOrEqual(10);
    const skilled = await t.prisma.user.count({ where: { NOT: { skills: { isEmpty: true } } } });
    expect(skilled).toBeGreaterThanOrEqual(11);

    const tickets = await t.prisma.ticket.findMany({
      include: { assignmentDecisions: { orderBy: { createdAt: 'asc' } }, resolverGroup: true },
      orderBy: { createdAt: 'asc' },
    });
    expect(tickets.length).toBeGreaterThanOrEqual(8);
    for (const tk of tickets) {
      expect(tk.resolverGroupId, tk.title).not.toBeNull();
      expect(tk.assignmentDecisions[0]?.trigger, tk.title).toBe('INTAKE');
      expect(tk.assignmentDecisions[0]?.reason, tk.title).toMatch(/^routed to /);
    }
    const access = tickets.find((tk) => tk.class === 'ACCESS_REQUEST')!;
    expect(access.resolverGroup?.key).toBe('security');
    expect(access.assignmentDecisions[0]?.ruleName).toBe('Access requests');
  });
});
